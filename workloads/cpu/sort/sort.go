// sort: sorts N 64-bit signed integers and M short strings with the language's
// built-in sort (slices.Sort, pattern-defeating quicksort). The input comes on
// stdin, made by gen_input.go outside the timed run: a line "N M", the N
// integers as 8-byte little-endian two's complement, then the M strings, one
// per line. Prints, for each sorted list, its length, first and last elements
// and a checksum: the sum of (i + 1) * value(i) modulo 1,000,000,007 over
// every stride-th element i (stride = max(1, length / 10000)), where a
// string's value is its polynomial hash sum(byte * 31^k) modulo the same
// prime.
package main

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

const mod = 1_000_000_007

func intValue(v int64) int64 {
	r := v % mod
	if r < 0 {
		r += mod
	}
	return r
}

func stringValue(s string) int64 {
	var h int64
	for i := 0; i < len(s); i++ {
		h = (h*31 + int64(s[i])) % mod
	}
	return h
}

func checksum[T any](items []T, value func(T) int64) int64 {
	stride := max(1, len(items)/10000)
	var total int64
	for i := 0; i < len(items); i += stride {
		total = (total + int64(i+1)*value(items[i])) % mod
	}
	return total
}

// readInput reads the integers and strings of the input.
func readInput(r *bufio.Reader) ([]int64, []string, error) {
	var nInts, nStrings int
	if _, err := fmt.Fscanf(r, "%d %d\n", &nInts, &nStrings); err != nil {
		return nil, nil, fmt.Errorf("expected a line 'N M' on stdin (gen_input.go writes the input): %w", err)
	}
	ints := make([]int64, nInts)
	if err := binary.Read(r, binary.LittleEndian, ints); err != nil {
		return nil, nil, fmt.Errorf("reading %d integers: %w", nInts, err)
	}
	rest, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, err
	}
	words := strings.Fields(string(rest))
	if len(words) != nStrings {
		return nil, nil, fmt.Errorf("expected %d strings, read %d", nStrings, len(words))
	}
	return ints, words, nil
}

func main() {
	ints, words, err := readInput(bufio.NewReader(os.Stdin))
	if err != nil {
		fmt.Fprintln(os.Stderr, "sort:", err)
		os.Exit(1)
	}

	slices.Sort(ints)
	slices.Sort(words)

	fmt.Printf("ints: %d first %d last %d checksum %d\n",
		len(ints), ints[0], ints[len(ints)-1], checksum(ints, intValue))
	fmt.Printf("strings: %d first %s last %s checksum %d\n",
		len(words), words[0], words[len(words)-1], checksum(words, stringValue))
}
