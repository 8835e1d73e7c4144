// Stock report: parses "name,quantity" records, flags items below the low-stock threshold and
// prints the total count (argument: the threshold).
package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

var records = []string{"apples,42", "pears,3", "plums,17", "figs,0"}

func quantity(record string) int {
	// MISTAKE: wrong return type (returns the text of the field, not a number)
	return strings.Split(record, ",")[1]
}

func main() {
	threshold, err := strconv.Atoi(os.Args[1])
	if err != nil {
		fmt.Println("bad threshold:", os.Args[1])
		return
	}
	total := 0
	for _, record := range records {
		name := strings.Split(record, ",")[0]
		qty := quantity(record)
		flag := ""
		if qty < threshold {
			flag = "  LOW"
		}
		fmt.Printf("%-8s%5d%s\n", name, qty, flag)
		total += qty
	}
	fmt.Printf("%-8s%5d\n", "total", total)
}
