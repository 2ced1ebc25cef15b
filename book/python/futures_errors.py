"""How concurrent.futures reports failures (CPython 3.11):

1. An exception raised in a task is re-raised by `future.result()`, with its
   own type, in the thread that asks for the result; from a process pool it
   carries the worker's traceback as its __cause__ (a _RemoteTraceback).
2. A worker process that dies (here it kills itself with SIGKILL) breaks the
   whole ProcessPoolExecutor: every pending future's `result()` raises
   BrokenProcessPool, and so does every later `submit`.

    python3 book/python/futures_errors.py"""

import concurrent.futures
import os
import signal
import tempfile
import time
from concurrent.futures.process import BrokenProcessPool


def divide(a, b):
    return a / b


def slow_divide(a, b):
    time.sleep(1)  # Still running, or still queued, when the other worker dies.
    return a / b


def die(go):
    # Dies only once every task is submitted (the parent creates `go`): a
    # death before the last submit would make that submit raise instead.
    deadline = time.monotonic() + 10
    while not os.path.exists(go) and time.monotonic() < deadline:
        time.sleep(0.01)
    os.kill(os.getpid(), signal.SIGKILL)


def main():
    # 1. An exception in a task, re-raised from result().
    for kind in (concurrent.futures.ThreadPoolExecutor,
                 concurrent.futures.ProcessPoolExecutor):
        with kind(max_workers=2) as pool:
            future = pool.submit(divide, 1, 0)
            try:
                future.result()
            except ZeroDivisionError as error:
                cause = type(error.__cause__).__name__ if error.__cause__ else "none"
                print(f"{kind.__name__}: result() re-raised "
                      f"{type(error).__name__}, cause: {cause}")

    # 2. A worker killed by a signal breaks the pool.
    with tempfile.TemporaryDirectory() as scratch, \
            concurrent.futures.ProcessPoolExecutor(max_workers=2) as pool:
        go = os.path.join(scratch, "go")
        futures = [pool.submit(die, go)] + [pool.submit(slow_divide, n, 1)
                                            for n in range(4)]
        open(go, "w").close()
        broken = 0
        for future in futures:
            try:
                future.result()
            except BrokenProcessPool:
                broken += 1
        # The killed task's own future, and every other one not yet done:
        # the one running on the healthy worker and those still queued.
        print(f"ProcessPoolExecutor: {broken} of {len(futures)} results "
              "raised BrokenProcessPool")
        try:
            pool.submit(divide, 1, 1)
        except BrokenProcessPool as error:
            print("ProcessPoolExecutor: a later submit raised "
                  f"BrokenProcessPool:\n  {error}")


if __name__ == "__main__":
    main()
