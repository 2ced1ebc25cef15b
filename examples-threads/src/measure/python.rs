//! The optional CPython comparison: a thread's start+join, and the CPU-bound job over
//! two threads, in CPython, reported beside Rust's figures from the same run.
//! Skipped, with a one-line note, when `python3` is missing, fails or is too slow: it
//! never fails `measure`.

use std::time::Duration;

use serde_json::{Value, json};
use shared::measure::{Options, PythonOutput, Summary, number, run_python};

use super::speedup::CpuSpeedup;

/// The CPython side. `report`, `cpu_job` and `calibrate` come from
/// [`shared::measure::PYTHON_PRELUDE`]: the same Collatz job as Rust's.
const SNIPPET: &str = r#"
import threading

thread_warmup, thread_samples = int(sys.argv[1]), int(sys.argv[2])
cpu_target_s, cpu_samples = float(sys.argv[3]), int(sys.argv[4])
print("version", sys.version.split()[0])
print("gil", int(getattr(sys, "_is_gil_enabled", lambda: True)()))

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

end = calibrate(cpu_target_s)
expected = cpu_job(1, end)

def two_threads():
    results = [0, 0]
    def work(slot, start, stop):
        results[slot] = cpu_job(start, stop, 2)
    # Interleaved halves (odd and even numbers), as Rust's headline figure splits the job.
    threads = [threading.Thread(target=work, args=(slot, 1 + slot, end)) for slot in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(results)

sequential, parallel = [], []
for _ in range(cpu_samples):
    t0 = time.perf_counter()
    assert cpu_job(1, end) == expected
    sequential.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    assert two_threads() == expected, "two threads computed a different total"
    parallel.append(time.perf_counter() - t0)
report("cpu_sequential_s", sequential)
report("cpu_two_threads_s", parallel)
print("cpu_end", end)
"#;

/// CPython's figures beside Rust's, or why there are none.
pub enum Comparison {
    /// Not measured: the one-line reason.
    Skipped(String),
    /// Measured in this run.
    Measured(Measured),
}

/// CPython's figures, with Rust's from the same run.
pub struct Measured {
    version: String,
    gil: bool,
    thread_start_join_us: Summary,
    rust_spawn_join_us: f64,
    cpu_job_end: f64,
    cpu_speedup_2_threads: f64,
    rust_cpu_speedup_2_threads: f64,
}

/// Runs the CPython side, unless `--no-python`.
pub fn compare(
    options: &Options,
    rust_spawn_join_us: &Summary,
    rust_speedup: &CpuSpeedup,
) -> Comparison {
    if options.no_python {
        return Comparison::Skipped("skipped (--no-python)".to_owned());
    }
    let args: Vec<String> = options
        .pick(["100", "2000", "0.5", "3"], ["20", "200", "0.1", "2"])
        .iter()
        .map(|arg| arg.to_string())
        .collect();
    let deadline = options.pick(Duration::from_secs(90), Duration::from_secs(10));
    let rust_two = rust_speedup
        .rows
        .iter()
        .find(|row| row.workers == 2)
        .map_or(f64::NAN, |row| row.threads_interleaved);
    let measured = run_python(SNIPPET, &args, deadline).and_then(|output| {
        read(&output, rust_spawn_join_us.median, rust_two)
            .map_err(|error| format!("{error:#}"))
    });
    match measured {
        Ok(measured) => Comparison::Measured(measured),
        Err(reason) => {
            eprintln!("measure: CPython comparison skipped: {reason}");
            Comparison::Skipped(reason)
        }
    }
}

fn read(
    output: &PythonOutput,
    rust_spawn_join_us: f64,
    rust_two: f64,
) -> anyhow::Result<Measured> {
    let sequential = output.summary("cpu_sequential_s")?;
    let two_threads = output.summary("cpu_two_threads_s")?;
    Ok(Measured {
        version: output.text("version")?.to_owned(),
        gil: output.number("gil")? != 0.0,
        thread_start_join_us: output.summary("thread_start_join_us")?,
        rust_spawn_join_us,
        cpu_job_end: output.number("cpu_end")?,
        cpu_speedup_2_threads: sequential.median / two_threads.median,
        rust_cpu_speedup_2_threads: rust_two,
    })
}

impl Comparison {
    /// `{"skipped": reason}`, or CPython's figures and their ratios to Rust's.
    pub fn to_json(&self) -> Value {
        match self {
            Comparison::Skipped(reason) => json!({ "skipped": reason.as_str() }),
            Comparison::Measured(measured) => {
                json!({ "version": measured.version.as_str(), "gil": measured.gil, "thread_start_join_us": measured.thread_start_join_us.to_json(), "thread_start_join_ratio_to_rust": measured.thread_start_join_us.median / measured.rust_spawn_join_us, "cpu_job_end": measured.cpu_job_end, "cpu_speedup_2_threads": measured.cpu_speedup_2_threads, "rust_cpu_speedup_2_threads": measured.rust_cpu_speedup_2_threads })
            }
        }
    }

    /// One paragraph for the text report.
    pub fn to_text(&self) -> String {
        match self {
            Comparison::Skipped(reason) => format!("CPython comparison: {reason}\n"),
            Comparison::Measured(measured) => format!(
                "CPython {} (GIL {}), same run:\n  \
                 thread start+join: {} µs, {}x Rust's {} µs\n  \
                 CPU-bound job over 2 threads (1..{}): {}x speedup; Rust's std::thread: {}x\n",
                measured.version,
                if measured.gil { "on" } else { "off" },
                measured.thread_start_join_us.cell(),
                number(
                    measured.thread_start_join_us.median
                        / measured.rust_spawn_join_us
                ),
                number(measured.rust_spawn_join_us),
                measured.cpu_job_end,
                number(measured.cpu_speedup_2_threads),
                number(measured.rust_cpu_speedup_2_threads),
            ),
        }
    }
}
