# regex-redux: reads FASTA (the fasta workload's output) from stdin, removes
# the header lines and newlines with a regular expression, counts the
# matches of nine DNA 8-mer variant patterns (each with its reverse
# complement), then applies five IUB code substitutions in turn. Prints each
# pattern's count, then the input length, the cleaned length and the length
# after the substitutions. Uses the standard library's regex engine (re).
# Algorithm: The Computer Language Benchmarks Game, "regex-redux"
# https://benchmarksgame-team.pages.debian.net/benchmarksgame/description/regexredux.html
import re
import sys

VARIANTS = [
    "agggtaaa|tttaccct",
    "[cgt]gggtaaa|tttaccc[acg]",
    "a[act]ggtaaa|tttacc[agt]t",
    "ag[act]gtaaa|tttac[agt]ct",
    "agg[act]taaa|ttta[agt]cct",
    "aggg[acg]aaa|ttt[cgt]ccct",
    "agggt[cgt]aa|tt[acg]accct",
    "agggta[cgt]a|t[acg]taccct",
    "agggtaa[cgt]|[acg]ttaccct",
]

SUBSTITUTIONS = [
    ("tHa[Nt]", "<4>"),
    ("aND|caN|Ha[DS]|WaS", "<3>"),
    ("a[NSt]|BY", "<2>"),
    ("<[^>]*>", "|"),
    (r"\|[^|][^|]*\|", "-"),
]


def main():
    sequence = sys.stdin.read()
    input_length = len(sequence)
    sequence = re.sub(">.*\n|\n", "", sequence)
    clean_length = len(sequence)

    for pattern in VARIANTS:
        print(pattern, len(re.findall(pattern, sequence)))

    for pattern, replacement in SUBSTITUTIONS:
        sequence = re.sub(pattern, replacement, sequence)

    print()
    print(input_length)
    print(clean_length)
    print(len(sequence))


if __name__ == "__main__":
    main()
