// User lookup: prints the name and e-mail of each user id given as argument.
package main

import (
	"fmt"
	"os"
	"strconv"
)

type User struct {
	Name  string
	Email string
}

var users = map[int]*User{
	1: {"Ada Lovelace", "ada@example.org"},
	2: {"Alan Turing", "alan@example.org"},
	3: {"Grace Hopper", "grace@example.org"},
}

func describe(id int) string {
	u := users[id]
	// MISTAKE: nil used as a value (the lookup can miss)
	return fmt.Sprintf("%d: %s <%s>", id, u.Name, u.Email)
}

func main() {
	for _, arg := range os.Args[1:] {
		id, err := strconv.Atoi(arg)
		if err != nil {
			fmt.Println("bad id:", arg)
			continue
		}
		fmt.Println(describe(id))
	}
}
