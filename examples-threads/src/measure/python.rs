//! The optional CPython comparison: a thread's start+join, and the CPU-bound job over
//! two threads, in CPython, reported beside Rust's figures from the same run.
//! Skipped, with a one-line note, when `python3` is missing, fails or is too slow: it
//! never fails `measure`.

use std::time::Duration;

use serde_json::{Value, json};
use shared::measure::speedup::CpuSpeedup;
use shared::measure::{Options, PythonFigures, Summary};

use super::waits::Waits;

/// The CPython side. `report` and `cpu_speedup` come from
/// [`shared::measure::PYTHON_PRELUDE`]: the same Collatz job as Rust's.
const SNIPPET: &str = include_str!("python.py");

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
}
