//! `measure`: the seed article's "model" for processes, P = g(S) (claim C6), and the
//! figures behind claims C1, C10 and C11, measured on this machine:
//!
//! - `fork_curve`: fork+wait against the parent's resident memory S, the shape of g
//!   for fork, with `fork_slope_ms_per_gib` fitted by least squares;
//! - `spawn_curve`: spawn+wait of a tiny program at the same parent sizes;
//! - `speedup`: the CPU-bound job over 1, 2, 4 forked processes, contiguous and
//!   interleaved;
//! - `handoff`: moving a large buffer to a worker: thread, pipe, shared memory (claim
//!   C11), each beside its own baseline;
//! - `process_start`: a Rust program re-running itself (the spawn way), `/bin/true`
//!   (the floor), and a child from the fork server the book builds;
//! - `pss_per_process_kib`, `page_tables_per_process_kib`: memory per idle forked
//!   child;
//! - `wrapper_overhead`: our safe wrappers against the bare calls;
//! - `serialize`: records into bytes and back, serde with postcard beside CPython's
//!   pickle;
//! - `python`: CPython's process start (fork, spawn, forkserver) and 2-process
//!   speedup.
//!
//! Forks happen while this process has a single thread: every thread a measurement
//! starts is joined before the next fork.
//!
//! `cargo run --release -p examples-processes -- measure [--quick] [--json] [--plot
//! DIR]`.

mod fit;
mod fork;
mod handoff;
mod memory;
mod overhead;
mod python;
mod raw;
mod serialize;
mod speedup;
mod starts;

mod plots;

use std::path::Path;
use std::time::Duration;

use serde_json::{Map, Value, json};
use shared::measure::driver::Command;
use shared::measure::speedup::CpuSpeedup;
use shared::measure::{Findings, Machine, Summary, keys, skipped};

use crate::status;
use crate::sys::ForkedChild;

/// Everything `measure` found, ready to print as a table or as JSON.
pub struct Report {
    curves: fork::Curves,
    speedup: CpuSpeedup,
    handoff: handoff::Handoff,
    /// `Err(reason)` where it cannot be measured.
    memory: Result<memory::ProcessMemory, &'static str>,
    starts: starts::Starts,
    wrapper_overhead: Vec<overhead::Overhead>,
    serialize: serialize::Serialization,
    python: shared::measure::Comparison,
}

/// The `measure` command of this binary.
const COMMAND: Command = Command {
    package: "examples-processes",
    title: "Processes",
    what: "fork and spawn cost against parent memory, speedups, handoff, serialization",
    sections: 8,
};

/// Runs the measurements; `args` are the options after `measure`.
pub fn run(args: &[String]) -> anyhow::Result<()> {
    shared::measure::driver::run(args, &COMMAND, |options, progress| {
        // Small parent first: the speedup, handoff and memory figures should not pay
        // for the memory the fork curve adds later.
        progress.section("CPU-bound speedup over forked processes");
        let speedup = speedup::measure(options)?;
        progress.section("handing a buffer to a worker: thread, pipe, shared memory");
        let handoff = handoff::measure(options)?;
        progress.section("memory of idle forked children (PSS)");
        let memory = match cfg!(target_os = "linux") {
            true => Ok(memory::pss_of_idle_children(options)?),
            false => Err(
                "the proportional set size is read from /proc/PID/smaps_rollup: Linux only",
            ),
        };
        progress.section(
            "starting a process: Rust self-spawn, /bin/true, the fork server",
        );
        let starts = starts::measure(options)?;
        progress.section(
            "wrapper overhead: fork_child and thread::Builder against the bare calls",
        );
        let wrapper_overhead = overhead::measure(options)?;
        progress
            .section("fork+wait and spawn+wait against the parent's memory: g(S)");
        let curves = fork::measure(options)?;
        progress.section("into bytes and back: serde + postcard, CPython's pickle");
        let serialize = serialize::measure(options)?;
        progress.section("CPython comparison");
        let python = python::compare(options, &curves, &starts, &speedup);
        Ok(Report {
            curves,
            speedup,
            handoff,
            memory,
            starts,
            wrapper_overhead,
            serialize,
            python,
        })
    })
}

