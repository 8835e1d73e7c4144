// ping-pong: two goroutines pass a token back and forth over two unbuffered
// channels N times, then print "N round trips" (argument: N). Measures the
// cost of one hand-off between two tasks: the metric round_trips_per_s is
// timed over the exchange loop only.
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

// result is what ping reports: the round trips pong counted, and how long
// the exchange took.
type result struct {
	trips   int
	seconds float64
}

// ping sends the token and waits for it to come back, n times.
func ping(n int, out chan<- int, in <-chan int, done chan<- result) {
	token := 0
	start := time.Now()
	for i := 0; i < n; i++ {
		out <- token
		token = <-in
	}
	elapsed := time.Since(start).Seconds()
	close(out) // tells pong to stop
	done <- result{token, elapsed}
}

// pong sends every token back, counting one more round trip.
func pong(in <-chan int, out chan<- int) {
	for token := range in {
		out <- token + 1
	}
}

func main() {
	n, err := strconv.Atoi(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "usage: ping_pong N")
		os.Exit(2)
	}
	// Unbuffered: each send waits until the other goroutine receives it, so
	// every leg is a real hand-off between the two goroutines.
	pings, pongs := make(chan int), make(chan int)
	done := make(chan result)
	go pong(pings, pongs)
	go ping(n, pings, pongs, done)
	r := <-done

	fmt.Printf("%d round trips\n", r.trips)
	writeMetrics("round_trips_per_s", float64(r.trips)/r.seconds)
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
