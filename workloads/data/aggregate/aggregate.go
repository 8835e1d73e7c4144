// aggregate: reads a CSV on stdin whose first column is a group key and whose
// other columns are numbers (see generate.py), and prints, for each key in
// sorted order and then for all rows together ("*"), the row count and the
// mean and sample standard deviation (n - 1 in the denominator) of every
// numeric column, rounded to 6 decimals. Sums and sums of squares are
// accumulated in one pass over the rows.
package main

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
)

// stats holds the running count, sums and sums of squares of one group's columns.
type stats struct {
	count   int
	sums    []float64
	squares []float64
}

func newStats(width int) *stats {
	return &stats{sums: make([]float64, width), squares: make([]float64, width)}
}

func (s *stats) add(values []float64) {
	s.count++
	for i, v := range values {
		s.sums[i] += v
		s.squares[i] += v * v
	}
}

func (s *stats) merge(o *stats) {
	s.count += o.count
	for i := range s.sums {
		s.sums[i] += o.sums[i]
		s.squares[i] += o.squares[i]
	}
}

// fields returns the count, then the mean and standard deviation of each column, as text.
func (s *stats) fields() []string {
	out := []string{strconv.Itoa(s.count)}
	n := float64(s.count)
	for i, sum := range s.sums {
		mean := sum / n
		// Undefined for a single row; written as Python writes a NaN.
		std := "nan"
		if s.count > 1 {
			std = fmt.Sprintf("%.6f", math.Sqrt(max(s.squares[i]-sum*mean, 0)/(n-1)))
		}
		out = append(out, fmt.Sprintf("%.6f", mean), std)
	}
	return out
}

func main() {
	reader := csv.NewReader(os.Stdin)
	header, err := reader.Read()
	if err != nil {
		fmt.Fprintln(os.Stderr, "aggregate: no header:", err)
		os.Exit(1)
	}
	keyName, columns := header[0], slices.Clone(header[1:])
	width := len(columns)

	groups := map[string]*stats{}
	values := make([]float64, width)
	for {
		record, err := reader.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "aggregate:", err)
			os.Exit(1)
		}
		for i, field := range record[1:] {
			if values[i], err = strconv.ParseFloat(field, 64); err != nil {
				fmt.Fprintln(os.Stderr, "aggregate:", err)
				os.Exit(1)
			}
		}
		s := groups[record[0]]
		if s == nil {
			s = newStats(width)
			groups[strings.Clone(record[0])] = s
		}
		s.add(values)
	}

	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	header = []string{keyName, "count"}
	for _, c := range columns {
		header = append(header, c+"_mean", c+"_std")
	}
	fmt.Fprintln(out, strings.Join(header, " "))
	total := newStats(width)
	for _, key := range slices.Sorted(maps.Keys(groups)) {
		total.merge(groups[key])
		fmt.Fprintln(out, key, strings.Join(groups[key].fields(), " "))
	}
	fmt.Fprintln(out, "*", strings.Join(total.fields(), " "))
}
