# aggregate: reads a CSV on stdin whose first column is a group key and whose
# other columns are numbers (see generate.py), and prints, for each key in
# sorted order and then for all rows together ("*"), the row count and the
# mean and sample standard deviation (n - 1 in the denominator) of every
# numeric column, rounded to 6 decimals. Sums and sums of squares are
# accumulated in one pass over the rows.
import csv
import math
import sys


class Stats:
    """Running count, sums and sums of squares of one group's columns."""

    __slots__ = ("count", "sums", "squares")

    def __init__(self, width):
        self.count = 0
        self.sums = [0.0] * width
        self.squares = [0.0] * width

    def add(self, values):
        self.count += 1
        for i, v in enumerate(values):
            self.sums[i] += v
            self.squares[i] += v * v

    def merge(self, other):
        self.count += other.count
        for i in range(len(self.sums)):
            self.sums[i] += other.sums[i]
            self.squares[i] += other.squares[i]

    def fields(self):
        """count, then mean and standard deviation of each column, as text."""
        out = [str(self.count)]
        n = self.count
        for s, q in zip(self.sums, self.squares):
            mean = s / n
            std = math.sqrt(max(q - s * mean, 0.0) / (n - 1)) if n > 1 else math.nan
            out.append(f"{mean:.6f}")
            out.append(f"{std:.6f}")
        return out


def main():
    reader = csv.reader(sys.stdin)
    key_name, *columns = next(reader)
    width = len(columns)
    groups = {}
    for key, *fields in reader:
        stats = groups.get(key)
        if stats is None:
            stats = groups[key] = Stats(width)
        stats.add([float(f) for f in fields])

    total = Stats(width)
    header = [key_name, "count"]
    for c in columns:
        header += [f"{c}_mean", f"{c}_std"]
    lines = [" ".join(header)]
    for key in sorted(groups):
        stats = groups[key]
        total.merge(stats)
        lines.append(" ".join([key] + stats.fields()))
    lines.append(" ".join(["*"] + total.fields()))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
