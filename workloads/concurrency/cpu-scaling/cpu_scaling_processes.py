# cpu-scaling (processes): counts the primes below LIMIT by trial division, one
# CPU-bound job split over W worker processes (arguments: W LIMIT).
# [2, LIMIT) is cut into blocks of BLOCK numbers and block b goes to worker
# b % W, so every worker gets an equal share of small and large numbers (and of
# the primes: within 2% of each other at W = 4 for LIMIT = 100000).
# Striding over the numbers themselves would not: with W = 2, every odd number,
# and so every prime but 2, would land on one worker.
# Each process has its own interpreter (and GIL), so the workers run in
# parallel; starting them is part of the measured time: a fork on Linux before
# Python 3.14, else (forkserver, Linux's default since; spawn, macOS's) a fresh
# interpreter that imports this module.
# Prints the count; with VERSUS_METRICS set, appends `share.{i} N`, the primes
# worker i found, for every worker.
import os
import sys
from concurrent.futures import ProcessPoolExecutor

BLOCK = 1000


def is_prime(n):
    """Trial division: 2 on its own, then odd divisors up to the square root."""
    if n < 2:
        return False
    if n % 2 == 0:
        return n == 2
    d = 3
    while d * d <= n:
        if n % d == 0:
            return False
        d += 2
    return True


def count_primes(worker, workers, limit):
    """The primes in the blocks dealt to `worker`: [2 + b*BLOCK, 2 + (b+1)*BLOCK)
    for every b with b % workers == worker."""
    count = 0
    for start in range(2 + worker * BLOCK, limit, workers * BLOCK):
        for n in range(start, min(start + BLOCK, limit)):
            if is_prime(n):
                count += 1
    return count


def main():
    workers, limit = int(sys.argv[1]), int(sys.argv[2])
    # One job per worker, each in its own process. Only the arguments and the
    # count cross between processes (pickled), so the cost is the start-up.
    with ProcessPoolExecutor(max_workers=workers) as pool:
        jobs = [pool.submit(count_primes, w, workers, limit) for w in range(workers)]
        shares = [job.result() for job in jobs]
    print(f"primes below {limit}: {sum(shares)}")

    metrics = os.environ.get("VERSUS_METRICS")
    if metrics:
        with open(metrics, "a") as f:
            for w, share in enumerate(shares):
                f.write(f"share.{w} {share}\n")


if __name__ == "__main__":
    main()
