# csv-groupby: reads a sales export in CSV from stdin (header line, then rows
# with region, product, quantity and unit_price among other columns; quoted
# fields may hold commas, quotes and newlines) with the csv module, groups the
# rows by (region, product) and computes per group the number of rows, the
# total quantity and the total revenue (quantity * unit price). Money is kept
# in integer cents, round(float(price) * 100), so no float sum can differ
# between languages. Prints the groups as CSV sorted by region then product.
import csv
import sys
from collections import defaultdict


def main():
    sys.stdin.reconfigure(encoding="utf-8", newline="")  # as the csv module asks
    sys.stdout.reconfigure(encoding="utf-8")
    reader = csv.reader(sys.stdin)
    header = next(reader)
    region_col = header.index("region")
    product_col = header.index("product")
    quantity_col = header.index("quantity")
    price_col = header.index("unit_price")

    groups = defaultdict(lambda: [0, 0, 0])  # count, quantity, revenue in cents
    for row in reader:
        quantity = int(row[quantity_col])
        cents = round(float(row[price_col]) * 100)
        totals = groups[row[region_col], row[product_col]]
        totals[0] += 1
        totals[1] += quantity
        totals[2] += quantity * cents

    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["region", "product", "orders", "quantity", "revenue"])
    for (region, product), (count, quantity, cents) in sorted(groups.items()):
        writer.writerow([region, product, count, quantity, f"{cents // 100}.{cents % 100:02d}"])


if __name__ == "__main__":
    main()
