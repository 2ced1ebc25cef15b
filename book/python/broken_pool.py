"""What a worker's death does to a ProcessPoolExecutor: one worker is busy
with a long task when the other dies. Every task not yet done fails with
BrokenProcessPool, the long one on the healthy worker included (that worker
is terminated), and so does every later submit; a task already done keeps
its result. The same with CPython 3.11, 3.12 and 3.13.

    python3 book/python/broken_pool.py"""

import multiprocessing
import os
import platform
import time
from concurrent.futures import ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

# The fork start method: the workers inherit both events, made before them.
fork = multiprocessing.get_context("fork")
started, go = fork.Event(), fork.Event()


# ANCHOR: broken_pool
def long_task():
    started.set()
    time.sleep(60)  # Still running when the other worker dies.
    return "finished"


def dying_task():
    go.wait(30)  # Dies only once every task is submitted: a submit to a
    os._exit(1)  # pool already known broken would raise at once.


def outcome(future):
    if not future.done():
        return "not-done"
    error = future.exception()
    return "result" if error is None else type(error).__name__


with ProcessPoolExecutor(2, mp_context=fork) as executor:
    done = executor.submit(abs, -1)
    done.result()
    running = executor.submit(long_task)
    assert started.wait(30), "the long task never started"
    crashing = executor.submit(dying_task)
    pending = [executor.submit(abs, n) for n in range(4)]
    go.set()
    wait([running, crashing, *pending], timeout=60)
    print(f"the task done before: {outcome(done)}")
    print(f"the dying task: {outcome(crashing)}")
    print(f"the task running on the other worker: {outcome(running)}")
    print(f"{len(pending)} queued:", *map(outcome, pending))
    try:
        executor.submit(abs, 0)
        print("a later submit: accepted")
    except BrokenProcessPool as error:
        print(f"a later submit: {type(error).__name__}")
# ANCHOR_END: broken_pool
print(f"CPython {platform.python_version()}")
