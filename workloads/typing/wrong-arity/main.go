// Invoice: prints one line per item of the cart and the total (argument: customer name).
package main

import (
	"fmt"
	"os"
)

type Item struct {
	Name      string
	Qty       int
	UnitCents int
}

var cart = []Item{
	{"notebook", 3, 450},
	{"pen", 10, 120},
	{"stapler", 1, 1599},
}

func money(cents int) string {
	return fmt.Sprintf("%d.%02d", cents/100, cents%100)
}

func formatLine(name string, qty, unitCents int) string {
	return fmt.Sprintf("%-10s %3d x %6s = %7s", name, qty, money(unitCents), money(qty*unitCents))
}

func main() {
	fmt.Printf("Invoice for %s\n", os.Args[1])
	total := 0
	for _, it := range cart {
		// MISTAKE: wrong arity (one argument too many: the currency)
		fmt.Println(formatLine(it.Name, it.Qty, it.UnitCents, "EUR"))
		total += it.Qty * it.UnitCents
	}
	fmt.Printf("%-10s %22s\n", "total", money(total))
}
