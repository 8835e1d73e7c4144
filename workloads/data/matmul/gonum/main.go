// matmul: multiplies two n×n float64 matrices, C = A·B, with gonum's mat
// package (Dense.Mul, backed by gonum's pure-Go BLAS, which blocks the
// product and spreads it over all cores).
// A and B are filled row by row, A first, with uniform numbers in [0, 1) from
// a 64-bit linear congruential generator (Knuth's MMIX constants, seed 42):
// state = state*6364136223846793005 + 1442695040888963407 (mod 2^64), and the
// number is the top 53 bits of the state divided by 2^53.
// Prints n, the sum of all elements of C, its trace and its corner C[0][n-1]
// (argument: n).
package main

import (
	"fmt"
	"os"
	"strconv"

	"gonum.org/v1/gonum/mat"
)

type lcg struct{ state uint64 }

// next advances the generator and returns a float64 in [0, 1).
func (g *lcg) next() float64 {
	g.state = g.state*6364136223846793005 + 1442695040888963407
	return float64(g.state>>11) / (1 << 53)
}

// matrix returns an n×n matrix of generated numbers, filled row by row.
func matrix(n int, g *lcg) *mat.Dense {
	data := make([]float64, n*n)
	for i := range data {
		data[i] = g.next()
	}
	return mat.NewDense(n, n, data)
}

func main() {
	n := 64
	if len(os.Args) > 1 {
		var err error
		if n, err = strconv.Atoi(os.Args[1]); err != nil || n < 1 {
			fmt.Fprintln(os.Stderr, "usage: matmul N")
			os.Exit(2)
		}
	}
	g := &lcg{state: 42}
	a := matrix(n, g)
	b := matrix(n, g)
	var c mat.Dense
	c.Mul(a, b)

	fmt.Printf("n %d\n", n)
	fmt.Printf("sum %.15e\n", mat.Sum(&c))
	fmt.Printf("trace %.15e\n", mat.Trace(&c))
	fmt.Printf("corner %.15e\n", c.At(0, n-1))
}
