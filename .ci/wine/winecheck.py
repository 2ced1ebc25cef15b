"""What the Wine checks share: run a binary (under Wine when it is a .exe) with a deadline,
and the properties every binary's output must have (the seed program's lines, --list, bad
input). Properties only: never one interleaving of threads' lines, never a timing (figures
under Wine mean nothing).

A check script imports this module, calls `check(...)` for each property and ends with
`sys.exit(finish())`: every failure is printed, and the exit code is 1 if any check failed.
"""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

# Every run gets this deadline; a run that outlives it is killed and reported.
DEADLINE_S = int(os.environ.get("WINE_CHECK_DEADLINE_S", "180"))

FAILURES = []
WINESERVER_STARTED = False


def start_wineserver():
    """Starts the prefix's wineserver and Wine's background services once, persistent, their
    output going nowhere.

    Otherwise the first `wine` of a run starts them, they inherit the run's stdout and stderr
    pipes and keep them open while they live (the server 3 s after its last client): each
    run would end only when they do."""
    global WINESERVER_STARTED
    if not WINESERVER_STARTED:
        quiet = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        # The server daemonizes: this returns once it is up.
        subprocess.run(["wineserver", "--persistent"], check=True, **quiet)
        # The first program started brings up the services (winedevice.exe) for good.
        subprocess.run(["wine", "cmd", "/c", "exit"], check=True, timeout=DEADLINE_S, **quiet)
        WINESERVER_STARTED = True


def stop_wineserver():
    """Ends the wineserver `start_wineserver` started (and the prefix's Wine processes with
    it), and waits until it is gone: no process outlives the checks."""
    if WINESERVER_STARTED:
        subprocess.run(["wineserver", "--kill"], check=False)
        subprocess.run(["wineserver", "--wait"], check=False, timeout=DEADLINE_S)


class Finished:
    """A finished run: its exit code and its output, as text."""

    def __init__(self, args, code, stdout, stderr, seconds):
        self.args, self.code, self.stdout, self.stderr = args, code, stdout, stderr
        self.seconds = seconds

    def lines(self):
        return self.stdout.splitlines()

    def __str__(self):
        return (
            f"--- {' '.join(self.args)}: exit code {self.code} after {self.seconds:.1f} s\n"
            f"--- stdout:\n{self.stdout}--- stderr:\n{self.stderr}---"
        )


def binary(name):
    """The Windows build of the binary `name`: WINE_EXE_DIR/NAME.exe (set by .ci/wine/env)."""
    path = Path(os.environ["WINE_EXE_DIR"]) / f"{name}.exe"
    if not path.is_file():
        sys.exit(f"error: {path} does not exist; run .ci/wine/setup first")
    return path


def run(exe, *args):
    """Runs `exe ARGS` (under `wine` for a .exe) with the deadline; returns a Finished."""
    under_wine = str(exe).endswith(".exe")
    if under_wine:
        start_wineserver()
    command = (["wine"] if under_wine else []) + [str(exe), *args]
    shown = [Path(exe).name, *args]
    start = time.monotonic()
    try:
        done = subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=DEADLINE_S,
        )
    except subprocess.TimeoutExpired as expired:
        # `subprocess.run` has killed the process; report what it had printed.
        out = (expired.stdout or b"").decode("utf-8", "replace")
        err = (expired.stderr or b"").decode("utf-8", "replace")
        finished = Finished(shown, None, out, err, time.monotonic() - start)
        fail(f"{' '.join(shown)}: still running after {DEADLINE_S} s, killed", finished)
        return finished
    return Finished(
        shown,
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
        time.monotonic() - start,
    )


def run_head_1(exe, *args):
    """Runs `exe ARGS | head -1`: reads stdout's first line, then closes the pipe, as `head -1`
    does, and waits for the end with the deadline. Returns a Finished whose stdout is that
    line."""
    under_wine = str(exe).endswith(".exe")
    if under_wine:
        start_wineserver()
    command = (["wine"] if under_wine else []) + [str(exe), *args]
    shown = [Path(exe).name, *args, "|", "head", "-1"]
    start = time.monotonic()
    child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first_line, stderr = [b""], [b""]
    stderr_reader = threading.Thread(target=lambda: stderr.__setitem__(0, child.stderr.read()), daemon=True)
    stderr_reader.start()
    line_reader = threading.Thread(target=lambda: first_line.__setitem__(0, child.stdout.readline()), daemon=True)
    line_reader.start()
    line_reader.join(DEADLINE_S)
    timed_out = line_reader.is_alive()
    if not timed_out:
        child.stdout.close()  # What `head -1` does once it has its line.
        try:
            child.wait(timeout=max(1.0, DEADLINE_S - (time.monotonic() - start)))
        except subprocess.TimeoutExpired:
            timed_out = True
    if timed_out:
        child.kill()
    code = child.wait()
    line_reader.join()
    stderr_reader.join()
    finished = Finished(
        shown,
        None if timed_out else code,
        first_line[0].decode("utf-8", "replace"),
        stderr[0].decode("utf-8", "replace"),
        time.monotonic() - start,
    )
    if timed_out:
        fail(f"{' '.join(shown)}: still running after {DEADLINE_S} s, killed", finished)
    return finished


