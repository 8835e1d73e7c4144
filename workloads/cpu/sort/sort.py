# sort: sorts N 64-bit signed integers and M short strings with the language's
# built-in sort (list.sort, Timsort). The input comes on stdin, made by
# gen_input.go outside the timed run: a line "N M", the N integers as 8-byte
# little-endian two's complement, then the M strings, one per line. Prints,
# for each sorted list, its length, first and last elements and a checksum:
# the sum of (i + 1) * value(i) modulo 1,000,000,007 over every stride-th
# element i (stride = max(1, length // 10000)), where a string's value is its
# polynomial hash sum(byte * 31^k) modulo the same prime.
import array
import sys

MOD = 1_000_000_007


def string_value(s):
    h = 0
    for b in s.encode():
        h = (h * 31 + b) % MOD
    return h


def checksum(items, value):
    stride = max(1, len(items) // 10000)
    total = 0
    for i in range(0, len(items), stride):
        total = (total + (i + 1) * value(items[i])) % MOD
    return total


def read_input(stream):
    """The integers and strings of the input, as lists."""
    header = stream.readline().split()
    if len(header) != 2:
        sys.exit("sort: expected a line 'N M' on stdin (gen_input.go writes the input)")
    n_ints, n_strings = map(int, header)
    ints = array.array("q")
    ints.frombytes(stream.read(8 * n_ints))
    if sys.byteorder == "big":
        ints.byteswap()
    strings = stream.read().decode("ascii").split()
    if len(ints) != n_ints or len(strings) != n_strings:
        sys.exit(f"expected {n_ints} integers and {n_strings} strings, "
                 f"read {len(ints)} and {len(strings)}")
    return ints.tolist(), strings


def main():
    ints, strings = read_input(sys.stdin.buffer)

    ints.sort()
    strings.sort()

    print(f"ints: {len(ints)} first {ints[0]} last {ints[-1]} "
          f"checksum {checksum(ints, lambda v: v % MOD)}")
    print(f"strings: {len(strings)} first {strings[0]} last {strings[-1]} "
          f"checksum {checksum(strings, string_value)}")


if __name__ == "__main__":
    main()
