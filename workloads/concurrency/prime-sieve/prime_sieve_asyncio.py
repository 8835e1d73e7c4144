# prime-sieve (asyncio): the concurrent prime sieve. A generator task puts 2,
# 3, 4, ... on a queue; every prime that reaches the end of the chain adds a
# filter task that drops the multiples of that prime, so the chain grows by
# one task per prime. Prints the N-th prime (argument: N). Measures queue
# hand-offs along a long chain of tasks: the metric messages_per_s is the
# number of values put on all queues divided by the time of the sieve.
import asyncio
import os
import sys
import time


async def generate(out, sent, k):
    """Put 2, 3, 4, ... on out, forever, counting them in sent[k]."""
    i = 2
    while True:
        await out.put(i)
        sent[k] += 1
        i += 1


async def filter_multiples(inbox, out, prime, sent, k):
    """Pass on the values from inbox that prime does not divide, forever,
    counting them in sent[k]."""
    while True:
        v = await inbox.get()
        if v % prime:
            await out.put(v)
            sent[k] += 1


def channel():
    # maxsize=1 is the nearest thing to Go's unbuffered channel: a task that
    # puts a second value waits until the next task has taken the first, so
    # values move down the chain one hand-off at a time instead of piling up.
    return asyncio.Queue(maxsize=1)


async def sieve(n):
    """Return the n-th prime, the values put on all queues, and the time."""
    sent = [0] * n  # the generator's count, then one per filter
    start = time.perf_counter()
    ch = channel()
    tasks = [asyncio.create_task(generate(ch, sent, 0))]
    for i in range(1, n + 1):
        prime = await ch.get()
        if i == n:
            break  # the n-th prime needs no filter of its own
        nxt = channel()
        tasks.append(asyncio.create_task(filter_multiples(ch, nxt, prime, sent, i)))
        ch = nxt
    elapsed = time.perf_counter() - start
    messages = sum(sent)
    # The tasks never end by themselves: cancel them and wait until they have.
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return prime, messages, elapsed


def write_metrics(name, value):
    path = os.environ.get("VERSUS_METRICS")
    if path:
        with open(path, "a") as f:
            f.write(f"{name} {value:.3f}\n")


def main():
    n = int(sys.argv[1])
    prime, messages, elapsed = asyncio.run(sieve(n))
    print(prime)
    write_metrics("messages_per_s", messages / elapsed)


if __name__ == "__main__":
    main()
