// regex-redux: reads FASTA (the fasta workload's output) from stdin, removes
// the header lines and newlines with a regular expression, counts the
// matches of nine DNA 8-mer variant patterns (each with its reverse
// complement), then applies five IUB code substitutions in turn. Prints each
// pattern's count, then the input length, the cleaned length and the length
// after the substitutions. Uses the standard library's regex engine (regexp).
// Algorithm: The Computer Language Benchmarks Game, "regex-redux"
// https://benchmarksgame-team.pages.debian.net/benchmarksgame/description/regexredux.html
package main

import (
	"fmt"
	"io"
	"os"
	"regexp"
)

var variants = []string{
	"agggtaaa|tttaccct",
	"[cgt]gggtaaa|tttaccc[acg]",
	"a[act]ggtaaa|tttacc[agt]t",
	"ag[act]gtaaa|tttac[agt]ct",
	"agg[act]taaa|ttta[agt]cct",
	"aggg[acg]aaa|ttt[cgt]ccct",
	"agggt[cgt]aa|tt[acg]accct",
	"agggta[cgt]a|t[acg]taccct",
	"agggtaa[cgt]|[acg]ttaccct",
}

var substitutions = []struct{ pattern, replacement string }{
	{"tHa[Nt]", "<4>"},
	{"aND|caN|Ha[DS]|WaS", "<3>"},
	{"a[NSt]|BY", "<2>"},
	{"<[^>]*>", "|"},
	{`\|[^|][^|]*\|`, "-"},
}

func main() {
	sequence, err := io.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	inputLength := len(sequence)
	sequence = regexp.MustCompile(">.*\n|\n").ReplaceAllLiteral(sequence, nil)
	cleanLength := len(sequence)

	for _, pattern := range variants {
		matches := regexp.MustCompile(pattern).FindAllIndex(sequence, -1)
		fmt.Println(pattern, len(matches))
	}

	for _, s := range substitutions {
		sequence = regexp.MustCompile(s.pattern).ReplaceAllLiteral(sequence, []byte(s.replacement))
	}

	fmt.Println()
	fmt.Println(inputLength)
	fmt.Println(cleanLength)
	fmt.Println(len(sequence))
}
