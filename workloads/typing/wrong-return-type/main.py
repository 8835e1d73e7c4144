# Stock report: parses "name,quantity" records, flags items below the low-stock threshold and
# prints the total count (argument: the threshold).
import sys

RECORDS = ["apples,42", "pears,3", "plums,17", "figs,0"]


def quantity(record: str) -> int:
    # MISTAKE: wrong return type (returns the text of the field, not a number)
    return record.split(",")[1]


def main() -> None:
    try:
        threshold = int(sys.argv[1])
    except ValueError:
        print("bad threshold:", sys.argv[1])
        return
    total = 0
    for record in RECORDS:
        name = record.split(",")[0]
        qty = quantity(record)
        flag = "  LOW" if qty < threshold else ""
        print(f"{name:<8}{qty:>5}{flag}")
        total += qty
    print(f"{'total':<8}{total:>5}")


if __name__ == "__main__":
    main()
