// binary-trees: allocates and walks many perfect binary trees, exercising the
// memory allocator and garbage collector. Argument: N, the maximum depth.
// Builds a "stretch" tree of depth N+1, keeps a long-lived tree of depth N,
// and for depths 4, 6, ..., N builds 2^(N - depth + 4) trees and sums their
// node counts.
// Algorithm: The Computer Language Benchmarks Game, "binary-trees"
// https://benchmarksgame-team.pages.debian.net/benchmarksgame/description/binarytrees.html
package main

import (
	"fmt"
	"os"
	"strconv"
)

const minDepth = 4

type Node struct {
	left, right *Node
}

// bottomUpTree builds a perfect binary tree of the given depth
// (depth 0 is a single node).
func bottomUpTree(depth int) *Node {
	if depth == 0 {
		return &Node{}
	}
	return &Node{bottomUpTree(depth - 1), bottomUpTree(depth - 1)}
}

// check returns the number of nodes in the tree.
func (n *Node) check() int {
	if n.left == nil {
		return 1
	}
	return 1 + n.left.check() + n.right.check()
}

func main() {
	n := 10
	if len(os.Args) > 1 {
		var err error
		if n, err = strconv.Atoi(os.Args[1]); err != nil {
			fmt.Fprintln(os.Stderr, "usage: binary_trees N")
			os.Exit(2)
		}
	}
	maxDepth := max(minDepth+2, n)

	stretchDepth := maxDepth + 1
	fmt.Printf("stretch tree of depth %d\t check: %d\n",
		stretchDepth, bottomUpTree(stretchDepth).check())

	longLivedTree := bottomUpTree(maxDepth)

	for depth := minDepth; depth <= maxDepth; depth += 2 {
		iterations := 1 << (maxDepth - depth + minDepth)
		total := 0
		for i := 0; i < iterations; i++ {
			total += bottomUpTree(depth).check()
		}
		fmt.Printf("%d\t trees of depth %d\t check: %d\n", iterations, depth, total)
	}

	fmt.Printf("long lived tree of depth %d\t check: %d\n", maxDepth, longLivedTree.check())
}
