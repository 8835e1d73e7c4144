# Order tags: every order gets the common tags given as arguments plus its own channel tag;
# prints the tags of each order.
import sys
from dataclasses import dataclass


@dataclass
class Order:
    id: int
    channel: str


ORDERS = [Order(1001, "web"), Order(1002, "store"), Order(1003, "phone")]


def tag_orders(orders: list[Order], common: list[str]) -> list[list[str]]:
    tagged = []
    for order in orders:
        # MISTAKE: aliasing (tags is the shared common list itself, not a copy)
        tags = common
        tags.append(order.channel)
        tagged.append(tags)
    return tagged


def main() -> None:
    common = []
    for arg in sys.argv[1:]:
        common.append(arg.lower())
    for order, tags in zip(ORDERS, tag_orders(ORDERS, common)):
        print(f"{order.id}: {','.join(tags)}")


if __name__ == "__main__":
    main()
