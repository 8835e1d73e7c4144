# idle-tasks (threads): starts N OS threads that each wait on one Event, sets
# it WAIT_S seconds after the last thread started, joins them all, then prints
# "K tasks done", where K is how many threads counted themselves (under a lock)
# once released, so the output is N only when every thread ran (arguments: N,
# WAIT_S, SPAWN_BUDGET_S). All N are alive at once, so the peak memory of the
# process is what N idle threads cost; the metric spawn_s is the time taken to
# start them all. Each thread is a kernel task, so the machine's limits
# (pid_max, threads-max, vm.max_map_count, memory for stacks) cap N, and
# starting one gets slower as threads accumulate (in CPython 3.11 each start
# walks the shutdown locks of every live thread): when a thread cannot be
# started, or starting them takes longer than SPAWN_BUDGET_S, the program says
# how far it got and exits 75 (a limit reached, not a bug).
import os
import sys
import threading
import time

LIMIT_REACHED = 75


def write_metrics(name, value):
    path = os.environ.get("VERSUS_METRICS")
    if path:
        with open(path, "a") as f:
            f.write(f"{name} {value:.9f}\n")


def give_up(threads, n, reason):
    # The threads are daemons waiting on the event: leave at once rather than spend seconds
    # waking and joining twenty thousand of them, which measures nothing.
    print(f"started {len(threads)} of {n} threads: {reason}", file=sys.stderr, flush=True)
    os._exit(LIMIT_REACHED)


def main():
    n, wait, budget = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
    release = threading.Event()
    lock = threading.Lock()
    ran = 0

    def idle():
        nonlocal ran
        release.wait()
        with lock:
            ran += 1

    threads = []
    start = time.perf_counter()
    for _ in range(n):
        elapsed = time.perf_counter() - start
        if elapsed > budget:
            give_up(threads, n, f"{elapsed:.1f} s, the spawn budget: gave up")
        t = threading.Thread(target=idle, daemon=True)
        try:
            t.start()
        except (RuntimeError, MemoryError) as e:
            # A MemoryError may carry no message.
            give_up(threads, n, str(e) or type(e).__name__)
        threads.append(t)
    spawn = time.perf_counter() - start
    time.sleep(wait)
    release.set()
    for t in threads:
        t.join()
    print(f"{ran} tasks done")
    write_metrics("spawn_s", spawn)


if __name__ == "__main__":
    main()
