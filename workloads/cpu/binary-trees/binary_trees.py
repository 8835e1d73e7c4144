# binary-trees: allocates and walks many perfect binary trees, exercising the
# memory allocator and garbage collector. Argument: N, the maximum depth.
# Builds a "stretch" tree of depth N+1, keeps a long-lived tree of depth N,
# and for depths 4, 6, ..., N builds 2^(N - depth + 4) trees and sums their
# node counts.
# Algorithm: The Computer Language Benchmarks Game, "binary-trees"
# https://benchmarksgame-team.pages.debian.net/benchmarksgame/description/binarytrees.html
import sys

MIN_DEPTH = 4


class Node:
    __slots__ = ("left", "right")

    def __init__(self, left, right):
        self.left = left
        self.right = right


def bottom_up_tree(depth):
    """A perfect binary tree of the given depth (depth 0 is a single node)."""
    if depth == 0:
        return Node(None, None)
    depth -= 1
    return Node(bottom_up_tree(depth), bottom_up_tree(depth))


def check(node):
    """The number of nodes in the tree."""
    if node.left is None:
        return 1
    return 1 + check(node.left) + check(node.right)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    max_depth = max(MIN_DEPTH + 2, n)

    stretch_depth = max_depth + 1
    print(f"stretch tree of depth {stretch_depth}\t check: "
          f"{check(bottom_up_tree(stretch_depth))}")

    long_lived_tree = bottom_up_tree(max_depth)

    for depth in range(MIN_DEPTH, max_depth + 1, 2):
        iterations = 1 << (max_depth - depth + MIN_DEPTH)
        total = 0
        for _ in range(iterations):
            total += check(bottom_up_tree(depth))
        print(f"{iterations}\t trees of depth {depth}\t check: {total}")

    print(f"long lived tree of depth {max_depth}\t check: "
          f"{check(long_lived_tree)}")


if __name__ == "__main__":
    main()
