# Generates the input of word-frequency: English-looking prose of N words
# (argument: N), wrapped at 72 columns. Words come from a vocabulary of 30,000
# made-up words (syllable combinations) drawn with a Zipf-like distribution
# (the word of rank r has weight 1/r), with sentence capitalization, some
# ALL-CAPS and Title-Case words, commas, semicolons, sentence ends, quotes,
# parentheses, hyphenated pairs, apostrophes and numbers. ASCII only.
# Deterministic: a fixed 64-bit linear congruential generator (Knuth's MMIX
# constants) and integer weights, never the random module or floats.
import bisect
import sys

MASK = (1 << 64) - 1
VOCABULARY = 30000
SYLLABLES = ["ka", "lo", "mi", "ne", "tor", "ba", "ri", "sen", "da", "vu", "pel", "o",
             "a", "in", "th", "er", "an", "re", "on", "at", "es", "st", "ing", "qu",
             "ly", "ment", "zor", "gh", "wy", "fex", "ju", "cl", "bri", "ol", "ath", "ex"]


class LCG:
    def __init__(self, seed):
        self.state = seed

    def below(self, n):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) & MASK
        return (self.state >> 16) % n  # the low bits of a power-of-two LCG are weak


def vocabulary(rng):
    words = []
    seen = set()
    while len(words) < VOCABULARY:
        word = "".join(SYLLABLES[rng.below(len(SYLLABLES))] for _ in range(1 + rng.below(4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    rng = LCG(7)
    words = vocabulary(rng)
    cumulative = []
    total = 0
    for rank in range(1, len(words) + 1):
        total += 1_000_000_000 // rank
        cumulative.append(total)

    out = []
    line = []
    width = 0
    start_of_sentence = True
    for _ in range(n):
        word = words[bisect.bisect_right(cumulative, rng.below(total))]
        r = rng.below(1000)
        if r < 15:
            word = word.upper()
        elif r < 60 or start_of_sentence:
            word = word.capitalize()
        if r >= 990:
            word = word + "-" + words[rng.below(200)]
        elif r >= 980:
            word = word + "'" + "st"[rng.below(2)]
        elif r >= 975:
            word = '"' + word + '"'
        elif r >= 970:
            word = "(" + word + ")"
        elif r >= 965:
            word = word + " " + str(rng.below(2025))
        start_of_sentence = False
        p = rng.below(100)
        if p < 8:
            word += [".", ".", ".", "!", "?"][rng.below(5)]
            start_of_sentence = True
        elif p < 14:
            word += ","
        elif p < 15:
            word += ";"
        if width + len(word) + 1 > 72 and line:
            out.append(" ".join(line))
            line, width = [], 0
        line.append(word)
        width += len(word) + 1
        if len(out) >= 10000:
            sys.stdout.write("\n".join(out) + "\n")
            out = []
    if line:
        out.append(" ".join(line))
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
