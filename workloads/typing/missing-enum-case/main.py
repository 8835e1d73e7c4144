# Order status page: prints the customer-facing message for each "id:status" argument.
import sys
from enum import Enum


class Status(Enum):
    PENDING = "pending"
    PAID = "paid"
    SHIPPED = "shipped"
    REFUNDED = "refunded"


def message(status: Status) -> str:
    # MISTAKE: missing case (REFUNDED has no case)
    match status:
        case Status.PENDING:
            return "waiting for payment"
        case Status.PAID:
            return "paid, being packed"
        case Status.SHIPPED:
            return "shipped, on its way"


def main() -> None:
    for arg in sys.argv[1:]:
        order_id, _, value = arg.partition(":")
        try:
            status = Status(value)
        except ValueError:
            print(f"order {order_id}: bad status {value}")
            continue
        print(f"order {order_id}: {message(status)}")


if __name__ == "__main__":
    main()
