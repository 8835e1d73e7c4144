# fasta: generates DNA sequences in FASTA format. Argument: N.
#   ">ONE"   2N nucleotides copied cyclically from the ALU sequence;
#   ">TWO"   3N nucleotides drawn at random from the IUB ambiguity codes;
#   ">THREE" 5N nucleotides drawn at random from Homo sapiens frequencies.
# Each random draw takes one step of a fixed linear congruential generator
# (IM = 139968, IA = 3877, IC = 29573, seed 42) and a linear search of the
# cumulative probabilities; lines are 60 characters. The output is also the
# input of the k-nucleotide, reverse-complement and regex-redux workloads.
# Algorithm: The Computer Language Benchmarks Game, "fasta"
# https://benchmarksgame-team.pages.debian.net/benchmarksgame/description/fasta.html
import sys

LINE_LENGTH = 60

IM = 139968
IA = 3877
IC = 29573

ALU = (
    "GGCCGGGCGCGGTGGCTCACGCCTGTAATCCCAGCACTTTGG"
    "GAGGCCGAGGCGGGCGGATCACCTGAGGTCAGGAGTTCGAGA"
    "CCAGCCTGGCCAACATGGTGAAACCCCGTCTCTACTAAAAAT"
    "ACAAAAATTAGCCGGGCGTGGTGGCGCGCGCCTGTAATCCCA"
    "GCTACTCGGGAGGCTGAGGCAGGAGAATCGCTTGAACCCGGG"
    "AGGCGGAGGTTGCAGTGAGCCGAGATCGCGCCACTGCACTCC"
    "AGCCTGGGCGACAGAGCGAGACTCCGTCTCAAAAA"
)

IUB = [
    ("a", 0.27), ("c", 0.12), ("g", 0.12), ("t", 0.27),
    ("B", 0.02), ("D", 0.02), ("H", 0.02), ("K", 0.02),
    ("M", 0.02), ("N", 0.02), ("R", 0.02), ("S", 0.02),
    ("V", 0.02), ("W", 0.02), ("Y", 0.02),
]

HOMO_SAPIENS = [
    ("a", 0.3029549426680),
    ("c", 0.1979883004921),
    ("g", 0.1975473066391),
    ("t", 0.3015094502008),
]


def lcg_random(seed):
    """Yield an endless stream of numbers in [0, 1) from the fixed LCG."""
    while True:
        seed = (seed * IA + IC) % IM
        yield seed / IM


def repeat_fasta(out, header, sequence, n):
    """Write n characters of `sequence`, repeated cyclically, in lines."""
    out.write(header + "\n")
    doubled = sequence + sequence  # a line may wrap past the end
    start = 0
    for written in range(0, n, LINE_LENGTH):
        length = min(LINE_LENGTH, n - written)
        out.write(doubled[start:start + length] + "\n")
        start = (start + length) % len(sequence)


def random_fasta(out, header, table, n, rand):
    """Write n characters picked at random with the table's probabilities."""
    out.write(header + "\n")
    symbols = [symbol for symbol, _ in table]
    cumulative = []
    total = 0.0
    for _, probability in table:
        total += probability
        cumulative.append(total)
    last = len(symbols) - 1
    for written in range(0, n, LINE_LENGTH):
        line = []
        for _ in range(min(LINE_LENGTH, n - written)):
            r = next(rand)
            i = 0
            while i < last and r >= cumulative[i]:
                i += 1
            line.append(symbols[i])
        out.write("".join(line) + "\n")


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    out = sys.stdout
    rand = lcg_random(42)  # one stream shared by both random sequences
    repeat_fasta(out, ">ONE Homo sapiens alu", ALU, 2 * n)
    random_fasta(out, ">TWO IUB ambiguity codes", IUB, 3 * n, rand)
    random_fasta(out, ">THREE Homo sapiens frequency", HOMO_SAPIENS, 5 * n, rand)


if __name__ == "__main__":
    main()
