# matmul: multiplies two n×n matrices of floats held in Python lists,
# C = A·B, with the naive triple loop (B is transposed first so each element
# of C is the dot product of two rows, summed in order).
# A and B are filled row by row, A first, with uniform numbers in [0, 1) from
# a 64-bit linear congruential generator (Knuth's MMIX constants, seed 42):
# state = state*6364136223846793005 + 1442695040888963407 (mod 2^64), and the
# number is the top 53 bits of the state divided by 2^53.
# Prints n, the sum of all elements of C, its trace and its corner C[0][n-1]
# (argument: n).
import sys

MULTIPLIER = 6364136223846793005
INCREMENT = 1442695040888963407
MASK = (1 << 64) - 1


class Lcg:
    def __init__(self, seed):
        self.state = seed

    def next(self):
        """Advance the generator and return a float in [0, 1)."""
        self.state = (self.state * MULTIPLIER + INCREMENT) & MASK
        return (self.state >> 11) / (1 << 53)


def matrix(n, rng):
    """An n×n matrix of generated numbers, filled row by row."""
    return [[rng.next() for _ in range(n)] for _ in range(n)]


def multiply(a, b):
    """a·b: each element is the dot product of a row of a and a column of b."""
    columns = list(zip(*b))
    return [[sum(x * y for x, y in zip(row, col)) for col in columns] for row in a]


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 64
    rng = Lcg(42)
    a = matrix(n, rng)
    b = matrix(n, rng)
    c = multiply(a, b)
    total = 0.0
    for row in c:
        for x in row:
            total += x
    trace = 0.0
    for i in range(n):
        trace += c[i][i]
    print(f"n {n}")
    print(f"sum {total:.15e}")
    print(f"trace {trace:.15e}")
    print(f"corner {c[0][n - 1]:.15e}")


if __name__ == "__main__":
    main()
