# Invoice: prints one line per item of the cart and the total (argument: customer name).
import sys
from dataclasses import dataclass


@dataclass
class Item:
    name: str
    qty: int
    unit_cents: int


CART = [
    Item("notebook", 3, 450),
    Item("pen", 10, 120),
    Item("stapler", 1, 1599),
]


def money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def format_line(name: str, qty: int, unit_cents: int) -> str:
    return f"{name:<10} {qty:>3} x {money(unit_cents):>6} = {money(qty * unit_cents):>7}"


def main() -> None:
    print(f"Invoice for {sys.argv[1]}")
    total = 0
    for item in CART:
        # MISTAKE: wrong arity (one argument too many: the currency)
        print(format_line(item.name, item.qty, item.unit_cents, "EUR"))
        total += item.qty * item.unit_cents
    print(f"{'total':<10} {money(total):>22}")


if __name__ == "__main__":
    main()
