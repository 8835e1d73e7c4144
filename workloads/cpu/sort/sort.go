// sort: sorts N 64-bit signed integers and M short strings with the language's
// built-in sort (slices.Sort, pattern-defeating quicksort). The data comes from
// a fixed 64-bit linear congruential generator (Knuth's MMIX constants),
// identical in both programs: first N integers (the generator's state read as
// a signed 64-bit value), then M strings of 4 to 11 letters a-z taken from one
// state each (arguments: N M). Prints, for each sorted list, its length, first
// and last elements and a checksum: the sum of (i + 1) * value(i) modulo
// 1,000,000,007 over every stride-th element i (stride = max(1, length /
// 10000)), where a string's value is its polynomial hash sum(byte * 31^k)
// modulo the same prime.
package main

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
)

const mod = 1_000_000_007

type lcg struct{ state uint64 }

func (g *lcg) next() uint64 {
	g.state = g.state*6364136223846793005 + 1442695040888963407
	return g.state
}

func toWord(x uint64) string {
	length := 4 + (x>>8)%8
	bits := x >> 11 // 53 bits: enough for 11 base-26 digits
	var sb strings.Builder
	for range length {
		sb.WriteByte(byte('a' + bits%26))
		bits /= 26
	}
	return sb.String()
}

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

func argOr(i, def int) int {
	if len(os.Args) > i {
		n, err := strconv.Atoi(os.Args[i])
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return n
	}
	return def
}

func main() {
	nInts, nStrings := argOr(1, 1000), argOr(2, 1000)
	rng := lcg{12345}

	ints := make([]int64, nInts)
	for i := range ints {
		ints[i] = int64(rng.next())
	}
	words := make([]string, nStrings)
	for i := range words {
		words[i] = toWord(rng.next())
	}

	slices.Sort(ints)
	slices.Sort(words)

	fmt.Printf("ints: %d first %d last %d checksum %d\n",
		len(ints), ints[0], ints[len(ints)-1], checksum(ints, intValue))
	fmt.Printf("strings: %d first %s last %s checksum %d\n",
		len(words), words[0], words[len(words)-1], checksum(words, stringValue))
}
