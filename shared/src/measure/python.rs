//! The optional CPython comparison: snippets run by `python3` under a deadline, their JSON read.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;
use serde_json::{Map, Value, json};

use super::driver::keys;
use super::machine::skipped;
use super::options::Options;
use super::timing::Summary;

/// Python helpers every snippet starts with: `report` and `summary` as [`Summary`] has them, and
/// [`cpu_job`](crate::work::cpu_job) in Python, so both languages run the very same job.
pub const PYTHON_PRELUDE: &str = include_str!("prelude.py");

/// What a CPython snippet gave: the object `figures` it filled, printed as JSON.
#[derive(Clone, Debug, Default)]
pub struct PythonOutput(Map<String, Value>);

impl PythonOutput {
    /// The interpreter's version, `3.13.1`.
    pub fn version(&self) -> &str {
        self.0.get("version").and_then(Value::as_str).unwrap_or("?")
    }

    /// Whether the interpreter's GIL is enabled (always, before 3.13).
    pub fn gil(&self) -> bool {
        self.0.get("gil").and_then(Value::as_bool).unwrap_or(true)
    }

    /// `CPython 3.13.1, GIL off`, the label of every figure the interpreter gives.
    pub fn label(&self) -> String {
        let name = self.0.get("implementation").and_then(Value::as_str).unwrap_or("?");
        let name = if name == "cpython" { "CPython" } else { name };
        format!("{name} {}, GIL {}", self.version(), if self.gil() { "on" } else { "off" })
    }

    /// The figure `key`, as CPython gave it.
    pub fn value(&self, key: &str) -> anyhow::Result<&Value> {
        self.0.get(key).with_context(|| format!("python3 gave no '{key}'"))
    }

    /// The figure `key`, read as a `T`.
    pub fn get<T: serde::de::DeserializeOwned>(&self, key: &str) -> anyhow::Result<T> {
        serde_json::from_value(self.value(key)?.clone()).with_context(|| format!("python3's '{key}'"))
    }

    /// A summary that `report(key, samples)` gave.
    pub fn summary(&self, key: &str) -> anyhow::Result<Summary> {
        self.get(key)
    }
}

/// The label of `python`, `CPython 3.11.2, GIL on`, or why it is not a Python that runs.
pub fn python_version(python: &Path) -> Result<String, String> {
    match run_python(python, "", &[], Duration::from_secs(20)) {
        Ok(output) => Ok(output.label()),
        Err(reason) if reason.ends_with("was not found") || reason.contains("took longer") => Err(reason),
        Err(_) => Err("not a Python interpreter (run with -c, it did not print a Python version)".to_owned()),
    }
}

