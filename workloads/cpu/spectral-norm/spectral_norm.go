// spectral-norm: approximates the spectral norm of the infinite matrix
// A(i,j) = 1/((i+j)(i+j+1)/2 + i + 1), truncated to N x N (argument: N), by
// 10 rounds of the power method on A^T A. Prints the result with 9 decimals.
// Algorithm: The Computer Language Benchmarks Game, "spectral-norm"
// https://benchmarksgame-team.pages.debian.net/benchmarksgame/description/spectralnorm.html
package main

import (
	"fmt"
	"math"
	"os"
	"strconv"
)

// a returns entry (i, j) of the matrix A.
func a(i, j int) float64 {
	return 1.0 / float64((i+j)*(i+j+1)/2+i+1)
}

// multiplyAv returns A times v.
func multiplyAv(v []float64) []float64 {
	av := make([]float64, len(v))
	for i := range av {
		sum := 0.0
		for j, vj := range v {
			sum += a(i, j) * vj
		}
		av[i] = sum
	}
	return av
}

// multiplyAtv returns A transposed times v.
func multiplyAtv(v []float64) []float64 {
	atv := make([]float64, len(v))
	for i := range atv {
		sum := 0.0
		for j, vj := range v {
			sum += a(j, i) * vj
		}
		atv[i] = sum
	}
	return atv
}

// multiplyAtAv returns A transposed times A times v.
func multiplyAtAv(v []float64) []float64 {
	return multiplyAtv(multiplyAv(v))
}

func main() {
	n := 100
	if len(os.Args) > 1 {
		var err error
		if n, err = strconv.Atoi(os.Args[1]); err != nil {
			fmt.Fprintln(os.Stderr, "usage: spectral_norm N")
			os.Exit(2)
		}
	}
	u := make([]float64, n)
	for i := range u {
		u[i] = 1
	}
	var v []float64
	for i := 0; i < 10; i++ {
		v = multiplyAtAv(u)
		u = multiplyAtAv(v)
	}
	var vBv, vv float64
	for i := range v {
		vBv += u[i] * v[i]
		vv += v[i] * v[i]
	}
	fmt.Printf("%.9f\n", math.Sqrt(vBv/vv))
}
