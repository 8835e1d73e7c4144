# k-nucleotide: reads FASTA (the fasta workload's output) from stdin, takes
# the sequence ">THREE", and counts its k-nucleotides (substrings of length
# k) in a hash table. Prints the percentage frequency of every 1- and
# 2-nucleotide (by descending frequency, then key), then the counts of
# GGT, GGTA, GGTATT, GGTATTTTAATT and GGTATTTTAATTTATAGT.
# The table is the language's built-in hash map (here a dict, as Counter),
# filled one reading frame at a time, as the Benchmarks Game asks.
# Algorithm: The Computer Language Benchmarks Game, "k-nucleotide"
# https://benchmarksgame-team.pages.debian.net/benchmarksgame/description/knucleotide.html
import sys
from collections import Counter


def read_sequence(lines, name):
    """The sequence after the header line starting with `name`, uppercased."""
    for line in lines:
        if line.startswith(name):
            break
    parts = []
    for line in lines:
        if line.startswith(">"):
            break
        parts.append(line.rstrip())
    return "".join(parts).upper()


def update_counts(counts, sequence, k, frame):
    """Count the k-nucleotides starting at frame, frame + k, frame + 2k, ..."""
    counts.update(sequence[i:i + k] for i in range(frame, len(sequence) - k + 1, k))


def count_k_nucleotides(sequence, k):
    """A table of every k-nucleotide of the sequence and how often it occurs."""
    counts = Counter()
    for frame in range(k):
        update_counts(counts, sequence, k, frame)
    return counts


def write_frequencies(out, sequence, k):
    counts = count_k_nucleotides(sequence, k)
    total = len(sequence) - k + 1
    for key, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        out.write(f"{key} {100.0 * count / total:.3f}\n")
    out.write("\n")


def write_count(out, sequence, fragment):
    counts = count_k_nucleotides(sequence, len(fragment))
    out.write(f"{counts[fragment]}\t{fragment}\n")


def main():
    sequence = read_sequence(sys.stdin, ">THREE")
    out = sys.stdout
    write_frequencies(out, sequence, 1)
    write_frequencies(out, sequence, 2)
    for fragment in ("GGT", "GGTA", "GGTATT", "GGTATTTTAATT", "GGTATTTTAATTTATAGT"):
        write_count(out, sequence, fragment)


if __name__ == "__main__":
    main()
