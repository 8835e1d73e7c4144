// Top orders: prints the N largest orders of the day, largest first (argument: N).
package main

import (
	"fmt"
	"os"
	"sort"
)

type Order struct {
	ID       int
	Customer string
	Cents    int
}

var orders = []Order{
	{1001, "alice", 4250},
	{1002, "bob", 1999},
	{1003, "carol", 12000},
	{1004, "dave", 560},
	{1005, "erin", 7325},
}

func largestOrders(orders []Order, n int) []Order {
	sorted := append([]Order(nil), orders...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Cents > sorted[j].Cents })
	return sorted[:min(n, len(sorted))]
}

func main() {
	count := os.Args[1]
	// MISTAKE: wrong argument type (the count is still the command-line string)
	for _, o := range largestOrders(orders, count) {
		fmt.Printf("#%d %-6s %4d.%02d\n", o.ID, o.Customer, o.Cents/100, o.Cents%100)
	}
}
