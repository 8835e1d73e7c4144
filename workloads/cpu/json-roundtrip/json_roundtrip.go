// json-roundtrip: reads a JSON array of customer records from stdin, parses it
// with encoding/json into typed structs (the idiomatic Go choice for a known
// schema; nullable fields are pointers), walks it to compute aggregates
// (records, active records, orders, total quantity ordered, sum of balances in
// cents, distinct e-mail addresses) and serializes the whole document again
// with json.Marshal (compact, UTF-8), the way an API response is written.
// Prints the aggregates, then the length and SHA-256 of the serialized bytes.
//
// Both programs produce byte-identical serializations: json.Marshal writes
// struct fields in declaration order (the input's key order), Python's
// json.dumps(ensure_ascii=False, separators=(",", ":")) keeps the order it
// read. The input avoids the few things the two encoders write differently:
// '<', '>', '&' (Marshal escapes them for HTML), U+2028/U+2029 (Marshal
// escapes them), and floats that are integral or outside [1e-4, 1e16) (Go
// writes 12 and 0.00001, Python 12.0 and 1e-05).
package main

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"math"
	"os"
)

type Geo struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

type Address struct {
	Street string `json:"street"`
	City   string `json:"city"`
	Zip    string `json:"zip"`
	Geo    Geo    `json:"geo"`
}

type Order struct {
	SKU       string  `json:"sku"`
	Qty       int     `json:"qty"`
	UnitPrice float64 `json:"unit_price"`
	Gift      bool    `json:"gift"`
}

type Record struct {
	ID        int64    `json:"id"`
	Name      string   `json:"name"`
	Email     string   `json:"email"`
	Active    bool     `json:"active"`
	Balance   float64  `json:"balance"`
	Tags      []string `json:"tags"`
	Address   Address  `json:"address"`
	ManagerID *int64   `json:"manager_id"`
	Orders    []Order  `json:"orders"`
	Notes     *string  `json:"notes"`
}

func main() {
	data, err := io.ReadAll(os.Stdin)
	if err != nil {
		log.Fatal(err)
	}
	var records []Record
	if err := json.Unmarshal(data, &records); err != nil {
		log.Fatal(err)
	}

	var active, orders, quantity, balanceCents int64
	emails := make(map[string]struct{})
	for _, rec := range records {
		if rec.Active {
			active++
		}
		balanceCents += int64(math.Round(rec.Balance * 100))
		emails[rec.Email] = struct{}{}
		for _, order := range rec.Orders {
			orders++
			quantity += int64(order.Qty)
		}
	}

	out, err := json.Marshal(records)
	if err != nil {
		log.Fatal(err)
	}

	fmt.Printf("records %d\n", len(records))
	fmt.Printf("active %d\n", active)
	fmt.Printf("orders %d\n", orders)
	fmt.Printf("quantity %d\n", quantity)
	fmt.Printf("balance_cents %d\n", balanceCents)
	fmt.Printf("distinct_emails %d\n", len(emails))
	fmt.Printf("serialized_bytes %d\n", len(out))
	fmt.Printf("serialized_sha256 %x\n", sha256.Sum256(out))
}
