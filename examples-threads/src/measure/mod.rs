//! `measure`: the seed article's "model" for threads, T = f(M) (claim C6), and the
//! figures behind claims C1, C3 and C9, measured on this machine:
//!
//! - `spawn_join_us`: spawn and join of an empty thread;
//! - `stack_curve`: the same against the requested stack size M, the shape of f, two
//!   ways: back to back (glibc's stack cache hands each thread the previous stack)
//!   and with a new stack mapped for each thread;
//! - `rss_per_thread_kib`, `pss_per_thread_kib`, `page_tables_per_thread_kib`: memory
//!   per idle thread (PSS measured as the processes' figure is, for comparison);
//! - `speedup`: the CPU-bound job over 1, 2, 4 workers: `std::thread` on contiguous
//!   parts and on interleaved parts, and rayon;
//! - `io_speedup`: a waiting-bound job (sleeps) over 1 … 64 threads;
//! - `false_sharing`: two counters on one cache line against padded apart, and the ratio;
//! - `contention`: one count on 1, 2, 4, 8 threads: a `Mutex`, one atomic, a sharded
//!   counter;
//! - `waits`: 10,000 concurrent waits as tokio tasks and as OS threads (start, total, memory);
//! - `timeline`: who ran when, two Rust threads, two CPython threads, two CPython
//!   processes (claim C1, `--plot` draws it), and the trace recorder's cost per slice;
//! - `python`: CPython's thread start+join, 2-thread speedup and the same waits with
//!   `asyncio`, beside Rust's, labelled with the interpreter's version and GIL state
//!   (optional; `--python PATH` picks the interpreter).
//!
//! `cargo run --release -p examples-threads -- measure [--quick] [--json] [--plot
//! DIR]`.

mod contention;
mod python;
mod spawn;
mod speedup;
mod timeline;
/// `timeline NAME --trace FILE`: the book's timelines of three examples.
pub mod traced;
mod waits;

mod plots;

use serde_json::{Map, Value, json};
use shared::measure::driver::Command;
use shared::measure::{
    Findings, Machine, Summary, Table, figure_or_skipped, keys, number, times,
};

/// Everything `measure` found, ready to print as a table or as JSON.
pub struct Report {
    spawn_join_us: Summary,
    stack_curve: Vec<spawn::StackPoint>,
    /// `Err`: why this platform gives no resident-memory figure.
    rss_per_thread: Result<spawn::ThreadMemory, String>,
    speedup: shared::measure::speedup::CpuSpeedup,
    io_speedup: speedup::IoSpeedup,
    false_sharing: waits::FalseSharing,
    contention: contention::Contention,
    waits: waits::Waits,
    python: python::Comparison,
    timeline: timeline::Timelines,
}

/// The `measure` command of this binary.
const COMMAND: Command = Command {
    package: "examples-threads",
    title: "Threads",
    what: "thread cost against stack size, memory per thread, speedups, false sharing, contention, waits",
    sections: 10,
};

/// Runs the measurements; `args` are the options after `measure`.
pub fn run(args: &[String]) -> anyhow::Result<()> {
    shared::measure::driver::run(args, &COMMAND, |options, progress| {
        progress.section("spawn+join of an empty thread");
        let spawn_join_us = spawn::spawn_join(options)?;
        progress.section("spawn+join against stack size: f(M)");
        let stack_curve = spawn::stack_curve(options, progress)?;
        progress.section("resident memory per idle thread");
        let rss_per_thread = match shared::sys::RESIDENT_MEMORY_SOURCE {
            Ok(_) => Ok(spawn::rss_per_thread(options)?),
            Err(reason) => Err(reason.to_owned()),
        };
        progress.section("CPU-bound speedup: std::thread and rayon");
        let speedup = speedup::cpu(options, progress)?;
        progress.section("waiting-bound speedup");
        let io_speedup = speedup::io(options, progress)?;
        progress.section("false sharing: one cache line against padded apart");
        let false_sharing = waits::false_sharing(options)?;
        progress.section("contention: a Mutex, one atomic, a sharded counter");
        let contention = contention::measure(options)?;
        progress.section("concurrent waits: tokio tasks and OS threads");
        let waits = waits::waits(options)?;
        progress.section("CPython comparison");
        let python = python::compare(options, &spawn_join_us, &speedup, &waits);
        progress.section("who ran when: Rust and CPython threads, CPython processes");
        let timeline = timeline::measure(options)?;
        Ok(Report {
            spawn_join_us,
            stack_curve,
            rss_per_thread,
            speedup,
            io_speedup,
            false_sharing,
            contention,
            waits,
            python,
            timeline,
        })
    })
}

