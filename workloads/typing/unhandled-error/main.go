// Config loader: applies key=value settings from the arguments over the defaults and prints
// the effective configuration; a value that is not a number is reported and the default kept.
package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

type Config struct {
	Host     string
	Port     int
	TimeoutS int
}

func load(items []string) Config {
	cfg := Config{Host: "localhost", Port: 8080, TimeoutS: 30}
	for _, item := range items {
		key, value, _ := strings.Cut(item, "=")
		switch key {
		case "host":
			cfg.Host = value
		case "port":
			n, err := strconv.Atoi(value)
			if err != nil {
				fmt.Printf("warning: port \"%s\" is not a number, keeping %d\n", value, cfg.Port)
				continue
			}
			cfg.Port = n
		case "timeout":
			// MISTAKE: unhandled error (the error from Atoi is discarded with _)
			cfg.TimeoutS, _ = strconv.Atoi(value)
		default:
			fmt.Printf("warning: unknown setting \"%s\"\n", key)
		}
	}
	return cfg
}

func main() {
	cfg := load(os.Args[1:])
	fmt.Printf("host=%s port=%d timeout=%ds\n", cfg.Host, cfg.Port, cfg.TimeoutS)
}
