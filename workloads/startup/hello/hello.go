// hello: prints "hello, world" and exits.
// Measures program startup; the work itself is negligible.
package main

import "fmt"

func main() {
	fmt.Println("hello, world")
}
