//! The optional CPython comparison: each of Python's three start methods, and the
//! CPU-bound job over two processes, beside Rust's figures from the same run.
//! Skipped with a note when `python3` is missing, fails or is too slow: never an error.

use std::time::Duration;

use anyhow::Context;
use serde_json::{Map, Value, json};
use shared::measure::speedup::two_workers;
use shared::measure::{Found, Options, PythonOutput, comparison};

/// The CPython side, after [`shared::measure::PYTHON_PRELUDE`] (Rust's Collatz job).
const SNIPPET: &str = include_str!("python.py");

/// Observed, not timed: whether a fork beside a running thread warns, and what a
/// dead worker does to a `ProcessPoolExecutor`.
const BEHAVIOUR: &str = include_str!("behaviour.py");

/// Run last, after every part that may start them.
const STOP_HELPERS: &str = include_str!("stop_helpers.py");

pub fn compare(
    options: &Options,
    found: &Map<String, Value>,
) -> anyhow::Result<Found> {
    let args = options.pick(
        ["50", "10", "0.5", "3", "20000", "3", "64"],
        ["5", "2", "0.1", "2", "2000", "1", "16"],
    );
    let deadline = options.pick(Duration::from_secs(90), Duration::from_secs(15));
    let program = format!("{SNIPPET}\n{BEHAVIOUR}\n{STOP_HELPERS}");
    let python =
        comparison(options, &program, &args, deadline, |out| read(out, found));
    Ok(Found::new("CPython, same run", json!({ "python": python })))
}

fn read(output: &PythonOutput, found: &Map<String, Value>) -> anyhow::Result<Value> {
    // Rust's counterparts: fork at the smallest parent size of the curves; a Rust
    // program re-running itself for spawn (CPython's spawn starts a fresh
    // interpreter); the book's fork server for forkserver.
    let smallest = found["fork_curve"][0]["fork_wait_us"]["median"].as_f64();
    let rows = found["process_start"].as_array().into_iter().flatten();
    let measured = |way: &str| {
        let row = rows.clone().find(|row| row["way"] == way);
        let median = row.and_then(|row| row["start_wait_us"]["median"].as_f64());
        median.context("no Rust start figure to compare with")
    };
    let counterparts = [
        ("fork", "fork_child + join", smallest.context("no fork curve")?),
        (
            "spawn",
            "this Rust program re-running itself (Command) + wait",
            measured("rust-self-spawn")?,
        ),
        (
            "forkserver",
            "the fork-server example's server: a child + wait",
            measured("rust-fork-server")?,
        ),
    ];
    // A platform without a start method simply has no row for it.
    let starts = counterparts.map(|(method, rust, rust_us)| {
        let python = output.summary(&format!("{method}_start_join_us")).ok()?;
        Some(json!({ "method": method, "start_join_us": python, "rust": rust,
                     "rust_us": rust_us, "ratio_to_rust": python.median / rust_us }))
    });
    let [sequential, two_processes] =
        ["cpu_sequential_s", "cpu_two_processes_s"].map(|key| output.summary(key));
    Ok(json!({
        "pool": output.value("pool")?,
        "process_start": starts.iter().flatten().collect::<Vec<_>>(),
        "bin_true_us": measured("bin-true")?,
        "cpu_job_end": output.value("cpu_end")?,
        "cpu_speedup_2_processes": sequential?.median / two_processes?.median,
        "rust_cpu_speedup_2_processes": two_workers(found, "processes_interleaved"),
        "behaviour": {
            "fork_with_a_thread_warnings": output.value("fork_with_a_thread_warnings")?,
            "broken_process_pool": output.value("broken_process_pool")?,
        },
    }))
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};
    use std::{env, fs};

    use shared::measure::run_python;

    use super::*;

    /// "3.12.1" is [3, 12, 1]; a part that is no number is 0.
    fn numbers(version: &str) -> Vec<u32> {
        version.split('.').map(|part| part.parse().unwrap_or(0)).collect()
    }

    /// The CPythons on the PATH, and each 3.11 or later that pyenv installed.
    fn pythons() -> Vec<PathBuf> {
        let home = env::var_os("HOME").map(|home| Path::new(&home).join(".pyenv"));
        let root = env::var_os("PYENV_ROOT").map(PathBuf::from).or(home);
        let versions = root.and_then(|root| fs::read_dir(root.join("versions")).ok());
        let pyenv = versions.into_iter().flatten().flatten().filter(|version| {
            numbers(&version.file_name().to_string_lossy()) >= vec![3, 11]
        });
        let pyenv = pyenv.map(|version| version.path().join("bin").join("python3"));
        let on_path = ["python3", "python3.12", "python3.13"].map(PathBuf::from);
        on_path.into_iter().chain(pyenv).collect()
    }

    /// As the book states it: a fork beside a running thread warns from 3.12 on,
    /// through `multiprocessing` only when DeprecationWarnings are shown; a dead
    /// worker breaks the whole pool.
    #[cfg(unix)]
    #[test]
    fn python_behaves_as_the_book_says() {
        for python in pythons() {
            let name = python.display();
            let code = format!("import multiprocessing as mp, os\n{BEHAVIOUR}");
            let output = run_python(&python, &code, &[], Duration::from_secs(60));
            let Ok(output) =
                output.inspect_err(|why| println!("skipped {name}: {why}"))
            else {
                continue;
            };
            println!("checked {name}: CPython {}", output.version());
            // Each object whole: a changed count or a key more or less shows.
            let warns = u64::from(numbers(output.version()) >= vec![3, 12]);
            let expected = json!({ "multiprocessing_fork": 0,
                "multiprocessing_fork_w_default": warns, "os_fork_in_main": warns });
            let warned =
                output.value("fork_with_a_thread_warnings").expect("the warnings");
            assert_eq!(warned, &expected, "{name} {}", output.version());
            let broken = "BrokenProcessPool";
            let expected = json!({ "done_before_the_crash": "result",
                "crashed_task": broken, "running_on_a_healthy_worker": broken,
                "submit_after": broken, "pending": [broken, broken, broken, broken] });
            let pool = output.value("broken_process_pool").expect("the broken pool");
            assert_eq!(pool, &expected, "{name}");
        }
    }
}