impl Findings for Report {
    fn json(&self) -> Map<String, Value> {
        let memory = self.rss_per_thread.as_ref().map_err(String::clone);
        let mut keys = keys(
            json!({ "spawn_join_us": self.spawn_join_us, "stack_curve": self.stack_curve, "rss_per_thread_kib": figure_or_skipped(&memory.clone().map(|memory| memory.kib_per_thread)), "pss_per_thread_kib": figure_or_skipped(&memory.clone().and_then(|memory| memory.pss_kib_per_thread.clone())), "page_tables_per_thread_kib": figure_or_skipped(&memory.and_then(|memory| memory.page_tables_kib_per_thread.clone())) }),
        );
        keys.extend(self.speedup.to_json());
        keys.extend(shared::measure::keys(json!({ "io_speedup": self.io_speedup.rows, "false_sharing": self.false_sharing, "contention": self.contention, "waits": self.waits.to_json(), "python": self.python.to_json(), "timeline": self.timeline.to_json() })));
        keys
    }

    fn text(&self) -> String {
        let mut out = format!(
            "Spawn+join of an empty thread: {} µs over {} runs\n\n",
            self.spawn_join_us.cell(),
            self.spawn_join_us.samples
        );

        out += "Spawn+join against the requested stack size, f(M): stacks are reserved, not committed\n";
        out += "(cached: back to back, glibc hands each thread the last one's stack; mapped: a new stack each time)\n";
        out += &Table::timings(
            &["stack", "cached, µs", "mapped, µs"],
            (self.stack_curve.iter()).map(|point| {
                (kib_text(point.stack_kib), [point.cached_us, point.mapped_us])
            }),
        );
        out += &match &self.rss_per_thread {
            Ok(memory) => format!(
                "\nResident memory per idle thread: {} KiB ({} threads parked, resident {} → {} KiB: {})\n\
                 Growth per idle thread of the process's PSS: {} KiB; of its page tables (VmPTE): {} KiB\n\n",
                number(memory.kib_per_thread),
                memory.threads,
                memory.rss_before_kib,
                memory.rss_after_kib,
                shared::sys::RESIDENT_MEMORY_SOURCE.unwrap_or("?"),
                memory.pss_kib_per_thread.as_ref().map_or_else(
                    |reason| format!("skipped ({reason})"),
                    |kib| number(*kib)
                ),
                memory.page_tables_kib_per_thread.as_ref().map_or_else(
                    |reason| format!("skipped ({reason})"),
                    |kib| number(*kib)
                ),
            ),
            Err(reason) => {
                format!("\nResident memory per idle thread: skipped ({reason})\n\n")
            }
        };

        let note = format!(
            "contiguous: each thread one run of the range; interleaved: blocks of {} numbers dealt round robin; rayon: work stealing",
            shared::work::INTERLEAVE_BLOCK
        );
        out += &self.speedup.to_text("CPU-bound speedup", &note, "workers");
        out += &format!("\nWaiting-bound speedup: {}\n", self.io_speedup.job);
        out += &Table::of(
            &["threads", "speedup"],
            self.io_speedup
                .rows
                .iter()
                .map(|row| vec![row.workers.to_string(), times(row.speedup)]),
        );

        out += &format!(
            "\n{}\n{}\n{}\n",
            self.false_sharing.to_text(),
            self.contention.to_text(),
            self.waits.to_text()
        );
        out += &format!("{}\n", self.python.to_text());
        out += &format!("\n{}", self.timeline.to_text());
        out
    }

    fn plot(&self, dir: &std::path::Path, machine: &Machine) -> anyhow::Result<()> {
        plots::write(dir, self, machine)?;
        timeline::write(dir, &self.timeline)
    }
}

/// `64 KiB`, `4 MiB`.
fn kib_text(kib: u64) -> String {
    if kib >= 1024 && kib.is_multiple_of(1024) {
        format!("{} MiB", kib / 1024)
    } else {
        format!("{kib} KiB")
    }
}
