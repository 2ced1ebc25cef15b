"""Runs every Python program the book shows, as its page runs it, each under a
deadline, and says how each one ended. Run it from anywhere:

    python3 book/python/run_all.py            # all of them
    python3 book/python/run_all.py race fork  # those whose name has a word

Every variable PYTHON* is removed from the programs' environment: several
change what they print (PYTHONUNBUFFERED: double_print.py and seed_threads.py;
PYTHONWARNINGS: fork_warnings.py; PYTHON_CPU_COUNT: cpu_counts.py on 3.13).
The output is read through a pipe, so it is block-buffered, as in
`python3 PROGRAM | cat`. A program still running at its deadline is killed;
so is whatever is left of its process group when it ends.
tests/tests/python.rs checks what each one prints against what its page
says."""

import os
import pathlib
import platform
import signal
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
DEADLINE_S = 120

# The file, its arguments, its page (under book/src/), what to look for.
PROGRAMS = [
    ("seed_threads.py", [], "programs.md",
     "every line once, each thread's in order, Done! last"),
    ("seed_processes.py", [], "programs.md",
     "the same, with processes (fork start method; 3.14+ on Linux: as spawn)"),
    ("seed_processes_spawn.py", [], "programs.md",
     "only Done! on stdout, a RuntimeError from each child, exit status 0"),
    ("race.py", [], "threads/race.md",
     "updates lost or not; never more than the expected total"),
    ("as_completed.py", [], "threads/as-completed.md",
     "task 6 fails; the tasks not started by then are cancelled"),
    ("cpu_counts.py", [], "threads/affinity.md",
     "pinned: len(os.sched_getaffinity(0)) 1, os.cpu_count() unchanged"),
    ("gil_threads.py", ["1"], "find-it.md",
     "two threads counting for 1 s each"),
    ("fall_through.py", [], "processes/fall-through.md",
     "'ran twice' from two processes, 'ran once' from one"),
    ("double_print.py", [], "processes/double-print.md",
     "line 1 twice (into a pipe), lines 2 and 3 once"),
    ("fork_with_threads.py", [], "processes/fork-with-threads.md",
     "3.12+: a DeprecationWarning on stderr; 3.11: none"),
    ("fork_warnings.py", [], "processes/fork-with-threads.md",
     "3.12+: 0, 1, 1; 3.11: 0, 0, 0"),
    ("broken_pool.py", [], "processes/pool.md",
     "only the task done before keeps its result"),
    ("futures_errors.py", [], "python-map.md",
     "exceptions re-raised by result(); a killed worker breaks the pool"),
    ("manager_cost.py", ["3"], "python-map.md",
     "a proxy access costs microseconds, a plain one nanoseconds"),
]


def run(name, args):
    """Runs one program in a process group of its own; (how it ended, output)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    program = subprocess.Popen(
        [sys.executable, str(HERE / name), *args], env=env,
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, start_new_session=True)
    try:
        output, _ = program.communicate(timeout=DEADLINE_S)
        ended = ("ok" if program.returncode == 0
                 else f"FAILED: exit status {program.returncode}")
    except subprocess.TimeoutExpired:
        ended = f"FAILED: still running after {DEADLINE_S} s, killed"
        os.killpg(program.pid, signal.SIGKILL)
        output, _ = program.communicate()
    # Nothing it started outlives it: what is left of its group is killed.
    try:
        os.killpg(program.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    return ended, output.decode(errors="replace")


def main(words):
    chosen = [p for p in PROGRAMS if not words or any(w in p[0] for w in words)]
    print(f"{platform.python_implementation()} {platform.python_version()}, "
          f"{sys.executable}")
    failed = []
    for name, args, page, look_for in chosen:
        print(f"\n== {' '.join([name, *args])} (book/src/{page}) ==")
        print(f"look for: {look_for}")
        started = time.monotonic()
        ended, output = run(name, args)
        print(output, end="" if output.endswith("\n") or not output else "\n")
        print(f"-> {ended} ({time.monotonic() - started:.1f} s)")
        if ended != "ok":
            failed.append(name)
    print(f"\n{len(chosen)} programs: {len(chosen) - len(failed)} ok"
          + (f", failed: {' '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
