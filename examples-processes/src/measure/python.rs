//! The optional CPython comparison: starting and joining a process with each of
//! Python's three start methods, and the CPU-bound job over two processes, beside
//! Rust's figures from the same run. Skipped, with a one-line note, when `python3` is
//! missing, fails or is too slow: it never fails `measure`.

use std::time::Duration;

use serde_json::{Value, json};
use shared::measure::speedup::CpuSpeedup;
use shared::measure::{Options, PythonFigures, PythonOutput, Summary};

use anyhow::Context;

use super::fork::Curves;
use super::starts::Starts;

/// The CPython side. `report` and `cpu_speedup` come from
/// [`shared::measure::PYTHON_PRELUDE`]: the same Collatz job as Rust's.
const SNIPPET: &str = include_str!("python.py");

/// Two behaviours the book shows, observed rather than timed: whether a fork beside a
/// running thread warns (Python 3.12 and later: a `DeprecationWarning`, shown by default only
/// when raised from `__main__`), and what a dead worker does to a `ProcessPoolExecutor`.
/// Both use the fork start method explicitly, so a worker sees `__main__`'s functions.
const BEHAVIOUR: &str = include_str!("behaviour.py");

/// Run last, after every part that may start them.
const STOP_HELPERS: &str = include_str!("stop_helpers.py");

/// The whole CPython program: the figures, then the behaviours, then the clean-up.
fn program() -> String {
    format!("{SNIPPET}\n{BEHAVIOUR}\n{STOP_HELPERS}")
}

/// What the [`BEHAVIOUR`] part saw.
#[derive(Debug, PartialEq)]
pub struct Behaviour {
    /// `DeprecationWarning`s from a fork beside a running thread: through
    /// `multiprocessing` (fork context), the same under `-W default`, and a direct
    /// `os.fork()` in `__main__`.
    fork_warnings: [u32; 3],
    /// A `ProcessPoolExecutor` whose worker died: the outcome (`result`, or the exception's
    /// name) of a task done before, the dying task, a task running on the other worker.
    done_before: String,
    crashed: String,
    running_elsewhere: String,
    /// The outcome of each task still queued.
    pending: Vec<String>,
    /// What a `submit` after the crash did.
    submit_after: String,
}

impl Behaviour {
    fn read(output: &PythonOutput) -> anyhow::Result<Behaviour> {
        let word = |key: &str| output.text(key).map(str::to_owned);
        Ok(Behaviour {
            fork_warnings: [
                output.number("fork_warnings_multiprocessing")? as u32,
                output.number("fork_warnings_multiprocessing_w_default")? as u32,
                output.number("fork_warnings_os_fork")? as u32,
            ],
            done_before: word("broken_pool_done_before_the_crash")?,
            crashed: word("broken_pool_crashed_task")?,
            running_elsewhere: word("broken_pool_running_on_a_healthy_worker")?,
            pending: output
                .text("broken_pool_pending")?
                .split_whitespace()
                .map(str::to_owned)
                .collect(),
            submit_after: word("broken_pool_submit_after")?,
        })
    }

    fn to_json(&self) -> Value {
        let [multiprocessing, w_default, os_fork] = self.fork_warnings;
        json!({
            "fork_with_a_thread_warnings": { "multiprocessing_fork": multiprocessing, "multiprocessing_fork_w_default": w_default, "os_fork_in_main": os_fork },
            "broken_process_pool": { "done_before_the_crash": self.done_before.as_str(), "crashed_task": self.crashed.as_str(), "running_on_a_healthy_worker": self.running_elsewhere.as_str(), "pending": self.pending, "submit_after": self.submit_after.as_str() },
        })
    }
}

/// CPython's figures beside Rust's, or why there are none.
pub type Comparison = shared::measure::Comparison<Figures>;

/// One start method, against its Rust counterpart.
pub struct Start {
    method: &'static str,
    python_us: Summary,
    rust: &'static str,
    rust_us: f64,
}

