# ping-pong (threads): two threads pass a token back and forth through two
# queue.Queue(maxsize=1) N times, then print "N round trips" (argument: N).
# Measures the cost of one hand-off between two OS threads (under CPython's
# GIL, each hand-off also passes the GIL): the metric round_trips_per_s is
# timed over the exchange loop only.
import os
import queue
import sys
import threading
import time


def ping(n, out, inbox, result):
    """Send the token and wait for it to come back, n times; store the token
    (the round trips pong counted) and the exchange's duration in result."""
    token = 0
    start = time.perf_counter()
    for _ in range(n):
        out.put(token)
        token = inbox.get()
    elapsed = time.perf_counter() - start
    out.put(None)  # tells pong to stop
    result.extend((token, elapsed))


def pong(inbox, out):
    """Send every token back, counting one more round trip."""
    while True:
        token = inbox.get()
        if token is None:
            return
        out.put(token + 1)


def write_metrics(name, value):
    path = os.environ.get("VERSUS_METRICS")
    if path:
        with open(path, "a") as f:
            f.write(f"{name} {value:.3f}\n")


def main():
    n = int(sys.argv[1])
    # maxsize=1 is the nearest thing to Go's unbuffered channel: a queue
    # holds at most the one token in flight. Only one token circulates, so
    # put() never waits; each leg is one put() waking the thread blocked in get().
    pings, pongs = queue.Queue(maxsize=1), queue.Queue(maxsize=1)
    result = []
    threads = [threading.Thread(target=ping, args=(n, pings, pongs, result)),
               threading.Thread(target=pong, args=(pings, pongs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    trips, elapsed = result
    print(f"{trips} round trips")
    write_metrics("round_trips_per_s", trips / elapsed)


if __name__ == "__main__":
    main()
