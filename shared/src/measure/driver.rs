//! The `measure` command's driver, the same for both binaries: it parses the options, says on
//! stderr what it is about to measure and where, runs the binary's measurements with progress
//! on stderr, writes the plots, and prints the report (the JSON object alone on stdout with
//! `--json`, else the text), whose first keys and lines (when, where, how) it writes itself.

use std::path::Path;

use serde_json::{Map, Value, json};

use super::machine::{Machine, utc_now};
use super::options::{Options, usage};
use super::report::Progress;
use crate::usage_error;

/// What a binary's measurements found: its own keys, and its plots.
pub trait Findings {
    /// The binary's keys, in order, after `date`, `machine`, `mode`, `build` and
    /// `duration_s`; for the `text` report, with a few details the JSON leaves out.
    fn report(&self, text: bool) -> Map<String, Value>;
    /// The text report's headings, `(key, heading)`: what a section measured, and how.
    fn headings(&self) -> Vec<(&'static str, String)>;
    /// Writes the plots into `dir`: `--plot DIR`, which the options accept only with the `plot` feature.
    fn plot(&self, dir: &Path, machine: &Machine) -> anyhow::Result<()>;
}

/// `"debug"` or `"release"`: the build that measured.
pub const BUILD: &str = if cfg!(debug_assertions) { "debug" } else { "release" };

/// A binary's `measure` command.
pub struct Command {
    /// The package (`examples-threads`), for the usage and the message about plots.
    pub package: &'static str,
    /// The report's first word (`Threads`).
    pub title: &'static str,
    /// What it measures, for the usage.
    pub what: &'static str,
    /// How many sections its progress counts.
    pub sections: usize,
}

/// Runs `PACKAGE measure ARGS`: `measure` takes the measurements, section by section.
pub fn run<F: Findings>(
    args: &[String],
    command: &Command,
    measure: impl FnOnce(&Options, &mut Progress) -> anyhow::Result<F>,
) -> anyhow::Result<()> {
    let Command { package, title, what, sections } = *command;
    let options = Options::parse(args, package)?;
    if options.help {
        print!("{}", usage(package, what));
        return Ok(());
    }
    if let Some(python) = &options.python {
        let version = super::python::python_version(python)
            .map_err(|reason| usage_error!("--python {}: {reason}", python.display()))?;
        eprintln!("measure: the CPython comparison runs {} ({version})", python.display());
    }
    let (machine, date) = (Machine::detect(), utc_now());
    eprintln!("measure: {} mode on {}", options.mode(), machine.line());
    if cfg!(debug_assertions) {
        eprintln!("measure: this is a debug build; for real figures, run with cargo run --release");
    }
    let mut progress = Progress::new(sections);
    let findings = measure(&options, &mut progress)?;
    let duration_s = progress.elapsed().as_secs_f64();
    if let Some(dir) = &options.plot_dir {
        super::plot::create_dir(dir)?;
        findings.plot(dir, &machine)?;
    }
    let (mode, machine_json) = (options.mode(), machine.to_json());
    let mut json = keys(
        json!({ "date": date, "machine": machine_json, "mode": mode, "build": BUILD, "duration_s": duration_s }),
    );
    json.extend(findings.report(!options.json));
    if options.json {
        println!("{}", super::json::to_pretty(&Value::Object(json)));
    } else {
        print!(
            "{title}, measured on: {}\n{date}, {mode} mode, {BUILD} build, {duration_s:.1} s. Medians, with (min–max).\n{}",
            machine.line(),
            super::report::text(&json, &findings.headings()),
        );
    }
    eprintln!("measure: done in {duration_s:.1} s");
    Ok(())
}

/// The keys of a `json!({…})` object, to return from [`Findings::report`].
pub fn keys(object: Value) -> Map<String, Value> {
    match object {
        Value::Object(map) => map,
        other => panic!("expected a JSON object, got {other}"),
    }
}
