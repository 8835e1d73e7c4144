# Sales report: prints the monthly sales as an aligned table (the default), as CSV or as TSV
# (argument: table, csv or tsv).
import sys

SALES = [("January", 1240050), ("February", 980000), ("March", 1515025)]


def render(rows: list[tuple[str, int]], fmt: str) -> list[str]:
    if fmt == "csv":
        return ["month,cents"] + [f"{month},{cents}" for month, cents in rows]
    if fmt == "tsv":
        # MISTAKE: typo in a name in a rarely taken branch
        return ["month\tcents"] + [f"{month}\t{cents}" for month, cents in rwos]
    lines = [f"{'month':<10}{'amount':>12}"]
    for month, cents in rows:
        lines.append(f"{month:<10}{cents // 100:>9}.{cents % 100:02d}")
    return lines


def main() -> None:
    fmt = sys.argv[1] if len(sys.argv) > 1 else "table"
    for line in render(SALES, fmt):
        print(line)


if __name__ == "__main__":
    main()
