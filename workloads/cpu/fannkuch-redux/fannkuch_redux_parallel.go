// fannkuch-redux, multi-core: for every permutation of 1..n, repeatedly
// reverses the first k elements, where k is the first element, until the first
// element is 1 (a "pancake flip" count). Prints a checksum of the flip counts
// (added for even permutation indexes, subtracted for odd ones) and the largest
// flip count (argument: n).
// The n! permutations are split into blocks of consecutive indexes; one
// goroutine per CPU (runtime.NumCPU) takes blocks in turn and counts their
// flips, starting from the permutation computed directly from the block's
// first index.
// Algorithm: The Computer Language Benchmarks Game, "fannkuch-redux"
// https://benchmarksgame-team.pages.debian.net/benchmarksgame/description/fannkuchredux.html
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
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

func factorial(n int) int {
	f := 1
	for i := 2; i <= n; i++ {
		f *= i
	}
	return f
}

// permutationAt sets perm to the permutation with this index, and count to its
// rotation counters (the index's digits in the factorial base), in the order
// of the sequential program.
func permutationAt(index int, perm, count []int) {
	for i := range perm {
		perm[i] = i
	}
	for i := len(perm) - 1; i > 0; i-- {
		f := factorial(i)
		count[i] = index / f
		index %= f
		for range count[i] {
			rotateLeft(perm[:i+1])
		}
	}
}

// fannkuchBlock returns the checksum and maximum flip count over permutation
// indexes start..stop-1.
func fannkuchBlock(n, start, stop int) (checksum, maxFlips int) {
	perm := make([]int, n)
	count := make([]int, n)
	scratch := make([]int, n)
	permutationAt(start, perm, count)
	for index := start; index < stop; index++ {
		flips := countFlips(perm, scratch)
		maxFlips = max(maxFlips, flips)
		if index%2 == 0 {
			checksum += flips
		} else {
			checksum -= flips
		}

		// Next permutation: rotate the shortest prefix whose counter does not wrap.
		for i := 1; i < n; i++ {
			rotateLeft(perm[:i+1])
			count[i]++
			if count[i] <= i {
				break
			}
			count[i] = 0
		}
	}
	return checksum, maxFlips
}

func fannkuch(n int) (checksum, maxFlips int) {
	workers := runtime.NumCPU()
	total := factorial(n)
	block := max(1, (total+workers*8-1)/(workers*8)) // several blocks per worker
	var next atomic.Int64                            // start of the next unclaimed block
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				start := int(next.Add(int64(block))) - block
				if start >= total {
					return
				}
				c, m := fannkuchBlock(n, start, min(start+block, total))
				mu.Lock()
				checksum += c
				maxFlips = max(maxFlips, m)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return checksum, maxFlips
}

func main() {
	n := 7
	if len(os.Args) > 1 {
		var err error
		if n, err = strconv.Atoi(os.Args[1]); err != nil {
			fmt.Fprintln(os.Stderr, "usage: fannkuch_redux_parallel N")
			os.Exit(2)
		}
	}
	checksum, maxFlips := fannkuch(n)
	fmt.Printf("%d\nPfannkuchen(%d) = %d\n", checksum, n, maxFlips)
}
