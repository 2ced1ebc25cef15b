"""How many DeprecationWarnings a fork beside a running thread gives, as
Python's default filters show them: through multiprocessing's fork start
method, the same with the filter `python -W default` sets, and os.fork() in
__main__. CPython 3.12 and later warn (0, 1, 1); 3.11 never does (0, 0, 0).

    python3 book/python/fork_warnings.py"""

import multiprocessing
import os
import platform
import threading
import warnings


# ANCHOR: fork_warning
def fork_warnings(start):
    """How many DeprecationWarnings a fork gives, as Python filters them."""
    with warnings.catch_warnings(record=True) as caught:
        start()
    return sum(issubclass(w.category, DeprecationWarning) for w in caught)


def multiprocessing_fork():  # Forks in multiprocessing/popen_fork.py.
    child = multiprocessing.get_context("fork").Process(target=os.getpid)
    child.start()
    child.join()


def os_fork():  # Forks here, in __main__.
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)


def with_default_filter(start):  # What `python -W default` does.
    def started():
        warnings.simplefilter("default")
        start()
    return started


release = threading.Event()
waiting = threading.Thread(target=release.wait)  # Holds no lock.
waiting.start()
counts = [fork_warnings(multiprocessing_fork),
          fork_warnings(with_default_filter(multiprocessing_fork)),
          fork_warnings(os_fork)]
release.set()
waiting.join()
# ANCHOR_END: fork_warning
print(f"CPython {platform.python_version()}: multiprocessing (fork) "
      f"{counts[0]}, the same with -W default {counts[1]}, "
      f"os.fork() in __main__ {counts[2]}")
