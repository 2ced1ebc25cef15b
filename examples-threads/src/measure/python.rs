//! The optional CPython comparison: a thread's start+join, and the CPU-bound job over
//! two threads, in CPython, reported beside Rust's figures from the same run.
//! Skipped, with a one-line note, when `python3` is missing, fails or is too slow: it
//! never fails `measure`.

use std::time::Duration;

use serde_json::{Value, json};
use shared::measure::speedup::CpuSpeedup;
use shared::measure::{Options, PythonFigures, Summary, number};

use super::waits::Waits;

/// The CPython side. `report` and `cpu_speedup` come from
/// [`shared::measure::PYTHON_PRELUDE`]: the same Collatz job as Rust's.
const SNIPPET: &str = r#"
import threading

thread_warmup, thread_samples = int(sys.argv[1]), int(sys.argv[2])
cpu_target_s, cpu_samples = float(sys.argv[3]), int(sys.argv[4])
waits, wait_s = int(sys.argv[5]), float(sys.argv[6])

def nothing():
    pass

samples = []
for index in range(thread_warmup + thread_samples):
    t0 = time.perf_counter()
    thread = threading.Thread(target=nothing)
    thread.start()
    thread.join()
    if index >= thread_warmup:
        samples.append((time.perf_counter() - t0) * 1e6)
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
import asyncio

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
    print("asyncio_start_ms", start_ms)
    print("asyncio_total_ms", (time.perf_counter() - t0) * 1e3)
    print("asyncio_memory_kib", after - before if None not in (before, after) else -1)

asyncio.run(many_waits())
"#;

/// CPython's figures beside Rust's, or why there are none.
pub type Comparison = shared::measure::Comparison<Figures>;

/// CPython's figures, with Rust's from the same run.
pub struct Figures {
    thread_start_join_us: Summary,
    rust_spawn_join_us: f64,
    cpu_job_end: f64,
    cpu_speedup_2_threads: f64,
    rust_cpu_speedup_2_threads: f64,
    /// The same waits as `Waits`, as asyncio tasks: start ms, total ms, memory KiB (`None`:
    /// not measured on this platform).
    asyncio: (f64, f64, Option<f64>),
}

/// Runs the CPython side, unless `--no-python`.
pub fn compare(
    options: &Options,
    rust_spawn_join_us: &Summary,
    rust_speedup: &CpuSpeedup,
    waits: &Waits,
) -> Comparison {
    let (count, wait) =
        (waits.count.to_string(), waits.wait.as_secs_f64().to_string());
    let args = options.pick(["100", "2000", "0.5", "3"], ["20", "200", "0.1", "2"]);
    let args = [&args[..], &[count.as_str(), wait.as_str()]].concat();
    let deadline = options.pick(Duration::from_secs(90), Duration::from_secs(20));
    Comparison::run(options, SNIPPET, &args, deadline, |output| {
        let sequential = output.summary("cpu_sequential_s")?;
        let two_threads = output.summary("cpu_two_threads_s")?;
        let memory = output.number("asyncio_memory_kib")?;
        Ok(Figures {
            thread_start_join_us: output.summary("thread_start_join_us")?,
            rust_spawn_join_us: rust_spawn_join_us.median,
            cpu_job_end: output.number("cpu_end")?,
            cpu_speedup_2_threads: sequential.median / two_threads.median,
            rust_cpu_speedup_2_threads: rust_speedup
                .two_workers("threads_interleaved"),
            asyncio: (
                output.number("asyncio_start_ms")?,
                output.number("asyncio_total_ms")?,
                (memory >= 0.0).then_some(memory),
            ),
        })
    })
}

impl PythonFigures for Figures {
    fn to_json(&self) -> Value {
        json!({ "asyncio_waits": { "start_ms": self.asyncio.0, "total_ms": self.asyncio.1, "memory_kib": self.asyncio.2 }, "thread_start_join_us": self.thread_start_join_us, "thread_start_join_ratio_to_rust": self.thread_start_join_us.median / self.rust_spawn_join_us, "cpu_job_end": self.cpu_job_end, "cpu_speedup_2_threads": self.cpu_speedup_2_threads, "rust_cpu_speedup_2_threads": self.rust_cpu_speedup_2_threads })
    }

    fn to_text(&self) -> String {
        format!(
            "  thread start+join: {} µs, {}x Rust's {} µs\n  \
             CPU-bound job over 2 threads (1..{}): {}x speedup; Rust's std::thread: {}x\n  \
             the same waits as asyncio tasks: all started after {} ms, done after {} ms, memory {}\n",
            self.thread_start_join_us.cell(),
            number(self.thread_start_join_us.median / self.rust_spawn_join_us),
            number(self.rust_spawn_join_us),
            self.cpu_job_end,
            number(self.cpu_speedup_2_threads),
            number(self.rust_cpu_speedup_2_threads),
            number(self.asyncio.0),
            number(self.asyncio.1),
            self.asyncio
                .2
                .map_or("not measured on this platform".to_owned(), |kib| {
                    format!("+{kib} KiB")
                }),
        )
    }
}
