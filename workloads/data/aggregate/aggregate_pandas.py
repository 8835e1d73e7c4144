# aggregate: reads a CSV on stdin whose first column is a group key and whose
# other columns are numbers (see generate.py), and prints, for each key in
# sorted order and then for all rows together ("*"), the row count and the
# mean and sample standard deviation (n - 1 in the denominator) of every
# numeric column, rounded to 6 decimals. pandas parses the CSV and groups.
import sys

import pandas as pd


def fields(count, means, stds):
    """count, then mean and standard deviation of each column, as text."""
    out = [str(count)]
    for mean, std in zip(means, stds):
        out.append(f"{mean:.6f}")
        out.append(f"{std:.6f}")
    return out


def main():
    df = pd.read_csv(sys.stdin.buffer)
    key_name, *columns = df.columns
    grouped = df.groupby(key_name, sort=True)[columns]
    counts = grouped.size()
    means = grouped.mean()
    stds = grouped.std()

    header = [key_name, "count"]
    for c in columns:
        header += [f"{c}_mean", f"{c}_std"]
    lines = [" ".join(header)]
    for key, count, mean_row, std_row in zip(
        counts.index, counts.to_numpy(), means.to_numpy(), stds.to_numpy()
    ):
        lines.append(" ".join([str(key)] + fields(count, mean_row, std_row)))
    values = df[columns]
    lines.append(" ".join(["*"] + fields(len(df), values.mean(), values.std())))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
