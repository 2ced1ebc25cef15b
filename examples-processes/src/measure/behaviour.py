# Run by `measure` after python.py (mp, os), and alone by python_behaves_as_the_book_says; the
# book shows both checks as whole programs: book/python/fork_warnings.py and broken_pool.py.
import threading, warnings

def fork_warnings(start, action=None):
    """How many DeprecationWarnings a fork gives, as Python (or `-W action`) filters them."""
    with warnings.catch_warnings(record=True) as caught:
        if action:
            warnings.simplefilter(action)
        start()
    return sum(issubclass(w.category, DeprecationWarning) for w in caught)

def multiprocessing_fork():  # os.fork() is called in multiprocessing/popen_fork.py
    child = mp.get_context("fork").Process(target=os.getpid)
    child.start()
    child.join()

def os_fork():  # os.fork() is called here, in __main__
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)

release = threading.Event()
waiting = threading.Thread(target=release.wait)  # a second thread, holding no lock
waiting.start()
figures["fork_with_a_thread_warnings"] = {
    "multiprocessing_fork": fork_warnings(multiprocessing_fork),
    "multiprocessing_fork_w_default": fork_warnings(multiprocessing_fork, "default"),
    "os_fork_in_main": fork_warnings(os_fork),
}
release.set()
waiting.join()

from concurrent.futures import ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

fork = mp.get_context("fork")  # the workers inherit both events, made before them
started, go = fork.Event(), fork.Event()

def long_task():
    started.set()
    time.sleep(5)  # still running when the other worker dies

def dying_task():
    go.wait(30)  # dies only once every task is submitted: a submit to a
    os._exit(1)  # pool already known broken would raise at once

def outcome(future):
    if not future.done():
        return "not-done"
    return "result" if future.exception() is None else type(future.exception()).__name__

with ProcessPoolExecutor(2, mp_context=fork) as executor:
    done = executor.submit(abs, -1)
    done.result()
    running = executor.submit(long_task)
    assert started.wait(30), "the long task never started"
    crashing = executor.submit(dying_task)
    pending = [executor.submit(abs, n) for n in range(4)]
    go.set()
    wait([running, crashing, *pending], timeout=30)
    broken = figures["broken_process_pool"] = {
        "done_before_the_crash": outcome(done),
        "crashed_task": outcome(crashing),
        "running_on_a_healthy_worker": outcome(running),
        "pending": [outcome(future) for future in pending],
    }
    try:
        executor.submit(abs, 0)
        broken["submit_after"] = "accepted"
    except BrokenProcessPool as error:
        broken["submit_after"] = type(error).__name__
