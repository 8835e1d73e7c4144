# pidigits: prints the first n digits of pi, 10 to a line followed by a tab,
# a colon and the count of digits so far, with Gibbons' unbounded spigot
# algorithm on Python's built-in arbitrary-precision integers (argument: n).
# Algorithm: The Computer Language Benchmarks Game, "pidigits"
# https://benchmarksgame-team.pages.debian.net/benchmarksgame/description/pidigits.html
import sys


def pi_digits():
    """Yields the decimal digits of pi, 3, 1, 4, 1, 5, ... forever."""
    # The state is the linear fractional transformation
    # x -> (numer*x + accum) / denom, composed with one term per k.
    accum, denom, numer = 0, 1, 1
    k = 0
    while True:
        # Next term.
        k += 1
        k2 = 2 * k + 1
        accum = (accum + 2 * numer) * k2
        denom *= k2
        numer *= k
        if numer > accum:
            continue
        # The next digit is settled when x = 3 and x = 4 give the same floor.
        digit = (3 * numer + accum) // denom
        if digit != (4 * numer + accum) // denom:
            continue
        yield digit
        # Eliminate the digit.
        accum = (accum - denom * digit) * 10
        numer *= 10


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 27
    out = []
    line = []
    for count, digit in enumerate(pi_digits(), start=1):
        if count > n:
            break
        line.append(str(digit))
        if count % 10 == 0 or count == n:
            out.append(f"{''.join(line):<10}\t:{count}\n")
            line = []
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
