//! The `measure` command of both binaries: runs the sections with progress on stderr, writes
//! their plots and prints the report, headed by when, where and how it ran.

use std::path::Path;

use anyhow::Context;
use serde_json::{Map, Value, json};

use super::machine::{Machine, utc_now};
use super::options::{OPTIONS, Options};
use crate::usage_error;

/// What one section found: its keys, how the text report shows them, and its plots.
#[derive(Default)]
pub struct Found {
    /// The text report's heading over these keys: what was measured, and how.
    pub heading: String,
    /// The section's keys, in order, after those of the sections before it.
    pub keys: Map<String, Value>,
    /// Where the text report shows more than the JSON keeps: the keys it shows instead.
    pub text: Option<Map<String, Value>>,
    /// Writes the section's plots into `--plot DIR` (which needs the `plot` feature).
    pub plot: Option<Plot>,
}

/// Writes plots into a directory.
pub type Plot = Box<dyn FnOnce(&Path) -> anyhow::Result<()>>;

impl Found {
    /// A section's heading and keys (a `json!({…})` object).
    pub fn new(heading: impl Into<String>, keys: Value) -> Found {
        Found { heading: heading.into(), keys: self::keys(keys), ..Found::default() }
    }
}

/// What a section measures (for the progress line), and the measurement, given the keys found so far.
pub type Section = (&'static str, fn(&Options, &Map<String, Value>) -> anyhow::Result<Found>);

/// A binary's `measure` command.
pub struct Command {
    /// The package (`examples-threads`), for the usage and the message about plots.
    pub package: &'static str,
    /// The report's first word (`Threads`).
    pub title: &'static str,
    /// What it measures, for the usage.
    pub what: &'static str,
    /// Its sections, in the order they print.
    pub sections: &'static [Section],
    /// The order they run in, as indices into `sections`; empty: the order they print.
    pub run_order: &'static [usize],
}

/// Runs `PACKAGE measure ARGS`.
pub fn run(args: &[String], command: &Command) -> anyhow::Result<()> {
    let Command { package, title, what, sections, run_order } = *command;
    let options = Options::parse(args, package)?;
    if options.help {
        print!(
            "{package} measure: {what}

Usage: {package} measure [--quick] [--json] [--plot DIR] [--no-python] [--python PATH]

{}
Progress goes to stderr. Build with --release: a debug build measures the debug build.
",
            crate::cli::options_text(OPTIONS)
        );
        return Ok(());
    }
    if let Some(python) = &options.python {
        let version = super::python::python_version(python)
            .map_err(|reason| usage_error!("--python {}: {reason}", python.display()))?;
        eprintln!("measure: the CPython comparison runs {} ({version})", python.display());
    }
    let (machine, date, mode) = (Machine::detect(), utc_now(), options.pick("full", "quick"));
    let build = if cfg!(debug_assertions) { "debug" } else { "release" };
    eprintln!("measure: {mode} mode on {}", machine.line());
    if build == "debug" {
        eprintln!("measure: this is a debug build; for real figures, run with cargo run --release");
    }
    let started = std::time::Instant::now();
    let (mut found, mut founds) = (Map::new(), Vec::from_iter(sections.iter().map(|_| None)));
    let order = if run_order.is_empty() { Vec::from_iter(0..sections.len()) } else { run_order.to_vec() };
    for (done, index) in order.into_iter().enumerate() {
        let (what, measure) = sections[index];
        let so_far = started.elapsed().as_secs_f64();
        eprintln!("measure [{} of {}] {what} ({so_far:.1} s so far)", done + 1, sections.len());
        let section = measure(&options, &found)?;
        found.extend(section.keys.clone());
        founds[index] = Some(section);
    }
    let duration_s = started.elapsed().as_secs_f64();
    let mut json = keys(json!({
        "date": date, "machine": machine.to_json(), "mode": mode, "build": build, "duration_s": duration_s,
    }));
    let (mut text, mut headings, mut plots) = (Map::new(), vec![], vec![]);
    for section in founds.into_iter().flatten() {
        headings.extend(section.keys.keys().next().map(|first| (first.clone(), section.heading)));
        text.extend(section.text.unwrap_or_else(|| section.keys.clone()));
        json.extend(section.keys);
        plots.extend(section.plot);
    }
    if let Some(dir) = &options.plot_dir {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating the plot directory {}", dir.display()))?;
        plots.into_iter().try_for_each(|plot| plot(dir))?;
    }
    if options.json {
        println!("{}", super::report::to_pretty(&Value::Object(json)));
    } else {
        print!(
            "{title}, measured on: {}\n{date}, {mode} mode, {build} build, {duration_s:.1} s. Medians, with (min–max).\n{}",
            machine.line(),
            super::report::text(&text, &headings),
        );
    }
    eprintln!("measure: done in {duration_s:.1} s");
    Ok(())
}

/// The keys of a `json!({…})` object.
pub fn keys(object: Value) -> Map<String, Value> {
    let Value::Object(map) = object else { panic!("expected a JSON object, got {object}") };
    map
}
