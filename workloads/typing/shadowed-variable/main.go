// Price lookup: prints the product and price for each SKU given as argument, or says that the
// catalogue has no such product.
package main

import (
	"fmt"
	"os"
)

type Product struct {
	SKU   string
	Name  string
	Cents int
}

var catalogue = []Product{
	{"A-100", "kettle", 2499},
	{"B-200", "toaster", 3150},
	{"C-300", "blender", 5900},
}

func findProduct(products []Product, sku string) (product Product, ok bool) {
	// MISTAKE: shadowed variable (the loop's product shadows the named result)
	for _, product := range products {
		if product.SKU == sku {
			ok = true
			break
		}
	}
	return product, ok
}

func main() {
	for _, sku := range os.Args[1:] {
		product, ok := findProduct(catalogue, sku)
		if !ok {
			fmt.Printf("%s: no such product\n", sku)
		} else {
			fmt.Printf("%s: %s %d.%02d\n", sku, product.Name, product.Cents/100, product.Cents%100)
		}
	}
}
