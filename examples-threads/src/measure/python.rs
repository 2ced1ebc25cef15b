//! The optional CPython comparison: a thread's start+join and the CPU-bound job on
//! two threads, beside Rust's figures from the same run; never fails `measure`.

use std::time::Duration;

use anyhow::Result;
use serde_json::{Map, Value, json};
use shared::measure::speedup::two_workers;
use shared::measure::{Found, Options, comparison};

/// The CPython side; [`shared::measure::PYTHON_PRELUDE`] gives the same job as Rust's.
const SNIPPET: &str = include_str!("python.py");

/// Runs the CPython side, unless `--no-python`, beside Rust's figures in `found`.
pub fn compare(options: &Options, found: &Map<String, Value>) -> Result<Found> {
    let rust_spawn_join_us =
        found["spawn_join_us"]["median"].as_f64().unwrap_or(f64::NAN);
    let count = found["waits"]["count"].to_string();
    let wait = crate::examples::async_vs_threads::WAIT.as_secs_f64().to_string();
    let args = options.pick(["100", "2000", "0.5", "3"], ["20", "200", "0.1", "2"]);
    let args = [&args[..], &[count.as_str(), wait.as_str()]].concat();
    let deadline = options.pick(Duration::from_secs(90), Duration::from_secs(20));
    let python = comparison(options, SNIPPET, &args, deadline, |output| {
        let sequential = output.summary("cpu_sequential_s")?;
        let two_threads = output.summary("cpu_two_threads_s")?;
        let thread = output.summary("thread_start_join_us")?;
        Ok(json!({
            "asyncio_waits": output.value("asyncio_waits")?,
            "thread_start_join_us": thread,
            "thread_start_join_ratio_to_rust": thread.median / rust_spawn_join_us,
            "cpu_job_end": output.value("cpu_end")?,
            "cpu_speedup_2_threads": sequential.median / two_threads.median,
            "rust_cpu_speedup_2_threads": two_workers(found, "threads_interleaved"),
        }))
    });
    Ok(Found::new("CPython, same run", json!({ "python": python })))
}
