// k-nucleotide: reads FASTA (the fasta workload's output) from stdin, takes
// the sequence ">THREE", and counts its k-nucleotides (substrings of length
// k) in a hash table. Prints the percentage frequency of every 1- and
// 2-nucleotide (by descending frequency, then key), then the counts of
// GGT, GGTA, GGTATT, GGTATTTTAATT and GGTATTTTAATTTATAGT.
// The table is the language's built-in hash map (map[string]int), filled
// one reading frame at a time, as the Benchmarks Game asks.
// Algorithm: The Computer Language Benchmarks Game, "k-nucleotide"
// https://benchmarksgame-team.pages.debian.net/benchmarksgame/description/knucleotide.html
package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// readSequence returns the sequence after the header line starting with
// name, uppercased.
func readSequence(r io.Reader, name string) string {
	scanner := bufio.NewScanner(r)
	for scanner.Scan() {
		if strings.HasPrefix(scanner.Text(), name) {
			break
		}
	}
	var sequence bytes.Buffer
	for scanner.Scan() {
		line := scanner.Bytes()
		if len(line) > 0 && line[0] == '>' {
			break
		}
		sequence.Write(bytes.TrimSpace(line))
	}
	return strings.ToUpper(sequence.String())
}

// updateCounts counts the k-nucleotides starting at frame, frame+k, frame+2k, ...
func updateCounts(counts map[string]int, sequence string, k, frame int) {
	for i := frame; i+k <= len(sequence); i += k {
		counts[sequence[i:i+k]]++
	}
}

// countKNucleotides returns every k-nucleotide of the sequence and how often it occurs.
func countKNucleotides(sequence string, k int) map[string]int {
	counts := make(map[string]int)
	for frame := 0; frame < k; frame++ {
		updateCounts(counts, sequence, k, frame)
	}
	return counts
}

func writeFrequencies(out io.Writer, sequence string, k int) {
	counts := countKNucleotides(sequence, k)
	keys := make([]string, 0, len(counts))
	for key := range counts {
		keys = append(keys, key)
	}
	sort.Slice(keys, func(a, b int) bool {
		if counts[keys[a]] != counts[keys[b]] {
			return counts[keys[a]] > counts[keys[b]]
		}
		return keys[a] < keys[b]
	})
	total := len(sequence) - k + 1
	for _, key := range keys {
		fmt.Fprintf(out, "%s %.3f\n", key, 100.0*float64(counts[key])/float64(total))
	}
	fmt.Fprintln(out)
}

func writeCount(out io.Writer, sequence, fragment string) {
	counts := countKNucleotides(sequence, len(fragment))
	fmt.Fprintf(out, "%d\t%s\n", counts[fragment], fragment)
}

func main() {
	sequence := readSequence(os.Stdin, ">THREE")
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	writeFrequencies(out, sequence, 1)
	writeFrequencies(out, sequence, 2)
	for _, fragment := range []string{"GGT", "GGTA", "GGTATT", "GGTATTTTAATT", "GGTATTTTAATTTATAGT"} {
		writeCount(out, sequence, fragment)
	}
}
