// Order tags: every order gets the common tags given as arguments plus its own channel tag;
// prints the tags of each order.
package main

import (
	"fmt"
	"os"
	"strings"
)

type Order struct {
	ID      int
	Channel string
}

var orders = []Order{{1001, "web"}, {1002, "store"}, {1003, "phone"}}

func tagOrders(orders []Order, common []string) [][]string {
	var tagged [][]string
	for _, o := range orders {
		// MISTAKE: aliasing (append writes into common's spare capacity, shared by every order)
		tags := append(common, o.Channel)
		tagged = append(tagged, tags)
	}
	return tagged
}

func main() {
	var common []string
	for _, arg := range os.Args[1:] {
		common = append(common, strings.ToLower(arg))
	}
	for i, tags := range tagOrders(orders, common) {
		fmt.Printf("%d: %s\n", orders[i].ID, strings.Join(tags, ","))
	}
}
