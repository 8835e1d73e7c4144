# ping-pong (asyncio): two tasks pass a token back and forth through two
# asyncio.Queue(maxsize=1) N times, then print "N round trips" (argument: N).
# Measures the cost of one hand-off between two tasks: the metric
# round_trips_per_s is timed over the exchange loop only.
import asyncio
import os
import sys
import time


async def ping(n, out, inbox):
    """Send the token and wait for it to come back, n times; return the
    token (the round trips pong counted) and the exchange's duration."""
    token = 0
    start = time.perf_counter()
    for _ in range(n):
        await out.put(token)
        token = await inbox.get()
    elapsed = time.perf_counter() - start
    await out.put(None)  # tells pong to stop
    return token, elapsed


async def pong(inbox, out):
    """Send every token back, counting one more round trip."""
    while True:
        token = await inbox.get()
        if token is None:
            return
        await out.put(token + 1)


async def run(n):
    # maxsize=1 is the nearest thing to Go's unbuffered channel: a queue
    # holds at most the one token in flight. Only one token circulates, so
    # put() never waits; each leg is one put() waking the task blocked in get().
    pings, pongs = asyncio.Queue(maxsize=1), asyncio.Queue(maxsize=1)
    result, _ = await asyncio.gather(ping(n, pings, pongs), pong(pings, pongs))
    return result


def write_metrics(name, value):
    path = os.environ.get("VERSUS_METRICS")
    if path:
        with open(path, "a") as f:
            f.write(f"{name} {value:.3f}\n")


def main():
    n = int(sys.argv[1])
    trips, elapsed = asyncio.run(run(n))
    print(f"{trips} round trips")
    write_metrics("round_trips_per_s", trips / elapsed)


if __name__ == "__main__":
    main()
