# reverse-complement: reads FASTA (the fasta workload's output) from stdin
# and writes each sequence's header line followed by the sequence's reverse
# complement (A<->T, C<->G and the IUB ambiguity codes M<->K, R<->Y, V<->B,
# H<->D; W, S and N are their own complements), upper case, in 60-character
# lines.
# Algorithm: The Computer Language Benchmarks Game, "reverse-complement"
# https://benchmarksgame-team.pages.debian.net/benchmarksgame/description/revcomp.html
import sys

LINE_LENGTH = 60

CODES = "ACGTUMRWSYKVHDBN"
COMPLEMENTS = "TGCAAKYWSRMBDHVN"
# Lower-case codes get the upper-case complement too.
COMPLEMENT = str.maketrans(CODES + CODES.lower(), COMPLEMENTS + COMPLEMENTS)


def write_reverse_complement(out, header, lines):
    """Write the header, then the reverse complement of the joined lines."""
    out.write(header)
    sequence = "".join(lines).translate(COMPLEMENT)[::-1]
    for start in range(0, len(sequence), LINE_LENGTH):
        out.write(sequence[start:start + LINE_LENGTH] + "\n")


def main():
    out = sys.stdout
    header = None
    lines = []
    for line in sys.stdin:
        if line.startswith(">"):
            if header is not None:
                write_reverse_complement(out, header, lines)
            header = line
            lines = []
        else:
            lines.append(line.rstrip("\n"))
    if header is not None:
        write_reverse_complement(out, header, lines)


if __name__ == "__main__":
    main()