/// `multiprocessing.Pool`'s costs: where a pool's time goes.
pub struct PoolCosts {
    method: String,
    items: f64,
    large_chunksize: f64,
    large_mib: f64,
    map_chunksize_1_ms: Summary,
    map_chunksize_large_ms: Summary,
    apply_small_ms: Summary,
    apply_large_ms: Summary,
    pickle_round_trip_large_ms: Summary,
}

/// CPython's figures, with Rust's from the same run.
pub struct Figures {
    pool: PoolCosts,
    starts: Vec<Start>,
    /// `Command` running `/bin/true`: the floor of any spawn, µs.
    bin_true_us: f64,
    cpu_job_end: f64,
    cpu_speedup_2_processes: f64,
    rust_cpu_speedup_2_processes: f64,
    behaviour: Behaviour,
}

/// Runs the CPython side, unless `--no-python`.
pub fn compare(
    options: &Options,
    curves: &Curves,
    starts: &Starts,
    rust_speedup: &CpuSpeedup,
) -> Comparison {
    let args = options.pick(
        ["50", "10", "0.5", "3", "20000", "3", "64"],
        ["5", "2", "0.1", "2", "2000", "1", "16"],
    );
    let deadline = options.pick(Duration::from_secs(90), Duration::from_secs(15));
    Comparison::run(options, &program(), &args, deadline, |output| {
        read(output, curves, starts, rust_speedup)
    })
}

fn read(
    output: &PythonOutput,
    curves: &Curves,
    rust_starts: &Starts,
    rust_speedup: &CpuSpeedup,
) -> anyhow::Result<Figures> {
    // Rust's counterparts: fork at the smallest parent size of the curves; a Rust
    // program re-running itself for spawn (CPython's spawn starts a fresh
    // interpreter); the book's fork server for forkserver.
    let smallest = curves
        .points
        .first()
        .ok_or_else(|| anyhow::anyhow!("no fork curve to compare with"))?;
    let measured = |way: &str| {
        rust_starts
            .get(way)
            .map(|start| start.start_wait_us.median)
            .context("no Rust start figure to compare with")
    };
    let rust_fork = ("fork_child + join", smallest.fork_wait_us.median);
    let rust_spawn = (
        "this Rust program re-running itself (Command) + wait",
        measured("rust-self-spawn")?,
    );
    let rust_server = (
        "the fork-server example's server: a child + wait",
        measured("rust-fork-server")?,
    );
    let bin_true_us = measured("bin-true")?;
    let mut starts = Vec::new();
    for (method, (rust, rust_us)) in
        [("fork", rust_fork), ("spawn", rust_spawn), ("forkserver", rust_server)]
    {
        // A platform without a start method simply has no row for it.
        if let Ok(python_us) = output.summary(&format!("{method}_start_join_us")) {
            starts.push(Start { method, python_us, rust, rust_us });
        }
    }
    let sequential = output.summary("cpu_sequential_s")?;
    let two_processes = output.summary("cpu_two_processes_s")?;
    let rust_two = rust_speedup.two_workers("processes_interleaved");
    let pool = PoolCosts {
        method: output.text("pool_method")?.to_owned(),
        items: output.number("pool_items")?,
        large_chunksize: output.number("pool_large_chunksize")?,
        large_mib: output.number("pool_large_mib")?,
        map_chunksize_1_ms: output.summary("pool_map_chunksize_1_ms")?,
        map_chunksize_large_ms: output.summary("pool_map_chunksize_large_ms")?,
        apply_small_ms: output.summary("pool_apply_small_ms")?,
        apply_large_ms: output.summary("pool_apply_large_ms")?,
        pickle_round_trip_large_ms: output.summary("pickle_round_trip_large_ms")?,
    };
    Ok(Figures {
        pool,
        starts,
        bin_true_us,
        cpu_job_end: output.number("cpu_end")?,
        cpu_speedup_2_processes: sequential.median / two_processes.median,
        rust_cpu_speedup_2_processes: rust_two,
        behaviour: Behaviour::read(output)?,
    })
}

