// Shipping labels: prints one label line per parcel of an order (argument: order number).
package main

import (
	"fmt"
	"os"
	"strconv"
)

type Parcel struct {
	City    string
	WeightG int
}

var parcels = []Parcel{
	{"Lyon", 1200},
	{"Lyon", 350},
	{"Lyon", 4100},
}

func label(orderNo, index int, p Parcel) string {
	// MISTAKE: string + int (the order number is an int)
	ref := "ORD-" + orderNo + "/" + strconv.Itoa(index)
	return fmt.Sprintf("%-14s %-8s %6d g", ref, p.City, p.WeightG)
}

func main() {
	orderNo, err := strconv.Atoi(os.Args[1])
	if err != nil {
		fmt.Println("bad order number:", os.Args[1])
		return
	}
	for i, p := range parcels {
		fmt.Println(label(orderNo, i+1, p))
	}
}
