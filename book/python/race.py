"""counter += 1 from four threads: a load, an add and a store, which another
thread may get in between. Whether it does depends on where CPython lets
another thread run: CPython 3.11 switches threads only at certain points of
the bytecode, such as a call or the jump back to a loop's start, so the plain
add usually loses nothing there, while the same add with a call between the
load and the store loses updates. The optional argument sets the switch
interval in seconds (sys.setswitchinterval; 0.005 by default).

    python3 book/python/race.py
    python3 book/python/race.py 0.000001"""

import platform
import sys
import threading

THREADS, ADDS = 4, 200_000
counter = 0


def one():
    return 1


# ANCHOR: racy
def add_plain():
    global counter
    for _ in range(ADDS):
        counter += 1  # Load, add, store.


def add_with_a_call():
    global counter
    for _ in range(ADDS):
        counter += one()  # Load, call, add, store.
# ANCHOR_END: racy


def count_with(target):
    global counter
    counter = 0
    threads = [threading.Thread(target=target) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counter


if len(sys.argv) > 1:
    sys.setswitchinterval(float(sys.argv[1]))
print(f"CPython {platform.python_version()}, "
      f"switch interval {sys.getswitchinterval():g} s")
expected = THREADS * ADDS
for target in (add_plain, add_with_a_call):
    got = count_with(target)
    print(f"{target.__name__}: {got} of {expected}, {expected - got} lost")