/// Joins a measured child within `deadline`; one that is still running then is killed
/// and reaped, and that is an error, as is any exit but code 0.
fn join_within(
    child: &mut ForkedChild,
    deadline: Duration,
    what: &str,
) -> anyhow::Result<()> {
    status::check_waited(what, child.join_or_kill(deadline)?)
}

impl Findings for Report {
    fn report(&self, text: bool) -> Map<String, Value> {
        let curves = &self.curves;
        let curve = |key: &str, time: fn(&fork::CurvePoint) -> Summary| {
            let points = curves.points.iter();
            let points = points
                .map(|point| json!({ "rss_mib": point.rss_mib, key: time(point) }));
            points.collect::<Vec<_>>()
        };
        let memory = |figure: fn(&memory::ProcessMemory) -> f64| match &self.memory {
            Ok(memory) => json!(figure(memory)),
            Err(reason) => skipped(reason),
        };
        let mut keys = keys(json!({
            "fork_curve": curve("fork_wait_us", |point| point.fork_wait_us),
            "fork_slope_ms_per_gib": curves.fork_fit.slope,
            "fork_slope_r2": curves.fork_fit.r2,
            "spawn_curve": curve("spawn_wait_us", |point| point.spawn_wait_us),
            "spawn_slope_ms_per_gib": curves.spawn_fit.slope,
        }));
        keys.extend(self.speedup.to_json(text));
        keys.extend(shared::measure::keys(json!(self.handoff)));
        keys.extend(shared::measure::keys(json!({
            "pss_per_process_kib": memory(|memory| memory.pss_kib_per_child),
            "page_tables_per_process_kib": memory(|memory| memory.page_tables_kib_per_child),
            "process_start": self.starts.rows,
            "wrapper_overhead": self.wrapper_overhead,
            "serialize": self.serialize,
            "python": self.python.to_json(),
        })));
        keys
    }

    fn headings(&self) -> Vec<(&'static str, String)> {
        let children = self.memory.as_ref().map_or(0, |memory| memory.children);
        let how: Vec<_> = self
            .handoff
            .rows
            .iter()
            .map(|row| format!("{}: {}", row.method, row.how))
            .collect();
        let note = format!(
            "contiguous: each child one run of the range; interleaved: blocks of {} numbers dealt round robin",
            shared::work::INTERLEAVE_BLOCK
        );
        vec![
            (
                "fork_curve",
                "Start+wait of a child against the parent's resident memory, g(S)\n\
                 (fork: a copy of this process, exits at once; spawn: Command runs /bin/true; \
                 slopes fitted by least squares)"
                    .to_owned(),
            ),
            (
                "speedup_sequential_ms",
                self.speedup.heading("CPU-bound speedup over forked processes", &note),
            ),
            (
                "handoff_buffer_mib",
                format!(
                    "Handing a buffer to a worker, which reads all of it (checksums agree)\n({})",
                    how.join("; ")
                ),
            ),
            (
                "pss_per_process_kib",
                format!(
                    "Memory of idle forked children ({children} at once), growth of the total \
                     over parent and children, per child"
                ),
            ),
            ("process_start", "Starting a process and waiting for it, in turns".to_owned()),
            (
                "wrapper_overhead",
                "Wrapper overhead: our safe layer against the bare calls (goal: ratio ≤ 1.10)".to_owned(),
            ),
            (
                "serialize",
                "Into bytes and back: records (id, name, score, three tags), one round trip each".to_owned(),
            ),
            ("python", "CPython, same run".to_owned()),
        ]
    }

    fn plot(&self, dir: &Path, machine: &Machine) -> anyhow::Result<()> {
        plots::write(dir, self, machine)
    }
}
