// fannkuch-redux: for every permutation of 1..n, repeatedly reverses the first
// k elements, where k is the first element, until the first element is 1 (a
// "pancake flip" count). Prints a checksum of the flip counts (added for even
// permutation indexes, subtracted for odd ones) and the largest flip count
// (argument: n).
// Algorithm: The Computer Language Benchmarks Game, "fannkuch-redux"
// https://benchmarksgame-team.pages.debian.net/benchmarksgame/description/fannkuchredux.html
package main

import (
	"fmt"
	"os"
	"strconv"
)

// countFlips flips a copy of perm (values 0..n-1) in scratch until its first
// element is 0 and returns the number of flips.
func countFlips(perm, scratch []int) int {
	copy(scratch, perm)
	flips := 0
	for first := scratch[0]; first != 0; first = scratch[0] {
		for i, j := 0, first; i < j; i, j = i+1, j-1 {
			scratch[i], scratch[j] = scratch[j], scratch[i]
		}
		flips++
	}
	return flips
}

// rotateLeft moves prefix[0] to the end of prefix, shifting the rest left.
func rotateLeft(prefix []int) {
	first := prefix[0]
	copy(prefix, prefix[1:])
	prefix[len(prefix)-1] = first
}

func fannkuch(n int) (checksum, maxFlips int) {
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	scratch := make([]int, n)
	// count[i] is how many times the prefix perm[0..i] has been rotated; the
	// counts are the digits of the permutation index in the factorial base.
	count := make([]int, n)
	for index := 0; ; index++ {
		flips := countFlips(perm, scratch)
		maxFlips = max(maxFlips, flips)
		if index%2 == 0 {
			checksum += flips
		} else {
			checksum -= flips
		}

		// Next permutation: rotate the shortest prefix whose counter does not wrap.
		i := 1
		for {
			if i >= n {
				return checksum, maxFlips
			}
			rotateLeft(perm[:i+1])
			count[i]++
			if count[i] <= i {
				break
			}
			count[i] = 0
			i++
		}
	}
}

func main() {
	n := 7
	if len(os.Args) > 1 {
		var err error
		if n, err = strconv.Atoi(os.Args[1]); err != nil {
			fmt.Fprintln(os.Stderr, "usage: fannkuch_redux N")
			os.Exit(2)
		}
	}
	checksum, maxFlips := fannkuch(n)
	fmt.Printf("%d\nPfannkuchen(%d) = %d\n", checksum, n, maxFlips)
}