def fail(message, finished=None):
    FAILURES.append(message)
    print(f"FAIL: {message}")
    if finished is not None:
        print(finished)


def check(condition, message, finished=None):
    """Records a failed property (and the run it was seen in); returns `condition`."""
    if not condition:
        fail(message, finished)
    return condition


def ok(name, finished=None):
    took = f" ({finished.seconds:.1f} s)" if finished is not None else ""
    print(f"ok: {name}{took}")


def finish():
    """Stops the wineserver, prints the summary; the exit code for `sys.exit`."""
    stop_wineserver()
    if FAILURES:
        print(f"\n{len(FAILURES)} check(s) failed:")
        for message in FAILURES:
            print(f"  {message}")
        return 1
    print("\nall checks passed")
    return 0


# ----------------------------------------------------------------------------------------
# Properties every binary shares.

NUMBERS = [f"Number:  {number}" for number in range(5)]
LETTERS = [f"Letter:  {letter}" for letter in "ABCDE"]


def check_seed_output(name, finished):
    """The seed program's property: every line present exactly once, each task's own lines
    in its order, `Done!` last; exit code 0. Never one interleaving."""
    lines = finished.lines()
    good = check(finished.code == 0, f"{name}: exit code {finished.code}, not 0", finished)
    expected = sorted(NUMBERS + LETTERS + ["Done!"])
    good &= check(sorted(lines) == expected, f"{name}: not the expected lines (as a multiset)", finished)
    for task in (NUMBERS, LETTERS):
        own = [line for line in lines if line in task]
        good &= check(own == task, f"{name}: a task's lines came out of order", finished)
    good &= check(lines[-1:] == ["Done!"], f"{name}: Done! is not last", finished)
    return good


def check_cli(exe, expected_names):
    """--list (names in book order, nothing on stderr), --help, and bad input: an unknown
    name gets the closest suggestion and the list with exit code 2; extra arguments exit 2."""
    listed = run(exe, "--list")
    names = [line.split()[0] for line in listed.lines() if line.strip()]
    good = check(listed.code == 0, "--list: exit code not 0", listed)
    good &= check(listed.stderr == "", "--list wrote to stderr", listed)
    good &= check(
        names[: len(expected_names)] == expected_names,
        f"--list: not the examples in book order; expected {expected_names}",
        listed,
    )
    if good:
        ok("--list")

    helped = run(exe, "--help")
    if check(helped.code == 0 and "Usage:" in helped.stdout, "--help: no usage or exit code not 0", helped):
        ok("--help")

    typo = run(exe, "sed")
    good = check(typo.code == 2, "unknown example: exit code not 2", typo)
    good &= check(typo.stdout == "", "unknown example: something on stdout", typo)
    good &= check("error: unknown example 'sed'" in typo.stderr, "unknown example: no error line", typo)
    good &= check("did you mean 'seed'?" in typo.stderr, "unknown example: no suggestion", typo)
    for name in expected_names:
        good &= check(f"  {name} " in typo.stderr, f"unknown example: '{name}' not listed", typo)
    if good:
        ok("unknown example: suggestion, list, exit code 2")

    extra = run(exe, "steps", "--fast")
    good = check(extra.code == 2, "extra arguments: exit code not 2", extra)
    good &= check(extra.stdout == "", "extra arguments: the example ran", extra)
    good &= check(
        "example 'steps' takes no arguments, got: --fast" in extra.stderr,
        "extra arguments: no error line",
        extra,
    )
    # `seed` takes options (`--runs N`), and refuses any other.
    unknown = run(exe, "seed", "--fast")
    good &= check(unknown.code == 2 and "unknown option: --fast" in unknown.stderr, "seed --fast: not refused", unknown)
    if good:
        ok("extra arguments: exit code 2")

    flag = run(exe, "--list", "extra")
    if check(flag.code == 2 and "takes no arguments" in flag.stderr, "--list extra: not refused", flag):
        ok("--list extra: exit code 2")


# A closed stdout ends a program quietly: on Windows with this exit code
# (shared::cli::CLOSED_STDOUT_EXIT_CODE, ERROR_NO_DATA), on Unix killed by SIGPIPE.
CLOSED_STDOUT_EXIT_CODE = 232


def check_head_1(exe, *args):
    """`exe ARGS | head -1`: the first line comes out, then the program ends quietly (no panic,
    nothing on stderr) with the closed-stdout exit code, or -SIGPIPE for a native binary."""
    finished = run_head_1(exe, *args)
    name = " ".join([*args, "| head -1"])
    expected = CLOSED_STDOUT_EXIT_CODE if str(exe).endswith(".exe") else -signal.SIGPIPE
    good = check(finished.stdout.strip() != "", f"{name}: no first line", finished)
    good &= check("panicked" not in finished.stderr, f"{name}: a panic was reported", finished)
    good &= check(finished.stderr.strip() == "", f"{name}: not quiet: something on stderr", finished)
    good &= check(finished.code == expected, f"{name}: exit code {finished.code}, not {expected}", finished)
    if good:
        ok(f"{name}: the first line, then a quiet end with exit code {expected}", finished)
