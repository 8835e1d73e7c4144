"""The backend suite's dependency-free Python server: http.server's ThreadingHTTPServer, json and
sqlite3 from the standard library.

Usage: VERSUS_BACKEND_DB=items.db python3 server.py PORT

Listens on 127.0.0.1:PORT and answers, byte for byte like the Go and FastAPI servers:

    GET  /json          {"message":"Hello, World!","id":1}
    POST /echo          {"name":NAME,"count":COUNT} -> {"name":..,"count":..,"total":2*COUNT,"greeting":"hello NAME"}
    GET  /compute?n=N   {"n":N,"sum":S}, S = sum of i*i % 7 for i in 0..N-1, 1 <= N <= 100000
    GET  /db?id=ID      {"id":ID,"name":..,"value":..} from the items table, 404 when absent

Anything else is a 404; invalid input is a 400; every error body is {"error":"..."}.
"""

import json
import os
import pathlib
import sqlite3
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

MAX_N = 100_000
MAX_COUNT = 1_000_000_000
MAX_DIGITS = 9
MAX_BODY_BYTES = 1 << 20

NOT_FOUND = "not found"
INVALID_N = "n must be an integer from 1 to 100000"
INVALID_ID = "id must be an integer"
NOT_OBJECT = "body must be a JSON object"
INVALID_JSON = "invalid JSON"

QUERY = "SELECT name, value FROM items WHERE id = ?"


def database_uri():
    path = os.environ.get("VERSUS_BACKEND_DB")
    if not path:
        sys.exit("VERSUS_BACKEND_DB is not set")
    return pathlib.Path(path).resolve().as_uri() + "?mode=ro"


DATABASE_URI = database_uri()

# ThreadingHTTPServer runs each connection on its own thread, and a sqlite3 connection belongs
# to the thread that made it: each thread opens one, read-only, on its first /db request and
# keeps it for the life of its (keep-alive) client connection.
_local = threading.local()


def connection():
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = _local.conn = sqlite3.connect(DATABASE_URI, uri=True)
    return conn


def encode(value):
    # Compact, UTF-8 and without \u escapes for non-ASCII text: the bytes FastAPI and Go write.
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def parse_int(text):
    """An optional '-' and 1 to 9 ASCII digits, as all three servers accept; else None."""
    digits = text[1:] if text.startswith("-") else text
    if not (0 < len(digits) <= MAX_DIGITS and digits.isascii() and digits.isdigit()):
        return None
    return int(text)


def parse_echo(body):
    """(reply, None) for a valid {"name": str, "count": int}, else (None, error text)."""
    if not body:
        return None, NOT_OBJECT
    try:
        fields = json.loads(body)
    except ValueError:
        return None, INVALID_JSON
    if not isinstance(fields, dict):
        return None, NOT_OBJECT
    name = fields.get("name")
    if type(name) is not str:
        return None, "invalid field: name"
    count = fields.get("count")
    if type(count) is not int or not 0 <= count <= MAX_COUNT:  # `type`: True is not a count
        return None, "invalid field: count"
    reply = {"name": name, "count": count, "total": count * 2, "greeting": f"hello {name}"}
    return reply, None


def compute(n):
    return sum(i * i % 7 for i in range(n))


class Handler(BaseHTTPRequestHandler):
    # Keep-alive: HTTP/1.1 replies, each with a Content-Length.
    protocol_version = "HTTP/1.1"
    # TCP_NODELAY. The reply goes out in two writes (headers, then body); with Nagle's algorithm
    # the second waits until the first is acknowledged, and the client delays that ACK by ~40 ms,
    # so every request would take ~40 ms and the benchmark would measure the kernel's timer.
    disable_nagle_algorithm = True

    def do_GET(self):
        url = urlsplit(self.path)
        # Starlette (FastAPI) keeps the last value of a repeated parameter; so do we.
        query = dict(parse_qsl(url.query, keep_blank_values=True))
        if url.path == "/json":
            self.reply(200, {"message": "Hello, World!", "id": 1})
        elif url.path == "/compute":
            n = parse_int(query.get("n", ""))
            if n is None or not 1 <= n <= MAX_N:
                self.reply(400, {"error": INVALID_N})
            else:
                self.reply(200, {"n": n, "sum": compute(n)})
        elif url.path == "/db":
            self.item(parse_int(query.get("id", "")))
        else:
            self.reply(404, {"error": NOT_FOUND})

    def do_POST(self):
        body = self.read_body()
        if body is None:
            return
        if urlsplit(self.path).path != "/echo":
            self.reply(404, {"error": NOT_FOUND})
            return
        reply, error = parse_echo(body)
        if error is None:
            self.reply(200, reply)
        else:
            self.reply(400, {"error": error})

    def not_found(self):
        if self.read_body() is not None:
            self.reply(404, {"error": NOT_FOUND})

    do_PUT = do_PATCH = do_DELETE = do_OPTIONS = not_found

    def item(self, item_id):
        if item_id is None:
            self.reply(400, {"error": INVALID_ID})
            return
        row = connection().execute(QUERY, (item_id,)).fetchone()
        if row is None:
            self.reply(404, {"error": NOT_FOUND})
        else:
            self.reply(200, {"id": item_id, "name": row[0], "value": row[1]})

    def read_body(self):
        """The request body, or None after answering a body that cannot be read (the whole
        body must be read, or the next request on the connection would start inside it)."""
        length = self.headers.get("Content-Length", "0")
        if not (length.isascii() and length.isdigit()) or int(length) > MAX_BODY_BYTES:
            self.close_connection = True
            self.reply(400, {"error": INVALID_JSON})
            return None
        return self.rfile.read(int(length))

    def reply(self, status, value):
        body = encode(value)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # noqa: A002 (the base class's signature)
        # No line on stderr per request: at thousands of requests a second it would cost more
        # than the request.
        pass


class Server(ThreadingHTTPServer):
    # listen()'s backlog (the default is 5): a load generator opens many connections at once.
    request_queue_size = 1024


def check_database():
    """Fails at start-up, not at the first request, when the database is wrong."""
    try:
        conn = sqlite3.connect(DATABASE_URI, uri=True)
        try:
            conn.execute("SELECT count(*) FROM items").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as err:
        sys.exit(f"cannot read the items table of {os.environ['VERSUS_BACKEND_DB']}: {err}")


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: VERSUS_BACKEND_DB=FILE python3 server.py PORT")
    check_database()
    server = Server(("127.0.0.1", int(sys.argv[-1])), Handler)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
