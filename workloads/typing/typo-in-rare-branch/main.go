// Sales report: prints the monthly sales as an aligned table (the default), as CSV or as TSV
// (argument: table, csv or tsv).
package main

import (
	"fmt"
	"os"
)

type Sale struct {
	Month string
	Cents int
}

var sales = []Sale{{"January", 1240050}, {"February", 980000}, {"March", 1515025}}

func render(rows []Sale, format string) []string {
	switch format {
	case "csv":
		lines := []string{"month,cents"}
		for _, r := range rows {
			lines = append(lines, fmt.Sprintf("%s,%d", r.Month, r.Cents))
		}
		return lines
	case "tsv":
		lines := []string{"month\tcents"}
		// MISTAKE: typo in a name in a rarely taken branch
		for _, r := range rwos {
			lines = append(lines, fmt.Sprintf("%s\t%d", r.Month, r.Cents))
		}
		return lines
	}
	lines := []string{fmt.Sprintf("%-10s%12s", "month", "amount")}
	for _, r := range rows {
		lines = append(lines, fmt.Sprintf("%-10s%9d.%02d", r.Month, r.Cents/100, r.Cents%100))
	}
	return lines
}

func main() {
	format := "table"
	if len(os.Args) > 1 {
		format = os.Args[1]
	}
	for _, line := range render(sales, format) {
		fmt.Println(line)
	}
}
