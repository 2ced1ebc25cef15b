"""os.fork() in __main__ while another thread runs: CPython 3.12 and later
warn (a DeprecationWarning, shown by default); 3.11 forks without a word.

    python3.12 book/python/fork_with_threads.py"""

import os
import platform
import threading

# ANCHOR: fork
# A second thread that is still running when the main thread forks.
release = threading.Event()
waiter = threading.Thread(target=release.wait)
waiter.start()

pid = os.fork()
if pid == 0:
    os._exit(0)  # The child exits at once, touching nothing the thread held.
_, status = os.waitpid(pid, 0)
release.set()
waiter.join()
print("child exit status:", os.waitstatus_to_exitcode(status))
# ANCHOR_END: fork
print(f"CPython {platform.python_version()}")
