"""What CPython says about the CPUs this process may use: as started, then
pinned to one CPU with os.sched_setaffinity (the call `taskset -c N` makes).
os.cpu_count() counts the machine's CPUs; os.process_cpu_count() (new in
3.13) and os.sched_getaffinity(0) (Linux) count the ones this process may use.

    python3.13 book/python/cpu_counts.py"""

import os
import platform

print(f"CPython {platform.python_version()}")


# ANCHOR: counts
def counts():
    if hasattr(os, "process_cpu_count"):
        process = f"os.process_cpu_count() {os.process_cpu_count()}"
    else:
        process = "no os.process_cpu_count() (new in 3.13)"
    return (f"os.cpu_count() {os.cpu_count()}, {process}, "
            f"len(os.sched_getaffinity(0)) {len(os.sched_getaffinity(0))}")


print("as started:", counts())
first = min(os.sched_getaffinity(0))
os.sched_setaffinity(0, {first})
print(f"pinned to CPU {first}:", counts())
# ANCHOR_END: counts
