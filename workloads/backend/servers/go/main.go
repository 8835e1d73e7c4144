// The backend suite's Go server: the standard library's net/http, encoding/json and
// database/sql with a pure-Go SQLite driver (modernc.org/sqlite, so no cgo is needed).
//
// Usage: VERSUS_BACKEND_DB=items.db server PORT
//
// Listens on 127.0.0.1:PORT and answers, byte for byte like the Python servers beside it:
//
//	GET  /json          {"message":"Hello, World!","id":1}
//	POST /echo          {"name":NAME,"count":COUNT} -> {"name":…,"count":…,"total":2*COUNT,"greeting":"hello NAME"}
//	GET  /compute?n=N   {"n":N,"sum":S}, S = sum of i*i % 7 for i in 0..N-1, 1 <= N <= 100000
//	GET  /db?id=ID      {"id":ID,"name":…,"value":…} from the items table, 404 when absent
//
// Anything else is a 404; invalid input is a 400; every error body is {"error":"…"}.
package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"time"

	_ "modernc.org/sqlite"
)

// Limits shared with the Python servers (see parseInt).
const (
	maxN     = 100000
	maxCount = 1000000000
	maxDigit = 9
)

// The error texts, identical in all three servers.
const (
	errNotFound   = "not found"
	errInvalidN   = "n must be an integer from 1 to 100000"
	errInvalidID  = "id must be an integer"
	errNotObject  = "body must be a JSON object"
	errInvalidRaw = "invalid JSON"
)

type message struct {
	Message string `json:"message"`
	ID      int    `json:"id"`
}

type echoReply struct {
	Name     string `json:"name"`
	Count    int64  `json:"count"`
	Total    int64  `json:"total"`
	Greeting string `json:"greeting"`
}

type computeReply struct {
	N   int   `json:"n"`
	Sum int64 `json:"sum"`
}

type item struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Value int64  `json:"value"`
}

type errorReply struct {
	Error string `json:"error"`
}

type server struct {
	// One prepared statement over database/sql's connection pool: the idiomatic Go way, each
	// request borrows a pooled connection for the duration of its query.
	lookup *sql.Stmt
}

func main() {
	log.SetFlags(0)
	if len(os.Args) < 2 {
		log.Fatal("usage: VERSUS_BACKEND_DB=FILE server PORT")
	}
	port := os.Args[len(os.Args)-1]
	db, err := openDB(os.Getenv("VERSUS_BACKEND_DB"))
	if err != nil {
		log.Fatal(err)
	}
	lookup, err := db.Prepare("SELECT name, value FROM items WHERE id = ?")
	if err != nil {
		log.Fatalf("cannot prepare the query: %v", err)
	}
	s := &server{lookup: lookup}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /json", s.hello)
	mux.HandleFunc("POST /echo", s.echo)
	mux.HandleFunc("GET /compute", s.compute)
	mux.HandleFunc("GET /db", s.item)
	// The catch-all pattern also takes a known path with another method, so that is a 404
	// (as in the Python servers) rather than the mux's 405.
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, http.StatusNotFound, errNotFound)
	})
	httpServer := &http.Server{
		Addr:              "127.0.0.1:" + port,
		Handler:           mux,
		ReadHeaderTimeout: 30 * time.Second,
	}
	log.Fatal(httpServer.ListenAndServe())
}

// openDB opens the caller's database read-only and checks that it holds the items table, so a
// wrong path fails at start-up rather than on the first request.
func openDB(path string) (*sql.DB, error) {
	if path == "" {
		return nil, errors.New("VERSUS_BACKEND_DB is not set")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	uri := (&url.URL{Scheme: "file", Path: abs, RawQuery: "mode=ro"}).String()
	db, err := sql.Open("sqlite", uri)
	if err != nil {
		return nil, err
	}
	// database/sql keeps only 2 idle connections by default: with more concurrent requests it
	// would open and close a connection per query. Keep as many as can run at once.
	conns := 2 * runtime.GOMAXPROCS(0)
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	var rows int
	if err := db.QueryRow("SELECT count(*) FROM items").Scan(&rows); err != nil {
		return nil, fmt.Errorf("cannot read the items table of %s: %w", path, err)
	}
	return db, nil
}

func (s *server) hello(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, message{Message: "Hello, World!", ID: 1})
}

