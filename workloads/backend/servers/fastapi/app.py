"""The backend suite's FastAPI server: pydantic models in, pydantic models out, sqlite3 for the
database, served by uvicorn.

Usage: VERSUS_BACKEND_DB=items.db python -m uvicorn app:app --host 127.0.0.1 --port PORT --workers N

Answers, byte for byte like the Go and standard-library servers:

    GET  /json          {"message":"Hello, World!","id":1}
    POST /echo          {"name":NAME,"count":COUNT} -> {"name":..,"count":..,"total":2*COUNT,"greeting":"hello NAME"}
    GET  /compute?n=N   {"n":N,"sum":S}, S = sum of i*i % 7 for i in 0..N-1, 1 <= N <= 100000
    GET  /db?id=ID      {"id":ID,"name":..,"value":..} from the items table, 404 when absent

Anything else is a 404; invalid input is a 400 (FastAPI's 422, turned into the others' 400);
every error body is {"error":"..."}. Each uvicorn worker is a process that imports this module,
so the program is the same with one worker or many.
"""

import logging
import os
import pathlib
import re
import sqlite3
import threading
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from starlette.exceptions import HTTPException

MAX_N = 100_000
MAX_COUNT = 1_000_000_000

NOT_FOUND = "not found"
INVALID_N = "n must be an integer from 1 to 100000"
INVALID_ID = "id must be an integer"
NOT_OBJECT = "body must be a JSON object"
INVALID_JSON = "invalid JSON"

QUERY = "SELECT name, value FROM items WHERE id = ?"

# uvicorn writes a log line per request unless started with --no-access-log; at thousands of
# requests a second that costs about as much as the request, and the Go and standard-library
# servers log nothing. This is what --no-access-log does, and it holds in every worker (each
# imports this module after uvicorn has configured logging).
logging.getLogger("uvicorn.access").handlers.clear()
logging.getLogger("uvicorn.access").propagate = False


def database_uri():
    path = os.environ.get("VERSUS_BACKEND_DB")
    if not path:
        raise RuntimeError("VERSUS_BACKEND_DB is not set")
    return pathlib.Path(path).resolve().as_uri() + "?mode=ro"


DATABASE_URI = database_uri()

# The /db endpoint is a plain `def` because sqlite3 blocks: FastAPI runs it on its thread pool
# (as its documentation advises for blocking libraries), and a sqlite3 connection belongs to the
# thread that made it, so each pool thread opens one, read-only, on first use and keeps it.
_local = threading.local()


def connection():
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = _local.conn = sqlite3.connect(DATABASE_URI, uri=True)
    return conn


@asynccontextmanager
async def lifespan(_app):
    # Fail at start-up, not at the first request, when the database is wrong.
    conn = sqlite3.connect(DATABASE_URI, uri=True)
    try:
        conn.execute("SELECT count(*) FROM items").fetchone()
    finally:
        conn.close()
    yield


# redirect_slashes=False: /json/ is a 404 as in the other servers, not a redirect to /json.
app = FastAPI(lifespan=lifespan, redirect_slashes=False, openapi_url=None)

INT_TEXT = re.compile(r"-?[0-9]{1,9}")


def int_text(value):
    """An optional '-' and 1 to 9 ASCII digits, as all three servers accept (pydantic's own
    integer parsing would also take "+5", " 5" or "5.0")."""
    if isinstance(value, str) and INT_TEXT.fullmatch(value):
        return int(value)
    raise ValueError("not an integer")


QueryInt = Annotated[int, BeforeValidator(int_text)]


class Message(BaseModel):
    message: str
    id: int


class Echo(BaseModel):
    # Strict: "5", 5.0 and true are not counts, 5 is not a name.
    model_config = ConfigDict(strict=True)
    name: str
    count: int = Field(ge=0, le=MAX_COUNT)


class Echoed(BaseModel):
    name: str
    count: int
    total: int
    greeting: str


class Computed(BaseModel):
    n: int
    sum: int


class Item(BaseModel):
    id: int
    name: str
    value: int


@app.get("/json")
async def hello() -> Message:
    return Message(message="Hello, World!", id=1)


@app.post("/echo")
async def echo(body: Echo) -> Echoed:
    return Echoed(
        name=body.name, count=body.count, total=body.count * 2, greeting=f"hello {body.name}"
    )


@app.get("/compute")
async def compute(n: Annotated[QueryInt, Query(ge=1, le=MAX_N)]) -> Computed:
    return Computed(n=n, sum=sum(i * i % 7 for i in range(n)))


@app.get("/db")
def item(item_id: Annotated[QueryInt, Query(alias="id")]) -> Item:
    row = connection().execute(QUERY, (item_id,)).fetchone()
    if row is None:
        raise HTTPException(status_code=404, detail=NOT_FOUND)
    return Item(id=item_id, name=row[0], value=row[1])


def error(status, text):
    return JSONResponse({"error": text}, status_code=status)


def validation_message(problem):
    """The other servers' error text for pydantic's first error."""
    where = problem["loc"]
    if where[0] == "query":
        return INVALID_N if where[1] == "n" else INVALID_ID
    if problem["type"] == "json_invalid":
        return INVALID_JSON
    if len(where) == 1:  # the body itself: empty, null, or not an object
        return NOT_OBJECT
    return f"invalid field: {where[1]}"


@app.exception_handler(RequestValidationError)
async def invalid_request(_request: Request, exc: RequestValidationError):
    return error(400, validation_message(exc.errors()[0]))


@app.exception_handler(HTTPException)
async def http_error(_request: Request, exc: HTTPException):
    # An unknown path (404) and a known path with another method (405) are both "anything else".
    if exc.status_code in (404, 405):
        return error(404, NOT_FOUND)
    return error(exc.status_code, str(exc.detail))
