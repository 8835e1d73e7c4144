"""The FastAPI server of app.py with `GET /db` as an `async def`: the sqlite3 query runs on the
event loop itself, without the hop to the thread pool that app.py's plain `def` takes (FastAPI's
advice for blocking libraries). Reading one row of a local file takes microseconds, less than
the hop; with a slow or remote database the same code would stall every other request while it
waits. The backend suite labels it `optimized` beside app.py, whose answers it repeats byte for
byte (tests/backend_servers.rs).

Usage: VERSUS_BACKEND_DB=items.db python -m uvicorn app_async_db:app --host 127.0.0.1 --port PORT
"""

import sqlite3
from typing import Annotated

from fastapi import Query
from starlette.exceptions import HTTPException

import app as base

app = base.app

# The event loop's own connection: one thread, so one connection, opened on first use.
_conn = None

# app.py's /db route is replaced, every other route kept as it is.
app.router.routes[:] = [r for r in app.router.routes if getattr(r, "path", None) != "/db"]


@app.get("/db")
async def item(item_id: Annotated[base.QueryInt, Query(alias="id")]) -> base.Item:
    global _conn
    if _conn is None:
        _conn = sqlite3.connect(base.DATABASE_URI, uri=True)
    row = _conn.execute(base.QUERY, (item_id,)).fetchone()
    if row is None:
        raise HTTPException(status_code=404, detail=base.NOT_FOUND)
    return base.Item(id=item_id, name=row[0], value=row[1])
