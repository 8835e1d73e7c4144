# mandelbrot: plots the Mandelbrot set on the square [-1.5-i, 0.5+i] as an
# n-by-n bitmap and writes it as a binary portable bitmap (PBM "P4"): a pixel
# is set when z -> z*z + c stays within |z| <= 2 for 50 iterations
# (argument: n).
# Algorithm: The Computer Language Benchmarks Game, "mandelbrot"
# https://benchmarksgame-team.pages.debian.net/benchmarksgame/description/mandelbrot.html
import sys

ITERATIONS = 50
LIMIT_SQUARED = 4.0  # |z| > 2, tested as zr*zr + zi*zi > 4


def row_bits(y, n):
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
    return row


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    out = sys.stdout.buffer
    out.write(b"P4\n%d %d\n" % (n, n))
    for y in range(n):
        out.write(row_bits(y, n))
    out.flush()


if __name__ == "__main__":
    main()
