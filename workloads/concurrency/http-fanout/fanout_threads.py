# http-fanout (threads, urllib): N concurrent HTTP GETs against a slow backend
# (arguments: N D). Request i asks versus's server ($VERSUS_SERVER_URL) for
# /item/i?delay_ms=D, which answers after D ms with
# {"id":i,"value":(i*7919)%10007}; every body is checked. With all N in flight
# at once the batch takes about D ms plus overhead; one at a time it would take
# N×D ms. Prints `N responses, sum S` where S is the sum of the values, and
# writes the batch's time (`batch_s`, from before the pool to the last body
# checked) to the file named by $VERSUS_METRICS.
import json
import os
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

# The server is on this machine: never route its requests through a proxy named
# in the environment (Go's client and aiohttp do not either).
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def fetch(base, i, delay):
    """GET one item and check its body; returns its value."""
    with opener.open(f"{base}/item/{i}?delay_ms={delay}") as resp:
        item = json.load(resp)
    if item != {"id": i, "value": i * 7919 % 10007}:
        raise ValueError(f"item {i}: unexpected body {item}")
    return item["value"]


def write_metric(name, value):
    """Appends `name value` to the file named by VERSUS_METRICS, if set."""
    path = os.environ.get("VERSUS_METRICS")
    if path:
        with open(path, "a") as f:
            f.write(f"{name} {value:.9f}\n")


def main():
    n, delay = int(sys.argv[1]), int(sys.argv[2])
    base = os.environ["VERSUS_SERVER_URL"]
    # urllib blocks a thread for the whole request, so the pool's threads are the
    # requests in flight. Python's default pool, min(32, cores + 4), would be 6
    # threads on 2 cores: 1000 requests would wait through 167 rounds of D ms.
    # 100 is a usual size for calls that mostly wait (and aiohttp's default
    # connection cap); N = 1000 still takes 10 rounds.
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=min(n, 100)) as pool:
        values = list(pool.map(lambda i: fetch(base, i, delay), range(n)))
        # Stopped before the pool joins its idle threads: the batch is done.
        batch_s = time.perf_counter() - start
    print(f"{n} responses, sum {sum(values)}")
    write_metric("batch_s", batch_s)


if __name__ == "__main__":
    main()
