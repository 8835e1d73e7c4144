# Top orders: prints the N largest orders of the day, largest first (argument: N).
import sys
from dataclasses import dataclass


@dataclass
class Order:
    id: int
    customer: str
    cents: int


ORDERS = [
    Order(1001, "alice", 4250),
    Order(1002, "bob", 1999),
    Order(1003, "carol", 12000),
    Order(1004, "dave", 560),
    Order(1005, "erin", 7325),
]


def largest_orders(orders: list[Order], n: int) -> list[Order]:
    return sorted(orders, key=lambda o: o.cents, reverse=True)[:n]


def main() -> None:
    count = sys.argv[1]
    # MISTAKE: wrong argument type (the count is still the command-line string)
    for order in largest_orders(ORDERS, count):
        print(f"#{order.id} {order.customer:<6} {order.cents // 100:>4}.{order.cents % 100:02d}")


if __name__ == "__main__":
    main()
