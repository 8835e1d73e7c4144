// Order status page: prints the customer-facing message for each "id:status" argument.
package main

import (
	"fmt"
	"os"
	"strings"
)

type Status int

const (
	Pending Status = iota
	Paid
	Shipped
	Refunded
)

var statusNames = map[string]Status{
	"pending":  Pending,
	"paid":     Paid,
	"shipped":  Shipped,
	"refunded": Refunded,
}

func message(s Status) string {
	// MISTAKE: missing case (Refunded has no case)
	switch s {
	case Pending:
		return "waiting for payment"
	case Paid:
		return "paid, being packed"
	case Shipped:
		return "shipped, on its way"
	}
	return "unknown status"
}

func main() {
	for _, arg := range os.Args[1:] {
		id, value, _ := strings.Cut(arg, ":")
		s, ok := statusNames[value]
		if !ok {
			fmt.Printf("order %s: bad status %s\n", id, value)
			continue
		}
		fmt.Printf("order %s: %s\n", id, message(s))
	}
}
