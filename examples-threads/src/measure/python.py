# Run by `measure` after shared/src/measure/label.py and prelude.py (sys, time, timed, …).
import asyncio, threading

thread_warmup, thread_samples = int(sys.argv[1]), int(sys.argv[2])
cpu_target_s, cpu_samples = float(sys.argv[3]), int(sys.argv[4])
waits, wait_s = int(sys.argv[5]), float(sys.argv[6])

def start_and_join():
    thread = threading.Thread()  # No target: it returns at once.
    thread.start()
    thread.join()

samples = []
for index in range(thread_warmup + thread_samples):  # The first ones are a warm-up.
    timed(samples if index >= thread_warmup else [], 1e6, start_and_join)
report("thread_start_join_us", samples)

def two_threads(end):
    results = [0, 0]
    def work(slot):
        results[slot] = cpu_job_interleaved(1, end, slot, 2)
    # Interleaved blocks, as Rust's headline figure splits the job.
    threads = [threading.Thread(target=work, args=(slot,)) for slot in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(results)

cpu_speedup(cpu_target_s, cpu_samples, "cpu_two_threads_s", two_threads)

# The same concurrent waits as Rust's tokio tasks and threads, as asyncio tasks.
def rss_kib():
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    except (OSError, StopIteration):
        return None

async def many_waits():
    started = 0
    async def one_wait():
        nonlocal started
        started += 1
        await asyncio.sleep(wait_s)
    before, t0 = rss_kib(), time.perf_counter()
    tasks = [asyncio.create_task(one_wait()) for _ in range(waits)]
    while started < waits:
        await asyncio.sleep(0)
    start_ms, after = (time.perf_counter() - t0) * 1e3, rss_kib()
    await asyncio.gather(*tasks)
    total_ms = (time.perf_counter() - t0) * 1e3
    memory = after - before if None not in (before, after) else None
    figures["asyncio_waits"] = {"start_ms": start_ms, "total_ms": total_ms, "memory_kib": memory}

asyncio.run(many_waits())
