# word-frequency: reads text from stdin line by line, lower-cases it, splits it
# into words (maximal runs of the letters a-z; everything else separates
# words) and counts them in a hash map (collections.Counter). Prints the 20 most
# frequent words with their counts, ties broken alphabetically, then the
# number of distinct words.
import re
import sys
from collections import Counter

WORD = re.compile(r"[a-z]+")


def main():
    counts = Counter()
    for line in sys.stdin:
        counts.update(WORD.findall(line.lower()))

    top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:20]
    for word, count in top:
        print(f"{count:8d} {word}")
    print(f"distinct words: {len(counts)}")


if __name__ == "__main__":
    main()
