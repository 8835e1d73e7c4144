// word-frequency: reads text from stdin line by line, lower-cases it, splits it
// into words (maximal runs of the letters a-z; everything else separates
// words) and counts them in a hash map (map[string]int). Prints the 20 most
// frequent words with their counts, ties broken alphabetically, then the
// number of distinct words.
package main

import (
	"bufio"
	"cmp"
	"fmt"
	"log"
	"os"
	"slices"
	"strings"
)

type wordCount struct {
	word  string
	count int
}

func notLetter(r rune) bool {
	return r < 'a' || r > 'z'
}

func main() {
	counts := make(map[string]int)
	scanner := bufio.NewScanner(os.Stdin)
	for scanner.Scan() {
		for _, word := range strings.FieldsFunc(strings.ToLower(scanner.Text()), notLetter) {
			counts[word]++
		}
	}
	if err := scanner.Err(); err != nil {
		log.Fatal(err)
	}

	words := make([]wordCount, 0, len(counts))
	for word, count := range counts {
		words = append(words, wordCount{word, count})
	}
	slices.SortFunc(words, func(a, b wordCount) int {
		if c := cmp.Compare(b.count, a.count); c != 0 {
			return c
		}
		return strings.Compare(a.word, b.word)
	})

	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for _, wc := range words[:min(20, len(words))] {
		fmt.Fprintf(out, "%8d %s\n", wc.count, wc.word)
	}
	fmt.Fprintf(out, "distinct words: %d\n", len(counts))
}
