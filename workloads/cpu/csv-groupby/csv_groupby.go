// csv-groupby: reads a sales export in CSV from stdin (header line, then rows
// with region, product, quantity and unit_price among other columns; quoted
// fields may hold commas, quotes and newlines) with encoding/csv, groups the
// rows by (region, product) and computes per group the number of rows, the
// total quantity and the total revenue (quantity * unit price). Money is kept
// in integer cents, math.Round(price * 100), so no float sum can differ
// between languages. Prints the groups as CSV sorted by region then product.
package main

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"log"
	"math"
	"os"
	"slices"
	"strconv"
)

type key struct {
	region, product string
}

type totals struct {
	count, quantity, cents int64
}

func column(header []string, name string) int {
	i := slices.Index(header, name)
	if i < 0 {
		log.Fatalf("no column %q", name)
	}
	return i
}

func main() {
	reader := csv.NewReader(os.Stdin)
	header, err := reader.Read()
	if err != nil {
		log.Fatal(err)
	}
	regionCol := column(header, "region")
	productCol := column(header, "product")
	quantityCol := column(header, "quantity")
	priceCol := column(header, "unit_price")

	groups := make(map[key]*totals)
	for {
		row, err := reader.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			log.Fatal(err)
		}
		quantity, err := strconv.ParseInt(row[quantityCol], 10, 64)
		if err != nil {
			log.Fatal(err)
		}
		price, err := strconv.ParseFloat(row[priceCol], 64)
		if err != nil {
			log.Fatal(err)
		}
		cents := int64(math.Round(price * 100))
		k := key{row[regionCol], row[productCol]}
		t := groups[k]
		if t == nil {
			t = &totals{}
			groups[k] = t
		}
		t.count++
		t.quantity += quantity
		t.cents += quantity * cents
	}

	keys := make([]key, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b key) int {
		if c := cmp.Compare(a.region, b.region); c != 0 {
			return c
		}
		return cmp.Compare(a.product, b.product)
	})

	writer := csv.NewWriter(os.Stdout)
	writer.Write([]string{"region", "product", "orders", "quantity", "revenue"})
	for _, k := range keys {
		t := groups[k]
		writer.Write([]string{k.region, k.product,
			strconv.FormatInt(t.count, 10), strconv.FormatInt(t.quantity, 10),
			fmt.Sprintf("%d.%02d", t.cents/100, t.cents%100)})
	}
	writer.Flush()
	if err := writer.Error(); err != nil {
		log.Fatal(err)
	}
}
