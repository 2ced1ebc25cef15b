"""concurrent.futures' way: submit tasks to a pool of threads, take the
results as they finish (as_completed), and on the first error cancel the
tasks not yet started (shutdown(cancel_futures=True), new in 3.9). The Rust
counterpart is examples-threads/src/examples/as_completed.rs.

    python3 book/python/as_completed.py"""

import time
from concurrent.futures import ThreadPoolExecutor, as_completed

TASKS, FAILING_TASK = 20, 6


def task(n):
    time.sleep(0.01 * (n % 4 + 1))  # Stands in for I/O.
    if n == FAILING_TASK:
        raise ValueError(f"task {n}: bad input")
    return n * n


# ANCHOR: pattern
try:
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {pool.submit(task, n): n for n in range(TASKS)}
        for future in as_completed(futures):  # in the order they finish
            try:
                print(f"task {futures[future]}: done, {future.result()}")
            except Exception:
                pool.shutdown(cancel_futures=True)  # cancel those not started
                raise
except ValueError as error:  # Leaving `with` waited for the running tasks.
    print(f"first error: {error}")
# ANCHOR_END: pattern

# Every future is done, failed or cancelled now.
cancelled = sum(future.cancelled() for future in futures)
failed = sum(not future.cancelled() and future.exception() is not None
             for future in futures)
print(f"{len(futures)} submitted: {len(futures) - failed - cancelled} done, "
      f"{failed} failed, {cancelled} cancelled")
