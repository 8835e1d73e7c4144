// matmul: multiplies two n×n float64 matrices, C = A·B, with the naive
// triple loop (B is transposed first so the inner loop walks two rows).
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
)

type lcg struct{ state uint64 }

// next advances the generator and returns a float64 in [0, 1).
func (g *lcg) next() float64 {
	g.state = g.state*6364136223846793005 + 1442695040888963407
	return float64(g.state>>11) / (1 << 53)
}

// matrix returns an n×n matrix of generated numbers, filled row by row.
func matrix(n int, g *lcg) [][]float64 {
	m := make([][]float64, n)
	for i := range m {
		m[i] = make([]float64, n)
		for j := range m[i] {
			m[i][j] = g.next()
		}
	}
	return m
}

func transpose(m [][]float64) [][]float64 {
	n := len(m)
	t := make([][]float64, n)
	for i := range t {
		t[i] = make([]float64, n)
		for j := range t[i] {
			t[i][j] = m[j][i]
		}
	}
	return t
}

// multiply returns a·b: each element is the dot product of a row of a and a
// column of b, summed in order of k.
func multiply(a, b [][]float64) [][]float64 {
	bt := transpose(b)
	c := make([][]float64, len(a))
	for i, row := range a {
		c[i] = make([]float64, len(bt))
		for j, col := range bt {
			s := 0.0
			for k, x := range row {
				s += x * col[k]
			}
			c[i][j] = s
		}
	}
	return c
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
	c := multiply(a, b)

	sum, trace := 0.0, 0.0
	for i, row := range c {
		for _, x := range row {
			sum += x
		}
		trace += row[i]
	}
	fmt.Printf("n %d\n", n)
	fmt.Printf("sum %.15e\n", sum)
	fmt.Printf("trace %.15e\n", trace)
	fmt.Printf("corner %.15e\n", c[0][n-1])
}
