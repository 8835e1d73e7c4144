# fannkuch-redux, multi-core: for every permutation of 1..n, repeatedly
# reverses the first k elements, where k is the first element, until the first
# element is 1 (a "pancake flip" count). Prints a checksum of the flip counts
# (added for even permutation indexes, subtracted for odd ones) and the largest
# flip count (argument: n).
# The n! permutations are split into blocks of consecutive indexes; a pool of
# os.cpu_count() worker processes counts the flips of one block at a time,
# starting from the permutation computed directly from the block's first index.
# Algorithm: The Computer Language Benchmarks Game, "fannkuch-redux"
# https://benchmarksgame-team.pages.debian.net/benchmarksgame/description/fannkuchredux.html
import math
import os
import sys
from concurrent.futures import ProcessPoolExecutor


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


def permutation_at(n, index):
    """The permutation with this index, and its rotation counters (the index's
    digits in the factorial base), in the order of the sequential program."""
    perm = list(range(n))
    count = [0] * n
    for i in range(n - 1, 0, -1):
        count[i], index = divmod(index, math.factorial(i))
        perm[:i + 1] = perm[count[i]:i + 1] + perm[:count[i]]
    return perm, count


def fannkuch_block(n, start, stop):
    """Checksum and maximum flip count over permutation indexes start..stop-1."""
    perm, count = permutation_at(n, start)
    checksum = 0
    max_flips = 0
    for index in range(start, stop):
        flips = count_flips(perm)
        max_flips = max(max_flips, flips)
        checksum += -flips if index % 2 else flips

        # Next permutation: rotate the shortest prefix whose counter does not wrap.
        i = 1
        while i < n:
            perm.insert(i, perm.pop(0))
            count[i] += 1
            if count[i] <= i:
                break
            count[i] = 0
            i += 1
    return checksum, max_flips


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    workers = os.cpu_count() or 1
    total = math.factorial(n)
    block = max(1, -(-total // (workers * 8)))  # several blocks per worker
    starts = range(0, total, block)
    stops = [min(start + block, total) for start in starts]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(fannkuch_block, [n] * len(starts), starts, stops))
    checksum = sum(c for c, _ in results)
    max_flips = max(m for _, m in results)
    print(checksum)
    print(f"Pfannkuchen({n}) = {max_flips}")


if __name__ == "__main__":
    main()
