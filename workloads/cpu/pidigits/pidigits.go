// pidigits: prints the first n digits of pi, 10 to a line followed by a tab,
// a colon and the count of digits so far, with Gibbons' unbounded spigot
// algorithm on math/big's arbitrary-precision integers (argument: n).
// Algorithm: The Computer Language Benchmarks Game, "pidigits"
// https://benchmarksgame-team.pages.debian.net/benchmarksgame/description/pidigits.html
package main

import (
	"bufio"
	"fmt"
	"math/big"
	"os"
	"strconv"
)

// spigot holds the linear fractional transformation
// x -> (numer*x + accum) / denom, composed with one term per k.
type spigot struct {
	accum, denom, numer *big.Int
	k                   int64
	tmp1, tmp2          big.Int
}

func newSpigot() *spigot {
	return &spigot{accum: big.NewInt(0), denom: big.NewInt(1), numer: big.NewInt(1)}
}

// nextTerm composes the transformation with the next term of the series.
func (s *spigot) nextTerm() {
	s.k++
	k2 := big.NewInt(2*s.k + 1)
	s.tmp1.Lsh(s.numer, 1)
	s.accum.Add(s.accum, &s.tmp1)
	s.accum.Mul(s.accum, k2)
	s.denom.Mul(s.denom, k2)
	s.numer.Mul(s.numer, big.NewInt(s.k))
}

// extractDigit returns floor((numer*x + accum) / denom).
func (s *spigot) extractDigit(x int64) int64 {
	s.tmp1.Mul(s.numer, big.NewInt(x))
	s.tmp1.Add(&s.tmp1, s.accum)
	s.tmp2.Quo(&s.tmp1, s.denom)
	return s.tmp2.Int64()
}

// eliminateDigit removes the emitted digit and shifts one decimal place.
func (s *spigot) eliminateDigit(digit int64) {
	s.tmp1.Mul(s.denom, big.NewInt(digit))
	s.accum.Sub(s.accum, &s.tmp1)
	s.accum.Mul(s.accum, big.NewInt(10))
	s.numer.Mul(s.numer, big.NewInt(10))
}

// next returns the next decimal digit of pi.
func (s *spigot) next() int64 {
	for {
		s.nextTerm()
		if s.numer.Cmp(s.accum) > 0 {
			continue
		}
		// The next digit is settled when x = 3 and x = 4 give the same floor.
		digit := s.extractDigit(3)
		if digit != s.extractDigit(4) {
			continue
		}
		s.eliminateDigit(digit)
		return digit
	}
}

func main() {
	n := 27
	if len(os.Args) > 1 {
		var err error
		if n, err = strconv.Atoi(os.Args[1]); err != nil {
			fmt.Fprintln(os.Stderr, "usage: pidigits N")
			os.Exit(2)
		}
	}
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	s := newSpigot()
	line := make([]byte, 0, 10)
	for count := 1; count <= n; count++ {
		line = append(line, byte('0'+s.next()))
		if count%10 == 0 || count == n {
			fmt.Fprintf(out, "%-10s\t:%d\n", line, count)
			line = line[:0]
		}
	}
}
