"""Creates the SQLite database the backend servers read (their `GET /db?id=` endpoint).

Usage: python3 make_db.py PATH

The table holds ids 1..1000 with name "item-{id}" and value (id * 7919) % 10007. The file is
written beside PATH under a temporary name and renamed into place, so a server never sees a
half-written database, and an existing file at PATH is replaced.
"""

import os
import sqlite3
import sys

SCHEMA = """
CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    value INTEGER NOT NULL
)
"""

ITEMS = 1000


def rows():
    for item_id in range(1, ITEMS + 1):
        yield item_id, f"item-{item_id}", (item_id * 7919) % 10007


def make_db(path):
    temporary = f"{path}.tmp-{os.getpid()}"
    if os.path.exists(temporary):
        os.remove(temporary)
    connection = sqlite3.connect(temporary)
    try:
        with connection:
            connection.execute(SCHEMA)
            connection.executemany("INSERT INTO items (id, name, value) VALUES (?, ?, ?)", rows())
    finally:
        connection.close()
    os.replace(temporary, path)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: python3 make_db.py PATH")
    make_db(sys.argv[1])


if __name__ == "__main__":
    main()