impl PythonFigures for Figures {
    fn to_json(&self) -> Value {
        let pool = &self.pool;
        json!({ "pool": { "start_method": pool.method.as_str(), "items": pool.items, "map_chunksize_1_ms": pool.map_chunksize_1_ms, "large_chunksize": pool.large_chunksize, "map_chunksize_large_ms": pool.map_chunksize_large_ms, "apply_small_ms": pool.apply_small_ms, "large_argument_mib": pool.large_mib, "apply_large_ms": pool.apply_large_ms, "pickle_round_trip_large_ms": pool.pickle_round_trip_large_ms }, "process_start": self.starts.iter().map(|start| {
                json!({ "method": start.method, "start_join_us": start.python_us, "rust": start.rust, "rust_us": start.rust_us, "ratio_to_rust": start.python_us.median / start.rust_us })
            }).collect::<Vec<_>>(), "bin_true_us": self.bin_true_us, "cpu_job_end": self.cpu_job_end, "cpu_speedup_2_processes": self.cpu_speedup_2_processes, "rust_cpu_speedup_2_processes": self.rust_cpu_speedup_2_processes, "behaviour": self.behaviour.to_json() })
    }
}

#[cfg(test)]
mod tests {
    use shared::measure::run_python;

    use super::*;

    /// Every CPython this machine has: `python3`, `python3.12` and `python3.13` on the PATH,
    /// and each 3.11 or later that pyenv installed (`$PYENV_ROOT`, or `~/.pyenv`).
    fn pythons() -> Vec<std::path::PathBuf> {
        let mut found: Vec<std::path::PathBuf> =
            ["python3", "python3.12", "python3.13"].iter().map(Into::into).collect();
        let root = std::env::var_os("PYENV_ROOT")
            .map(std::path::PathBuf::from)
            .or_else(|| {
                std::env::var_os("HOME")
                    .map(|home| std::path::Path::new(&home).join(".pyenv"))
            });
        if let Some(Ok(versions)) =
            root.map(|root| std::fs::read_dir(root.join("versions")))
        {
            for version in versions.flatten() {
                let name = version.file_name().to_string_lossy().into_owned();
                let minor =
                    name.strip_prefix("3.").and_then(|rest| rest.split('.').next());
                if minor
                    .and_then(|minor| minor.parse::<u32>().ok())
                    .is_some_and(|minor| minor >= 11)
                {
                    found.push(version.path().join("bin").join("python3"));
                }
            }
        }
        found
    }

    /// The behaviours the book states, with every CPython found: a fork beside a running
    /// thread warns from 3.12 on, but through `multiprocessing` only when DeprecationWarnings
    /// are shown; a dead worker fails every task not yet done, and the executor refuses new
    /// ones.
    #[cfg(unix)]
    #[test]
    fn python_behaves_as_the_book_says() {
        for python in pythons() {
            let name = python.display();
            let code = format!("import multiprocessing as mp, os\n{BEHAVIOUR}");
            let output =
                match run_python(&python, &code, &[], Duration::from_secs(60)) {
                    Ok(output) => output,
                    Err(reason) => {
                        println!("skipped {name}: {reason}");
                        continue;
                    }
                };
            println!("checked {name}: CPython {}", output.version());
            let behaviour = Behaviour::read(&output).expect("every behaviour line");
            let version: Vec<u32> = output
                .version()
                .split('.')
                .take(2)
                .map(|part| part.parse().unwrap_or(0))
                .collect();
            let warns = u32::from(version.as_slice() >= [3, 12].as_slice());
            assert_eq!(
                behaviour.fork_warnings,
                [0, warns, warns],
                "{name} {}",
                output.version()
            );
            let broken = "BrokenProcessPool";
            assert_eq!(behaviour.done_before, "result", "{name}");
            assert_eq!(
                [
                    &behaviour.crashed,
                    &behaviour.running_elsewhere,
                    &behaviour.submit_after
                ],
                [broken; 3],
                "{name}"
            );
            assert_eq!(behaviour.pending, [broken; 4], "{name}");
        }
    }
}
