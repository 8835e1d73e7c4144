# Shipping labels: prints one label line per parcel of an order (argument: order number).
import sys
from dataclasses import dataclass


@dataclass
class Parcel:
    city: str
    weight_g: int


PARCELS = [
    Parcel("Lyon", 1200),
    Parcel("Lyon", 350),
    Parcel("Lyon", 4100),
]


def label(order_no: int, index: int, parcel: Parcel) -> str:
    # MISTAKE: string + int (the order number is an int)
    ref = "ORD-" + order_no + "/" + str(index)
    return f"{ref:<14} {parcel.city:<8} {parcel.weight_g:>6} g"


def main() -> None:
    try:
        order_no = int(sys.argv[1])
    except ValueError:
        print("bad order number:", sys.argv[1])
        return
    for index, parcel in enumerate(PARCELS, start=1):
        print(label(order_no, index, parcel))


if __name__ == "__main__":
    main()
