# mandelbrot, multi-core: plots the Mandelbrot set on the square
# [-1.5-i, 0.5+i] as an n-by-n bitmap and writes it as a binary portable bitmap
# (PBM "P4"): a pixel is set when z -> z*z + c stays within |z| <= 2 for 50
# iterations (argument: n).
# A pool of os.cpu_count() worker processes computes the rows, several rows a
# task; the rows are written in order.
# Algorithm: The Computer Language Benchmarks Game, "mandelbrot"
# https://benchmarksgame-team.pages.debian.net/benchmarksgame/description/mandelbrot.html
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from functools import partial

ITERATIONS = 50
LIMIT_SQUARED = 4.0  # |z| > 2, tested as zr*zr + zi*zi > 4


def row_bits(n, y):
    """Row y of the bitmap, 8 pixels a byte, most significant bit first."""
    ci = 2.0 * y / n - 1.0
    row = bytearray((n + 7) // 8)
    for x in range(n):
        cr = 2.0 * x / n - 1.5
        zr = zi = tr = ti = 0.0
        for _ in range(ITERATIONS):
            zi = 2.0 * zr * zi + ci
            zr = tr - ti + cr
            tr = zr * zr
            ti = zi * zi
            if tr + ti > LIMIT_SQUARED:
                break
        else:
            row[x >> 3] |= 0x80 >> (x & 7)
    return bytes(row)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    workers = os.cpu_count() or 1
    out = sys.stdout.buffer
    out.write(b"P4\n%d %d\n" % (n, n))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        rows_per_task = max(1, n // (workers * 16))
        for row in pool.map(partial(row_bits, n), range(n), chunksize=rows_per_task):
            out.write(row)
    out.flush()


if __name__ == "__main__":
    main()
