# json-roundtrip: reads a JSON array of customer records from stdin, parses it
# into native Python data (dicts, lists, str, int, float, bool, None), walks it
# to compute aggregates (records, active records, orders, total quantity
# ordered, sum of balances in cents, distinct e-mail addresses) and serializes
# the whole document again, compactly and as UTF-8, the way an API response is
# written.
# Prints the aggregates, then the length and SHA-256 of the serialized bytes.
#
# Both programs produce byte-identical serializations: Python's
# json.dumps(ensure_ascii=False, separators=(",", ":")) keeps the keys in the
# order they were read, Go's json.Marshal of typed structs writes them in the
# order the struct declares them (the input's order). The input avoids the
# few things the two encoders write differently: '<', '>', '&' (Go escapes
# them for HTML), U+2028/U+2029 (Go escapes them), and floats that are integral
# or outside [1e-4, 1e16) (Python writes 12.0 and 1e-05, Go 12 and 0.00001).
import hashlib
import json
import sys


def main():
    records = json.loads(sys.stdin.buffer.read())

    active = orders = quantity = balance_cents = 0
    emails = set()
    for rec in records:
        if rec["active"]:
            active += 1
        balance_cents += round(rec["balance"] * 100)
        emails.add(rec["email"])
        for order in rec["orders"]:
            orders += 1
            quantity += order["qty"]

    out = json.dumps(records, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    print(f"records {len(records)}")
    print(f"active {active}")
    print(f"orders {orders}")
    print(f"quantity {quantity}")
    print(f"balance_cents {balance_cents}")
    print(f"distinct_emails {len(emails)}")
    print(f"serialized_bytes {len(out)}")
    print(f"serialized_sha256 {hashlib.sha256(out).hexdigest()}")


if __name__ == "__main__":
    main()
