# Run by `measure` after shared/src/measure/label.py and prelude.py (sys, time, cpu_job, …).
import os, threading
mode, duration_ns, gap_ns, start_at = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
figures["now"], figures["pid"], figures["lanes"] = time.perf_counter_ns(), os.getpid(), {}

def sample(lane):
    while time.perf_counter_ns() < start_at:
        pass
    # A late start (a slow interpreter start on a busy machine) still samples in full.
    last = run_start = time.perf_counter_ns()
    runs, end = [], last + duration_ns
    while last < end:
        cpu_job(1, 30)
        now = time.perf_counter_ns()
        if now - last >= gap_ns:
            runs.append((run_start, last))
            run_start = now
        last = now
    runs.append((run_start, last))
    figures["lanes"][lane] = [run for run in runs if run[1] > run[0]]  # the empty ones left out

if mode == "threads":
    threads = [threading.Thread(target=sample, args=(f"thread_{i}",)) for i in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
else:
    sample(mode)
