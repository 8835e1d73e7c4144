# matmul: multiplies two n×n float64 matrices, C = A·B, with NumPy (the `@`
# operator, which hands the work to the BLAS library NumPy ships with).
# A and B are filled row by row, A first, with uniform numbers in [0, 1) from
# a 64-bit linear congruential generator (Knuth's MMIX constants, seed 42):
# state = state*6364136223846793005 + 1442695040888963407 (mod 2^64), and the
# number is the top 53 bits of the state divided by 2^53.
# Prints n, the sum of all elements of C, its trace and its corner C[0][n-1]
# (argument: n).
import sys

import numpy as np

MULTIPLIER = 6364136223846793005
INCREMENT = 1442695040888963407
MASK = (1 << 64) - 1
SEED = 42


def lcg_uniform(seed, count):
    """The next `count` numbers of the generator started at `seed`, as floats in [0, 1).

    The stream is the same as stepping the generator one number at a time, but made
    without a Python loop per number: once the first `filled` states are known, the
    next `filled` are those states jumped ahead by `filled` steps, and a jump of m steps
    is itself an affine map x -> a_m*x + c_m (mod 2^64) whose coefficients double with m.
    NumPy's uint64 arithmetic wraps modulo 2^64 like the generator does.
    """
    states = np.empty(count, dtype=np.uint64)
    states[0] = (seed * MULTIPLIER + INCREMENT) & MASK
    filled = 1
    jump_mul, jump_add = MULTIPLIER, INCREMENT  # jump of `filled` steps
    while filled < count:
        take = min(filled, count - filled)
        states[filled:filled + take] = states[:take] * np.uint64(jump_mul) + np.uint64(jump_add)
        filled += take
        jump_mul, jump_add = (jump_mul * jump_mul) & MASK, (jump_mul * jump_add + jump_add) & MASK
    return (states >> np.uint64(11)).astype(np.float64) / float(1 << 53)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 64
    numbers = lcg_uniform(SEED, 2 * n * n)
    a = numbers[:n * n].reshape(n, n)
    b = numbers[n * n:].reshape(n, n)
    c = a @ b
    print(f"n {n}")
    print(f"sum {c.sum():.15e}")
    print(f"trace {np.trace(c):.15e}")
    print(f"corner {c[0, n - 1]:.15e}")


if __name__ == "__main__":
    main()
