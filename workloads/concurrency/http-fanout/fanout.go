// http-fanout: N concurrent HTTP GETs against a slow backend (arguments: N D).
// Request i asks versus's server ($VERSUS_SERVER_URL) for /item/i?delay_ms=D,
// which answers after D ms with {"id":i,"value":(i*7919)%10007}; every body is
// checked. With all N in flight at once the batch takes about D ms plus
// overhead; one at a time it would take N×D ms.
// Prints `N responses, sum S` where S is the sum of the values, and writes the
// batch's time (`batch_s`, from before the first goroutine to the last body
// checked) to the file named by $VERSUS_METRICS.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"sync"
	"syscall"
	"time"
)

type item struct {
	ID    int `json:"id"`
	Value int `json:"value"`
}

// fetch GETs one item and checks its body.
func fetch(base string, i, delay int) (int, error) {
	resp, err := http.Get(fmt.Sprintf("%s/item/%d?delay_ms=%d", base, i, delay))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("item %d: %s", i, resp.Status)
	}
	var it item
	if err := json.NewDecoder(resp.Body).Decode(&it); err != nil {
		return 0, fmt.Errorf("item %d: %w", i, err)
	}
	if it.ID != i || it.Value != i*7919%10007 {
		return 0, fmt.Errorf("item %d: unexpected body %+v", i, it)
	}
	return it.Value, nil
}

func main() {
	n, _ := strconv.Atoi(os.Args[1])
	delay, _ := strconv.Atoi(os.Args[2])
	base := os.Getenv("VERSUS_SERVER_URL")

	// A goroutine per request, all through http.DefaultClient, which does not
	// cap the connections per host: every request gets its own connection.
	start := time.Now()
	values := make([]int, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			values[i], errs[i] = fetch(base, i, delay)
		}()
	}
	wg.Wait()
	batch := time.Since(start)

	sum := 0
	for i, err := range errs {
		if err != nil {
			// Out of file descriptors or local ports: a limit of the machine.
			if errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE) ||
				errors.Is(err, syscall.EADDRNOTAVAIL) {
				fmt.Fprintf(os.Stderr, "%d concurrent requests: %v\n", n, err)
				os.Exit(75)
			}
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		sum += values[i]
	}
	fmt.Printf("%d responses, sum %d\n", n, sum)
	writeMetric("batch_s", batch.Seconds())
}

// writeMetric appends "name value" to the file named by VERSUS_METRICS, if set.
func writeMetric(name string, value float64) {
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
