"""Two threads run the same CPU-bound loop, as in the tutorial's threading
example. Under CPython's GIL only one of them runs Python code at a time;
py-spy shows which (the chapter "Find it with a tool"):

    python3 book/python/gil_threads.py 5 &
    py-spy dump --pid $!

The argument is how many seconds each thread counts (default 5)."""

import sys
import threading
import time


def count_for(seconds):
    """Adds numbers until `seconds` have passed; returns how many."""
    deadline = time.monotonic() + seconds
    total = 0
    while time.monotonic() < deadline:
        for _ in range(10_000):
            total += 1
    return total


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
    counts = {}

    def worker(name):
        counts[name] = count_for(seconds)

    threads = [
        threading.Thread(target=worker, args=(name,), name=name)
        for name in ("counter-1", "counter-2")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for name in sorted(counts):
        print(f"{name}: {counts[name]:,} additions in {seconds:g} s")


if __name__ == "__main__":
    main()