/// Runs `PYTHON -c PRELUDE+code args…` and reads what it prints, under `deadline`. `Err`: a
/// one-line reason to skip the comparison. On the deadline the interpreter is killed and reaped;
/// a child it started finishes its short task and ends on its own.
pub fn run_python(
    python: &Path,
    code: &str,
    args: &[&str],
    deadline: Duration,
) -> Result<PythonOutput, String> {
    let label = include_str!("label.py");
    let program = format!("{label}\n{PYTHON_PRELUDE}\n{code}\nprint(json.dumps(figures))");
    let name = python.display();
    let mut command = Command::new(python);
    command.arg("-c").arg(&program).args(args);
    command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command.spawn().map_err(|error| match error.kind() {
        std::io::ErrorKind::NotFound => format!("{name} was not found"),
        _ => format!("could not start {name}: {error}"),
    })?;
    // The snippets print one short line, far less than a pipe holds, so waiting before
    // reading cannot block the interpreter.
    let started = Instant::now();
    while child.try_wait().map_err(|error| format!("waiting for {name}: {error}"))?.is_none() {
        if started.elapsed() >= deadline {
            let (seconds, killed) = (deadline.as_secs(), child.kill());
            let reaped = child.wait().map(|status| status.to_string());
            return Err(format!(
                "{name} took longer than {seconds} s and was stopped (kill: {killed:?}, wait: {reaped:?})"
            ));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let output = child.wait_with_output().map_err(|error| format!("reading {name}'s output: {error}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr.lines().rev().find(|line| !line.trim().is_empty()).unwrap_or("no message");
        return Err(format!("{name} failed ({}): {last}", output.status));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    match stdout.lines().last().map(serde_json::from_str::<Map<String, Value>>) {
        Some(Ok(figures)) if figures.contains_key("version") => Ok(PythonOutput(figures)),
        _ => Err(format!("{name} is not a Python interpreter (it did not print its version)")),
    }
}

/// [`run_python`] unless `--no-python`, its figures `read`; `Err`: why there are none.
pub fn python_figures<T>(
    options: &Options,
    code: &str,
    args: &[&str],
    deadline: Duration,
    read: impl FnOnce(&PythonOutput) -> anyhow::Result<T>,
) -> Result<T, String> {
    if options.no_python {
        return Err("skipped (--no-python)".to_owned());
    }
    let output = run_python(options.python(), code, args, deadline)?;
    read(&output).map_err(|error| format!("{error:#}"))
}

/// [`python_figures`] after the interpreter's `version`, `gil` and `interpreter` label, or
/// `{"skipped": reason}`: a Python that is missing, fails or is too slow is never a failure.
pub fn comparison(
    options: &Options,
    code: &str,
    args: &[&str],
    deadline: Duration,
    read: impl FnOnce(&PythonOutput) -> anyhow::Result<Value>,
) -> Value {
    let measured = python_figures(options, code, args, deadline, |output| {
        let mut figures =
            keys(json!({ "version": output.version(), "gil": output.gil(), "interpreter": output.label() }));
        figures.extend(keys(read(output)?));
        Ok(Value::Object(figures))
    });
    if let (Err(reason), false) = (&measured, options.no_python) {
        eprintln!("measure: CPython comparison skipped: {reason}");
    }
    measured.unwrap_or_else(|reason| skipped(&reason))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_output_is_read_by_key() {
        let figures = json!({"implementation": "cpython", "version": "3.11.7", "gil": true, "speedup": 1.9,
            "thread_us": {"median": 40.5, "p10": 31, "p90": 80, "min": 30, "max": 90.25, "samples": 200}});
        let output = PythonOutput(keys(figures));
        assert_eq!((output.version(), output.label().as_str()), ("3.11.7", "CPython 3.11.7, GIL on"));
        assert_eq!(output.get::<f64>("speedup").unwrap(), 1.9);
        let summary = output.summary("thread_us").unwrap();
        assert_eq!((summary.samples, summary.p10, summary.p90), (200, 31.0, 80.0));
        assert!(output.get::<f64>("missing").is_err());
    }

    /// Python's `cpu_job_interleaved` gives Rust's parts (when a `python3` is on the PATH).
    #[test]
    fn python_splits_the_job_as_rust_does() {
        use crate::work::{INTERLEAVE_BLOCK, cpu_job, cpu_job_interleaved};
        assert!(PYTHON_PRELUDE.contains(&format!("INTERLEAVE_BLOCK = {INTERLEAVE_BLOCK} ")));
        let code =
            "figures['parts'] = [*(cpu_job_interleaved(1, 5000, w, 2) for w in (0, 1)), cpu_job(1, 5000)]";
        match run_python(Path::new("python3"), code, &[], Duration::from_secs(60)) {
            Ok(output) => {
                let expected = [0, 1].map(|worker| cpu_job_interleaved(1..5000, worker, 2) as f64);
                let whole = cpu_job(1..5000) as f64;
                assert_eq!(output.get::<Vec<f64>>("parts").unwrap(), [expected[0], expected[1], whole]);
            }
            Err(reason) => println!("skipped: {reason}"),
        }
    }
}
