# sort: sorts N 64-bit signed integers and M short strings with the language's
# built-in sort (list.sort, Timsort). The data comes from a fixed 64-bit linear
# congruential generator (Knuth's MMIX constants), identical in both programs:
# first N integers (the generator's state read as a signed 64-bit value), then
# M strings of 4 to 11 letters a-z taken from one state each (arguments: N M).
# Prints, for each sorted list, its length, first and last elements and a
# checksum: the sum of (i + 1) * value(i) modulo 1,000,000,007 over every
# stride-th element i (stride = max(1, length // 10000)), where a string's
# value is its polynomial hash sum(byte * 31^k) modulo the same prime.
import sys

MASK = (1 << 64) - 1
SIGN = 1 << 63
MOD = 1_000_000_007
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def lcg(seed):
    state = seed
    while True:
        state = (state * 6364136223846793005 + 1442695040888963407) & MASK
        yield state


def to_int64(x):
    return x - (1 << 64) if x & SIGN else x


def to_word(x):
    length = 4 + (x >> 8) % 8
    bits = x >> 11  # 53 bits: enough for 11 base-26 digits
    letters = []
    for _ in range(length):
        bits, digit = divmod(bits, 26)
        letters.append(LETTERS[digit])
    return "".join(letters)


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


def main():
    n_ints = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    n_strings = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    rng = lcg(12345)

    ints = [to_int64(next(rng)) for _ in range(n_ints)]
    strings = [to_word(next(rng)) for _ in range(n_strings)]

    ints.sort()
    strings.sort()

    print(f"ints: {len(ints)} first {ints[0]} last {ints[-1]} "
          f"checksum {checksum(ints, lambda v: v % MOD)}")
    print(f"strings: {len(strings)} first {strings[0]} last {strings[-1]} "
          f"checksum {checksum(strings, string_value)}")


if __name__ == "__main__":
    main()