func (s *server) echo(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(w, r)
	if err != nil {
		writeError(w, http.StatusBadRequest, errInvalidRaw)
		return
	}
	name, count, problem := parseEcho(body)
	if problem != "" {
		writeError(w, http.StatusBadRequest, problem)
		return
	}
	writeJSON(w, http.StatusOK, echoReply{
		Name:     name,
		Count:    count,
		Total:    count * 2,
		Greeting: "hello " + name,
	})
}

func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	var buf bytes.Buffer
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, 1<<20))
	return buf.Bytes(), err
}

// parseEcho validates {"name": str, "count": int}: the fields are checked in that order and
// the first bad one is named, as pydantic does. Keys match exactly (a struct would also take
// "NAME"), unknown keys are ignored, and a repeated key keeps its last value, as in Python.
func parseEcho(body []byte) (string, int64, string) {
	if len(body) == 0 {
		return "", 0, errNotObject
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) {
			return "", 0, errInvalidRaw
		}
		return "", 0, errNotObject
	}
	if fields == nil { // the body was `null`
		return "", 0, errNotObject
	}
	var name string
	raw, ok := fields["name"]
	if !ok || len(raw) == 0 || raw[0] != '"' || json.Unmarshal(raw, &name) != nil {
		return "", 0, "invalid field: name"
	}
	// Decoding into an integer rejects 1.0, 1e3, strings and booleans; `null` leaves it
	// untouched, so a raw value must start like a number.
	var count int64
	raw, ok = fields["count"]
	if !ok || len(raw) == 0 || (raw[0] != '-' && (raw[0] < '0' || raw[0] > '9')) ||
		json.Unmarshal(raw, &count) != nil || count < 0 || count > maxCount {
		return "", 0, "invalid field: count"
	}
	return name, count, ""
}

func (s *server) compute(w http.ResponseWriter, r *http.Request) {
	n, ok := parseInt(lastQueryValue(r, "n"))
	if !ok || n < 1 || n > maxN {
		writeError(w, http.StatusBadRequest, errInvalidN)
		return
	}
	var sum int64
	for i := 0; i < n; i++ {
		sum += int64(i * i % 7)
	}
	writeJSON(w, http.StatusOK, computeReply{N: n, Sum: sum})
}

func (s *server) item(w http.ResponseWriter, r *http.Request) {
	id, ok := parseInt(lastQueryValue(r, "id"))
	if !ok {
		writeError(w, http.StatusBadRequest, errInvalidID)
		return
	}
	found := item{ID: int64(id)}
	err := s.lookup.QueryRowContext(r.Context(), int64(id)).Scan(&found.Name, &found.Value)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		writeError(w, http.StatusNotFound, errNotFound)
	case err != nil:
		log.Printf("query of id %d: %v", id, err)
		writeError(w, http.StatusInternalServerError, "database error")
	default:
		writeJSON(w, http.StatusOK, found)
	}
}

// lastQueryValue is the last value of a repeated parameter, as Starlette (FastAPI) takes it.
func lastQueryValue(r *http.Request, key string) string {
	values := r.URL.Query()[key]
	if len(values) == 0 {
		return ""
	}
	return values[len(values)-1]
}

// parseInt accepts what all three servers accept: an optional '-' and 1 to 9 ASCII digits
// (no '+', spaces, underscores or decimal point, which strconv or Python's int would allow).
func parseInt(text string) (int, bool) {
	digits := text
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	if len(digits) == 0 || len(digits) > maxDigit {
		return 0, false
	}
	for _, c := range []byte(digits) {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(text)
	return n, err == nil
}

func writeError(w http.ResponseWriter, status int, text string) {
	writeJSON(w, status, errorReply{Error: text})
}

// writeJSON writes compact JSON without a trailing newline and without escaping <, > and &
// (Python's json.dumps and pydantic do neither), so the bytes equal the Python servers'.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	body := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
