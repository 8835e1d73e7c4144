// fasta: generates DNA sequences in FASTA format. Argument: N.
//
//	">ONE"   2N nucleotides copied cyclically from the ALU sequence;
//	">TWO"   3N nucleotides drawn at random from the IUB ambiguity codes;
//	">THREE" 5N nucleotides drawn at random from Homo sapiens frequencies.
//
// Each random draw takes one step of a fixed linear congruential generator
// (IM = 139968, IA = 3877, IC = 29573, seed 42) and a linear search of the
// cumulative probabilities; lines are 60 characters. The output is also the
// input of the k-nucleotide, reverse-complement and regex-redux workloads.
// Algorithm: The Computer Language Benchmarks Game, "fasta"
// https://benchmarksgame-team.pages.debian.net/benchmarksgame/description/fasta.html
package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
)

const lineLength = 60

const (
	im = 139968
	ia = 3877
	ic = 29573
)

const alu = "GGCCGGGCGCGGTGGCTCACGCCTGTAATCCCAGCACTTTGG" +
	"GAGGCCGAGGCGGGCGGATCACCTGAGGTCAGGAGTTCGAGA" +
	"CCAGCCTGGCCAACATGGTGAAACCCCGTCTCTACTAAAAAT" +
	"ACAAAAATTAGCCGGGCGTGGTGGCGCGCGCCTGTAATCCCA" +
	"GCTACTCGGGAGGCTGAGGCAGGAGAATCGCTTGAACCCGGG" +
	"AGGCGGAGGTTGCAGTGAGCCGAGATCGCGCCACTGCACTCC" +
	"AGCCTGGGCGACAGAGCGAGACTCCGTCTCAAAAA"

type weighted struct {
	symbol      byte
	probability float64
}

var iub = []weighted{
	{'a', 0.27}, {'c', 0.12}, {'g', 0.12}, {'t', 0.27},
	{'B', 0.02}, {'D', 0.02}, {'H', 0.02}, {'K', 0.02},
	{'M', 0.02}, {'N', 0.02}, {'R', 0.02}, {'S', 0.02},
	{'V', 0.02}, {'W', 0.02}, {'Y', 0.02},
}

var homoSapiens = []weighted{
	{'a', 0.3029549426680},
	{'c', 0.1979883004921},
	{'g', 0.1975473066391},
	{'t', 0.3015094502008},
}

// lcg is the fixed linear congruential generator.
type lcg struct{ seed int }

// next returns the next number in [0, 1).
func (g *lcg) next() float64 {
	g.seed = (g.seed*ia + ic) % im
	return float64(g.seed) / im
}

// repeatFasta writes n characters of sequence, repeated cyclically, in lines.
func repeatFasta(out *bufio.Writer, header, sequence string, n int) {
	out.WriteString(header + "\n")
	doubled := sequence + sequence // a line may wrap past the end
	start := 0
	for written := 0; written < n; written += lineLength {
		length := min(lineLength, n-written)
		out.WriteString(doubled[start : start+length])
		out.WriteByte('\n')
		start = (start + length) % len(sequence)
	}
}

// randomFasta writes n characters picked at random with the table's probabilities.
func randomFasta(out *bufio.Writer, header string, table []weighted, n int, rand *lcg) {
	out.WriteString(header + "\n")
	cumulative := make([]float64, len(table))
	total := 0.0
	for i, w := range table {
		total += w.probability
		cumulative[i] = total
	}
	last := len(table) - 1
	line := make([]byte, 0, lineLength+1)
	for written := 0; written < n; written += lineLength {
		line = line[:0]
		for j := min(lineLength, n-written); j > 0; j-- {
			r := rand.next()
			i := 0
			for i < last && r >= cumulative[i] {
				i++
			}
			line = append(line, table[i].symbol)
		}
		line = append(line, '\n')
		out.Write(line)
	}
}

func main() {
	n := 1000
	if len(os.Args) > 1 {
		var err error
		if n, err = strconv.Atoi(os.Args[1]); err != nil {
			fmt.Fprintln(os.Stderr, "usage: fasta N")
			os.Exit(2)
		}
	}
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	rand := &lcg{seed: 42} // one stream shared by both random sequences
	repeatFasta(out, ">ONE Homo sapiens alu", alu, 2*n)
	randomFasta(out, ">TWO IUB ambiguity codes", iub, 3*n, rand)
	randomFasta(out, ">THREE Homo sapiens frequency", homoSapiens, 5*n, rand)
}
