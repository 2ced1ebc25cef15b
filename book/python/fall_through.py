"""os.fork() returns twice, and both processes carry on from the same line:
the child's branch must end the child, with os._exit. Forgotten, the child
falls through into the parent's code. The mistake is bounded here: the child
leaves right after the line it should not have run.

    python3 book/python/fall_through.py"""

import os


def do_the_child_work():
    # flush: os._exit ends the process at once, discarding unwritten output.
    print(f"child {os.getpid()}: doing the child's work", flush=True)


def wait_for(pid):
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, f"child {pid}: {status}"


print(f"before the fork: process {os.getpid()}", flush=True)

# The mistake: the child's branch does not end the child.
pid = os.fork()
if pid == 0:
    do_the_child_work()
    # Forgotten: os._exit(0), so the child carries on below.
print(f"process {os.getpid()}: this line ran twice", flush=True)
if pid == 0:
    os._exit(0)  # The bound: past here the child would run the rest too.
wait_for(pid)

# ANCHOR: fixed
pid = os.fork()
if pid == 0:
    do_the_child_work()
    os._exit(0)  # forget this line...
# ...and the child runs this too:
print(f"process {os.getpid()}: this line ran once")
# ANCHOR_END: fixed
wait_for(pid)
