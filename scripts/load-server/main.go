package main

import (
	"encoding/json"
	"net/http"
	"os"
)

type item struct {
	Message string `json:"message"`
	ID      int    `json:"id"`
}

func main() {
	http.HandleFunc("/json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		b, _ := json.Marshal(item{Message: "Hello, World!", ID: 1})
		w.Write(b)
	})
	http.ListenAndServe("127.0.0.1:"+os.Args[1], nil)
}
