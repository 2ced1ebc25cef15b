# Run by `measure` after shared/src/measure/label.py and prelude.py (sys, time, timed, …).
import multiprocessing as mp, os, pickle
import multiprocessing.forkserver, multiprocessing.resource_tracker

fork_samples, other_samples = int(sys.argv[1]), int(sys.argv[2])
cpu_target_s, cpu_samples = float(sys.argv[3]), int(sys.argv[4])
pool_items, pool_samples, large_mib = int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])

def start_and_join(context):
    # os.getpid pickles by name, so spawn's fresh interpreter can find it.
    process = context.Process(target=os.getpid)
    process.start()
    process.join()
    assert process.exitcode == 0, f"{context.get_start_method()}: exit code {process.exitcode}"

for method in mp.get_all_start_methods():  # fork, spawn, forkserver: those it has
    context, samples = mp.get_context(method), []
    start_and_join(context)  # A warm-up (for forkserver, it starts the server).
    for _ in range(fork_samples if method == "fork" else other_samples):
        timed(samples, 1e6, lambda: start_and_join(context))
    report(method + "_start_join_us", samples)

def worker(slot, end, connection):
    connection.send(cpu_job_interleaved(1, end, slot, 2))

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

# Pool costs: chunksize=1 pickles and pipes each item, a large one each chunk; then a large
# argument. `abs` and `len` pickle by name, so every start method finds them.
context = mp.get_context()
large_chunksize = max(1, pool_items // 8)
large = bytes(large_mib * 1024 * 1024)
with context.Pool(2) as pool:
    pool.map(abs, range(100))  # Warm-up: the workers are running.
    one, chunked, apply_small, apply_large, dumps = [], [], [], [], []
    for _ in range(pool_samples):
        for samples, size in ((one, 1), (chunked, large_chunksize)):
            mapped = timed(samples, 1e3, lambda: pool.map(abs, range(pool_items), chunksize=size))
            assert mapped[-1] == pool_items - 1
        assert timed(apply_small, 1e3, lambda: pool.apply(len, (b"",))) == 0
        assert timed(apply_large, 1e3, lambda: pool.apply(len, (large,))) == len(large)
        timed(dumps, 1e3, lambda: pickle.loads(pickle.dumps(large)))
figures["pool"] = {
    "start_method": context.get_start_method(), "items": pool_items,
    "map_chunksize_1_ms": summary(one), "large_chunksize": large_chunksize,
    "map_chunksize_large_ms": summary(chunked), "apply_small_ms": summary(apply_small),
    "large_argument_mib": large_mib, "apply_large_ms": summary(apply_large),
    "pickle_round_trip_large_ms": summary(dumps),
}
