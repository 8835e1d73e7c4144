# idle-tasks (asyncio): starts N asyncio tasks that each wait on one Event,
# sets it WAIT_S seconds after the last task was created, awaits them all, then
# prints "K tasks done", where K is how many tasks counted themselves once
# released, so the output is N only when every task ran (arguments: N, WAIT_S,
# SPAWN_BUDGET_S). All N are alive at once, so the peak memory of the process
# is what N idle tasks cost; the metric spawn_s is the time taken to create
# them all. Creating them taking longer than SPAWN_BUDGET_S gives up: the
# program says how far it got and exits 75 (a limit reached).
import asyncio
import os
import sys
import time

LIMIT_REACHED = 75


async def finish(tasks):
    # Awaiting the tasks one by one holds nothing per task beyond the list. asyncio.gather(*tasks)
    # would build a tuple, a dict and a list of them, then a list of their results, while every
    # task is still alive: 166.6 MB of peak RSS at 100,000 tasks against 151.1 MB this way.
    for task in tasks:
        await task


async def run(n, wait, budget):
    release = asyncio.Event()
    ran = 0

    async def idle():
        nonlocal ran
        await release.wait()
        ran += 1  # one thread runs the loop: no lock needed

    tasks = []
    start = time.perf_counter()
    for i in range(n):
        if i % 1024 == 0 and time.perf_counter() - start > budget:
            release.set()
            await finish(tasks)
            elapsed = time.perf_counter() - start
            print(
                f"started {i} of {n} tasks in {elapsed:.1f} s, the spawn budget: gave up",
                file=sys.stderr,
            )
            sys.exit(LIMIT_REACHED)
        tasks.append(asyncio.create_task(idle()))
    # create_task only schedules a task; yielding once lets the loop run every task up to its
    # wait, so spawn_s counts what Go's and the threads' counts do: tasks started and waiting.
    await asyncio.sleep(0)
    spawn = time.perf_counter() - start
    # The tasks run (and block on the event) while this coroutine sleeps.
    await asyncio.sleep(wait)
    release.set()
    await finish(tasks)
    return ran, spawn


def write_metrics(name, value):
    path = os.environ.get("VERSUS_METRICS")
    if path:
        with open(path, "a") as f:
            f.write(f"{name} {value:.9f}\n")


def main():
    n, wait, budget = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
    ran, spawn = asyncio.run(run(n, wait, budget))
    print(f"{ran} tasks done")
    write_metrics("spawn_s", spawn)


if __name__ == "__main__":
    main()
