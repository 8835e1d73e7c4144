# fannkuch-redux: for every permutation of 1..n, repeatedly reverses the first
# k elements, where k is the first element, until the first element is 1 (a
# "pancake flip" count). Prints a checksum of the flip counts (added for even
# permutation indexes, subtracted for odd ones) and the largest flip count
# (argument: n).
# Algorithm: The Computer Language Benchmarks Game, "fannkuch-redux"
# https://benchmarksgame-team.pages.debian.net/benchmarksgame/description/fannkuchredux.html
import sys


def count_flips(perm):
    """Flips a copy of perm (values 0..n-1) until its first element is 0."""
    p = perm[:]
    flips = 0
    first = p[0]
    while first:
        p[:first + 1] = p[first::-1]
        flips += 1
        first = p[0]
    return flips


def fannkuch(n):
    perm = list(range(n))
    # count[i] is how many times the prefix perm[0..i] has been rotated; the
    # counts are the digits of the permutation index in the factorial base.
    count = [0] * n
    checksum = 0
    max_flips = 0
    index = 0
    while True:
        flips = count_flips(perm)
        max_flips = max(max_flips, flips)
        checksum += -flips if index % 2 else flips

        # Next permutation: rotate the shortest prefix whose counter does not wrap.
        i = 1
        while True:
            if i >= n:
                return checksum, max_flips
            perm.insert(i, perm.pop(0))
            count[i] += 1
            if count[i] <= i:
                break
            count[i] = 0
            i += 1
        index += 1


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    checksum, max_flips = fannkuch(n)
    print(checksum)
    print(f"Pfannkuchen({n}) = {max_flips}")


if __name__ == "__main__":
    main()
