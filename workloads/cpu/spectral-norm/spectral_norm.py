# spectral-norm: approximates the spectral norm of the infinite matrix
# A(i,j) = 1/((i+j)(i+j+1)/2 + i + 1), truncated to N x N (argument: N), by
# 10 rounds of the power method on A^T A. Prints the result with 9 decimals.
# Algorithm: The Computer Language Benchmarks Game, "spectral-norm"
# https://benchmarksgame-team.pages.debian.net/benchmarksgame/description/spectralnorm.html
import math
import sys


def a(i, j):
    """Entry (i, j) of the matrix A."""
    return 1.0 / ((i + j) * (i + j + 1) // 2 + i + 1)


def multiply_av(v):
    """A times v."""
    n = len(v)
    return [sum(a(i, j) * v[j] for j in range(n)) for i in range(n)]


def multiply_atv(v):
    """A transposed times v."""
    n = len(v)
    return [sum(a(j, i) * v[j] for j in range(n)) for i in range(n)]


def multiply_atav(v):
    """A transposed times A times v."""
    return multiply_atv(multiply_av(v))


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    u = [1.0] * n
    for _ in range(10):
        v = multiply_atav(u)
        u = multiply_atav(v)
    vbv = sum(ui * vi for ui, vi in zip(u, v))
    vv = sum(vi * vi for vi in v)
    print(f"{math.sqrt(vbv / vv):.9f}")


if __name__ == "__main__":
    main()
