# Run by `measure` (python3 -c) after shared/src/measure/label.py and prelude.py,
# which import sys and time and define report, cpu_job and cpu_speedup.
import multiprocessing as mp
import multiprocessing.forkserver, multiprocessing.resource_tracker
import os

fork_samples, other_samples = int(sys.argv[1]), int(sys.argv[2])
cpu_target_s, cpu_samples = float(sys.argv[3]), int(sys.argv[4])
pool_items, pool_samples, large_mib = int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])

for method in ("fork", "spawn", "forkserver"):
    if method not in mp.get_all_start_methods():
        continue
    context = mp.get_context(method)
    count = fork_samples if method == "fork" else other_samples
    samples = []
    # The first start is a warm-up (for forkserver, it starts the server).
    for index in range(1 + count):
        t0 = time.perf_counter()
        # os.getpid pickles by name, so spawn's fresh interpreter can find it.
        process = context.Process(target=os.getpid)
        process.start()
        process.join()
        assert process.exitcode == 0, f"a {method} child exited with {process.exitcode}"
        if index > 0:
            samples.append((time.perf_counter() - t0) * 1e6)
    report(method + "_start_join_us", samples)

def worker(slot, end, connection):
    connection.send(cpu_job_interleaved(1, end, slot, 2))
    connection.close()

def two_processes(end):
    context = mp.get_context("fork")
    processes, connections = [], []
    # Interleaved blocks, as Rust's headline figure splits the job.
    for slot in (0, 1):
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=worker, args=(slot, end, sender))
        process.start()
        sender.close()
        processes.append(process)
        connections.append(receiver)
    total = sum(connection.recv() for connection in connections)
    for process in processes:
        process.join()
        assert process.exitcode == 0, f"a worker exited with {process.exitcode}"
    return total

cpu_speedup(cpu_target_s, cpu_samples, "cpu_two_processes_s", two_processes)

# Pool costs: the same map over many small items with chunksize=1 (one pickle and one pipe
# round trip per item) and with a large chunksize (one per chunk); then a large argument,
# pickled in the parent and unpickled in a worker. `abs` and `len` pickle by name, so every
# start method finds them.
import pickle
context = mp.get_context()
large_chunksize = max(1, pool_items // 8)
large = bytes(large_mib * 1024 * 1024)
with context.Pool(2) as pool:
    pool.map(abs, range(100))  # Warm-up: the workers are running.
    one, chunked, apply_small, apply_large, dumps = [], [], [], [], []
    for _ in range(pool_samples):
        for samples, chunksize in ((one, 1), (chunked, large_chunksize)):
            t0 = time.perf_counter()
            assert pool.map(abs, range(pool_items), chunksize=chunksize)[-1] == pool_items - 1
            samples.append((time.perf_counter() - t0) * 1e3)
        t0 = time.perf_counter()
        assert pool.apply(len, (b"",)) == 0
        apply_small.append((time.perf_counter() - t0) * 1e3)
        t0 = time.perf_counter()
        assert pool.apply(len, (large,)) == len(large)
        apply_large.append((time.perf_counter() - t0) * 1e3)
        t0 = time.perf_counter()
        pickle.loads(pickle.dumps(large))
        dumps.append((time.perf_counter() - t0) * 1e3)
figures["pool"] = {
    "start_method": context.get_start_method(),
    "items": pool_items,
    "map_chunksize_1_ms": summary(one),
    "large_chunksize": large_chunksize,
    "map_chunksize_large_ms": summary(chunked),
    "apply_small_ms": summary(apply_small),
    "large_argument_mib": large_mib,
    "apply_large_ms": summary(apply_large),
    "pickle_round_trip_large_ms": summary(dumps),
}
