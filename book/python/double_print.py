"""print() and then os.fork(): a line still in sys.stdout's buffer is copied
with the memory, and the child writes its copy too if it exits normally.
Into a pipe or a file sys.stdout is block-buffered, so line 1 comes out
twice; on a terminal (line-buffered) or with PYTHONUNBUFFERED=1, once.

    python3 book/python/double_print.py | cat    # line 1 twice
    python3 book/python/double_print.py          # on a terminal: once each"""

import os
import sys


# ANCHOR: program
def fork_and_wait(end_the_child):
    pid = os.fork()
    if pid == 0:
        end_the_child(0)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, f"child {pid}: {status}"


print("1. printed before the fork; the child ends with sys.exit")
fork_and_wait(sys.exit)  # A normal exit flushes the child's copy.
print("2. printed before the fork; the child ends with os._exit")
fork_and_wait(os._exit)  # Ends at once: the child's copy is never written.
print("3. printed and flushed before the fork")
sys.stdout.flush()  # What multiprocessing does before it forks.
fork_and_wait(sys.exit)  # The child's copy is empty.
# ANCHOR_END: program
