// reverse-complement: reads FASTA (the fasta workload's output) from stdin
// and writes each sequence's header line followed by the sequence's reverse
// complement (A<->T, C<->G and the IUB ambiguity codes M<->K, R<->Y, V<->B,
// H<->D; W, S and N are their own complements), upper case, in 60-character
// lines.
// Algorithm: The Computer Language Benchmarks Game, "reverse-complement"
// https://benchmarksgame-team.pages.debian.net/benchmarksgame/description/revcomp.html
package main

import (
	"bufio"
	"os"
)

const lineLength = 60

// complement maps every code, upper or lower case, to its upper-case complement.
var complement [256]byte

func init() {
	for i := range complement {
		complement[i] = byte(i)
	}
	codes := "ACGTUMRWSYKVHDBN"
	complements := "TGCAAKYWSRMBDHVN"
	for i := 0; i < len(codes); i++ {
		complement[codes[i]] = complements[i]
		complement[codes[i]+'a'-'A'] = complements[i]
	}
}

// writeReverseComplement writes the header, then the reverse complement of
// sequence (which it overwrites) in lines.
func writeReverseComplement(out *bufio.Writer, header []byte, sequence []byte) {
	out.Write(header)
	out.WriteByte('\n')
	for i, j := 0, len(sequence)-1; i <= j; i, j = i+1, j-1 {
		sequence[i], sequence[j] = complement[sequence[j]], complement[sequence[i]]
	}
	for start := 0; start < len(sequence); start += lineLength {
		out.Write(sequence[start:min(start+lineLength, len(sequence))])
		out.WriteByte('\n')
	}
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 64*1024), 1<<30) // allow arbitrarily long lines
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	var header, sequence []byte
	for in.Scan() {
		line := in.Bytes()
		if len(line) > 0 && line[0] == '>' {
			if header != nil {
				writeReverseComplement(out, header, sequence)
			}
			header = append([]byte(nil), line...)
			sequence = sequence[:0]
		} else {
			sequence = append(sequence, line...)
		}
	}
	if header != nil {
		writeReverseComplement(out, header, sequence)
	}
}
