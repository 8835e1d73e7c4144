// mandelbrot, multi-core: plots the Mandelbrot set on the square
// [-1.5-i, 0.5+i] as an n-by-n bitmap and writes it as a binary portable bitmap
// (PBM "P4"): a pixel is set when z -> z*z + c stays within |z| <= 2 for 50
// iterations (argument: n).
// One goroutine per CPU (runtime.NumCPU) takes rows in turn and computes them
// into a shared bitmap, which is written once all rows are done.
// Algorithm: The Computer Language Benchmarks Game, "mandelbrot"
// https://benchmarksgame-team.pages.debian.net/benchmarksgame/description/mandelbrot.html
package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
)

const (
	iterations   = 50
	limitSquared = 4.0 // |z| > 2, tested as zr*zr + zi*zi > 4
)

// rowBits fills row (zeroed) with row y of the bitmap, 8 pixels a byte, most
// significant bit first.
func rowBits(row []byte, y, n int) {
	ci := 2.0*float64(y)/float64(n) - 1.0
	for x := 0; x < n; x++ {
		cr := 2.0*float64(x)/float64(n) - 1.5
		var zr, zi, tr, ti float64
		inside := true
		for i := 0; i < iterations; i++ {
			// The float64 conversions round each product, so the compiler cannot
			// fuse a multiply-add (Go may on arm64): pixels on the boundary come
			// out as in Python on every CPU.
			zi = float64(2.0*zr*zi) + ci
			zr = tr - ti + cr
			tr = float64(zr * zr)
			ti = float64(zi * zi)
			if tr+ti > limitSquared {
				inside = false
				break
			}
		}
		if inside {
			row[x>>3] |= 0x80 >> (x & 7)
		}
	}
}

func main() {
	n := 200
	if len(os.Args) > 1 {
		var err error
		if n, err = strconv.Atoi(os.Args[1]); err != nil {
			fmt.Fprintln(os.Stderr, "usage: mandelbrot_parallel N")
			os.Exit(2)
		}
	}
	rowBytes := (n + 7) / 8
	bitmap := make([]byte, n*rowBytes)

	var nextRow atomic.Int64
	var wg sync.WaitGroup
	for range runtime.NumCPU() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for y := int(nextRow.Add(1)) - 1; y < n; y = int(nextRow.Add(1)) - 1 {
				rowBits(bitmap[y*rowBytes:(y+1)*rowBytes], y, n)
			}
		}()
	}
	wg.Wait()

	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	fmt.Fprintf(out, "P4\n%d %d\n", n, n)
	out.Write(bitmap)
}
