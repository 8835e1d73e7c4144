// Team mailing list: prints "Name <email>" for every member of the team given as argument.
package main

import (
	"fmt"
	"os"
)

type User struct {
	Name  string
	Email string
	Team  string
}

var users = []User{
	{"Ada Lovelace", "ada@example.org", "compilers"},
	{"Alan Turing", "alan@example.org", "theory"},
	{"Grace Hopper", "grace@example.org", "compilers"},
	{"Edsger Dijkstra", "edsger@example.org", "theory"},
	{"Barbara Liskov", "barbara@example.org", "compilers"},
}

func mailingList(users []User, team string) []string {
	var lines []string
	for _, u := range users {
		if u.Team == team {
			// MISTAKE: missing field (typo in the field name)
			lines = append(lines, fmt.Sprintf("%s <%s>", u.Name, u.Emial))
		}
	}
	return lines
}

func main() {
	team := os.Args[1]
	members := mailingList(users, team)
	fmt.Printf("To: %s (%d members)\n", team, len(members))
	for _, line := range members {
		fmt.Println(line)
	}
}
