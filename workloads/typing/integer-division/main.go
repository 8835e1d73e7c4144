// Project progress: prints each project's finished tasks as a percentage and a progress bar
// (argument: the width of a full bar).
package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

type Project struct {
	Name  string
	Done  int
	Total int
}

var projects = []Project{
	{"website", 2, 3},
	{"billing", 5, 8},
	{"search", 4, 4},
	{"mobile", 0, 6},
}

func percentDone(p Project) int {
	// MISTAKE: integer division (Done / Total truncates to 0 before the * 100)
	return p.Done / p.Total * 100
}

func main() {
	width, err := strconv.Atoi(os.Args[1])
	if err != nil {
		fmt.Println("bad width:", os.Args[1])
		return
	}
	for _, p := range projects {
		pct := percentDone(p)
		bar := strings.Repeat("#", pct*width/100)
		fmt.Printf("%-8s %2d/%-2d %3d%% |%-*s|\n", p.Name, p.Done, p.Total, pct, width, bar)
	}
}
