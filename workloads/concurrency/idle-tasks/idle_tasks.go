// idle-tasks: starts N goroutines that each block until released, releases
// them WAIT_S seconds after the last one started, waits for all with a
// sync.WaitGroup, then prints "K tasks done", where K is how many goroutines
// counted themselves (an atomic counter) once released, so the output is N
// only when every goroutine ran (arguments: N, WAIT_S, SPAWN_BUDGET_S). All N
// are alive at once, so the peak memory of the process is what N idle
// goroutines cost; the metric spawn_s is the time taken to start them all.
// Starting that takes longer than SPAWN_BUDGET_S gives up: the program says
// how far it got and exits 75 (a limit reached).
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

const limitReached = 75

func main() {
	if len(os.Args) != 4 {
		usage()
	}
	n, err1 := strconv.Atoi(os.Args[1])
	waitS, err2 := strconv.ParseFloat(os.Args[2], 64)
	budgetS, err3 := strconv.ParseFloat(os.Args[3], 64)
	if err1 != nil || err2 != nil || err3 != nil {
		usage()
	}
	budget := time.Duration(budgetS * float64(time.Second))

	// Closing a channel wakes every goroutine blocked receiving from it.
	release := make(chan struct{})
	// started counts goroutines that are running and about to wait, so spawn_s measures
	// tasks started and waiting, as the threads' Thread.start() does, not just scheduled.
	var wg, started sync.WaitGroup
	var ran atomic.Int64
	start := time.Now()
	for i := 0; i < n; i++ {
		if i%1024 == 0 && time.Since(start) > budget {
			close(release)
			started.Wait()
			wg.Wait()
			fmt.Fprintf(os.Stderr, "started %d of %d goroutines in %.1f s, the spawn budget: gave up\n",
				i, n, time.Since(start).Seconds())
			os.Exit(limitReached)
		}
		wg.Add(1)
		started.Add(1)
		go func() {
			defer wg.Done()
			started.Done()
			<-release
			ran.Add(1)
		}()
	}
	started.Wait()
	spawn := time.Since(start).Seconds()
	time.Sleep(time.Duration(waitS * float64(time.Second)))
	close(release)
	wg.Wait()

	fmt.Printf("%d tasks done\n", ran.Load())
	writeMetrics("spawn_s", spawn)
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: idle_tasks TASKS WAIT_S SPAWN_BUDGET_S")
	os.Exit(2)
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
	fmt.Fprintf(f, "%s %.9f\n", name, value)
}
