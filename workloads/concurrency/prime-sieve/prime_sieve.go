// prime-sieve: the concurrent prime sieve. A generator goroutine sends 2, 3,
// 4, ... down a channel; every prime that reaches the end of the chain adds a
// filter goroutine that drops the multiples of that prime, so the chain grows
// by one goroutine per prime. Prints the N-th prime (argument: N). Measures
// channel hand-offs along a long chain of goroutines: the metric
// messages_per_s is the number of values sent on all channels divided by
// the time of the sieve.
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync/atomic"
	"time"
)

// counter is one goroutine's count of the values it sent. Atomic, because
// main reads it while the goroutines still run; padded to a cache line of its
// own, so that goroutines on different cores do not slow each other down.
type counter struct {
	sent atomic.Int64
	_    [56]byte
}

// generate sends 2, 3, 4, ... on out, forever.
func generate(out chan<- int, c *counter) {
	for i := 2; ; i++ {
		out <- i
		c.sent.Add(1)
	}
}

// filter passes on the values from in that prime does not divide, forever.
func filter(in <-chan int, out chan<- int, prime int, c *counter) {
	for {
		v := <-in
		if v%prime != 0 {
			out <- v
			c.sent.Add(1)
		}
	}
}

func main() {
	n, err := strconv.Atoi(os.Args[1])
	if err != nil || n < 1 {
		fmt.Fprintln(os.Stderr, "usage: prime_sieve N")
		os.Exit(2)
	}
	counters := make([]counter, n) // the generator's, then one per filter

	start := time.Now()
	// Unbuffered channels: every value is handed from one goroutine to the next.
	ch := make(chan int)
	go generate(ch, &counters[0])
	var prime int
	for i := 1; i <= n; i++ {
		prime = <-ch
		if i == n {
			break // the n-th prime needs no filter of its own
		}
		next := make(chan int)
		go filter(ch, next, prime, &counters[i])
		ch = next
	}
	elapsed := time.Since(start).Seconds()
	messages := int64(0)
	for i := range counters {
		messages += counters[i].sent.Load()
	}

	fmt.Println(prime)
	writeMetrics("messages_per_s", float64(messages)/elapsed)
	// Returning from main ends the program, and with it the goroutines, each
	// blocked on a channel that nobody reads any more.
}

// writeMetrics appends "name value" to the file named by VERSUS_METRICS, if set.
func writeMetrics(name string, value float64) {
	path := os.Getenv("VERSUS_METRICS")
	if path == "" {
		return
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		fmt.Fprintln(os.Stderr, "metrics:", err)
		os.Exit(1)
	}
	defer f.Close()
	fmt.Fprintf(f, "%s %.3f\n", name, value)
}
