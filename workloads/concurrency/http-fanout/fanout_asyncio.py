# http-fanout (asyncio, aiohttp): N concurrent HTTP GETs against a slow backend
# (arguments: N D). Request i asks versus's server ($VERSUS_SERVER_URL) for
# /item/i?delay_ms=D, which answers after D ms with
# {"id":i,"value":(i*7919)%10007}; every body is checked. With all N in flight
# at once the batch takes about D ms plus overhead; one at a time it would take
# N×D ms. Prints `N responses, sum S` where S is the sum of the values, and
# writes the batch's time (`batch_s`, from before the session to the last body
# checked) to the file named by $VERSUS_METRICS.
import asyncio
import errno
import os
import sys
import time

import aiohttp


async def fetch(session, base, i, delay):
    """GET one item and check its body; returns its value."""
    async with session.get(f"{base}/item/{i}?delay_ms={delay}") as resp:
        resp.raise_for_status()
        item = await resp.json()
    if item != {"id": i, "value": i * 7919 % 10007}:
        raise ValueError(f"item {i}: unexpected body {item}")
    return item["value"]


async def fetch_all(n, delay):
    """The batch: every value, and how long getting them took in seconds."""
    base = os.environ["VERSUS_SERVER_URL"]
    start = time.perf_counter()
    # aiohttp's connector opens at most 100 connections at once by default and
    # queues the other requests until one is free. We want N requests in flight
    # together (as the Go program has), so limit=0 lifts the cap.
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        values = await asyncio.gather(
            *(fetch(session, base, i, delay) for i in range(n))
        )
        return values, time.perf_counter() - start


def write_metric(name, value):
    """Appends `name value` to the file named by VERSUS_METRICS, if set."""
    path = os.environ.get("VERSUS_METRICS")
    if path:
        with open(path, "a") as f:
            f.write(f"{name} {value:.9f}\n")


def main():
    n, delay = int(sys.argv[1]), int(sys.argv[2])
    try:
        values, batch_s = asyncio.run(fetch_all(n, delay))
    except OSError as e:
        # Out of file descriptors or local ports: a limit of the machine.
        if e.errno in (errno.EMFILE, errno.ENFILE, errno.EADDRNOTAVAIL):
            print(f"{n} concurrent requests: {e}", file=sys.stderr)
            sys.exit(75)
        raise
    print(f"{n} responses, sum {sum(values)}")
    write_metric("batch_s", batch_s)


if __name__ == "__main__":
    main()
