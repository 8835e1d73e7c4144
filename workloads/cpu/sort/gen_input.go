// gen_input: writes the input of the sort workload, so that generating it is
// not part of the timed run (arguments: N M). The data comes from a fixed
// 64-bit linear congruential generator (Knuth's MMIX constants, seed 12345):
// first N integers (the generator's state read as a signed 64-bit value), then
// M strings of 4 to 11 letters a-z taken from one state each. Output: a line
// "N M", the N integers as 8-byte little-endian two's complement (binary, so
// that reading them costs a copy rather than a parse), then the M strings, one
// per line.
package main

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"os"
	"strconv"
)

type lcg struct{ state uint64 }

func (g *lcg) next() uint64 {
	g.state = g.state*6364136223846793005 + 1442695040888963407
	return g.state
}

// word spells a string from one state: its length from bits 8-10, its
// letters from the base-26 digits of the top 53 bits.
func word(x uint64, buf []byte) []byte {
	length := 4 + (x>>8)%8
	bits := x >> 11 // 53 bits: enough for 11 base-26 digits
	for range length {
		buf = append(buf, byte('a'+bits%26))
		bits /= 26
	}
	return buf
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: gen_input INTS STRINGS")
		os.Exit(2)
	}
	nInts, err1 := strconv.Atoi(os.Args[1])
	nStrings, err2 := strconv.Atoi(os.Args[2])
	if err1 != nil || err2 != nil || nInts < 1 || nStrings < 1 {
		fmt.Fprintln(os.Stderr, "usage: gen_input INTS STRINGS (both positive)")
		os.Exit(2)
	}
	out := bufio.NewWriterSize(os.Stdout, 1<<16)
	fmt.Fprintf(out, "%d %d\n", nInts, nStrings)
	rng := lcg{12345}
	var buf [8]byte
	for range nInts {
		binary.LittleEndian.PutUint64(buf[:], rng.next())
		out.Write(buf[:])
	}
	line := make([]byte, 0, 12)
	for range nStrings {
		line = append(word(rng.next(), line[:0]), '\n')
		out.Write(line)
	}
	if err := out.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
