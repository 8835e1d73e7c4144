// cpu-scaling: counts the primes below LIMIT by trial division, one CPU-bound
// job split over W goroutines (arguments: W LIMIT).
// [2, LIMIT) is cut into blocks of block numbers and block b goes to worker
// b % W, so every worker gets an equal share of small and large numbers (and of
// the primes: within 2% of each other at W = 4 for LIMIT = 100000).
// Striding over the numbers themselves would not: with W = 2, every odd number,
// and so every prime but 2, would land on one worker.
// Prints the count; with VERSUS_METRICS set, appends `share.{i} N`, the primes
// worker i found, for every worker.
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
)

const block = 1000

// isPrime is trial division: 2 on its own, then odd divisors up to the square root.
func isPrime(n int) bool {
	if n < 2 {
		return false
	}
	if n%2 == 0 {
		return n == 2
	}
	for d := 3; d*d <= n; d += 2 {
		if n%d == 0 {
			return false
		}
	}
	return true
}

// countPrimes counts the primes in the blocks dealt to worker:
// [2 + b*block, 2 + (b+1)*block) for every b with b % workers == worker.
func countPrimes(worker, workers, limit int) int {
	count := 0
	for start := 2 + worker*block; start < limit; start += workers * block {
		for n := start; n < min(start+block, limit); n++ {
			if isPrime(n) {
				count++
			}
		}
	}
	return count
}

func main() {
	workers, _ := strconv.Atoi(os.Args[1])
	limit, _ := strconv.Atoi(os.Args[2])

	// One goroutine per worker; each writes only its own slot of shares.
	shares := make([]int, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			shares[w] = countPrimes(w, workers, limit)
		}()
	}
	wg.Wait()

	total := 0
	for _, share := range shares {
		total += share
	}
	fmt.Printf("primes below %d: %d\n", limit, total)

	if path := os.Getenv("VERSUS_METRICS"); path != "" {
		f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer f.Close()
		for w, share := range shares {
			fmt.Fprintf(f, "share.%d %d\n", w, share)
		}
	}
}
