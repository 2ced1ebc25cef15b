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
use shared::measure::{Findings, Machine, Summary, figure_or_skipped, keys};

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
    waits: Value,
    python: shared::measure::Comparison,
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
        let stack_curve = spawn::stack_curve(options)?;
        progress.section("resident memory per idle thread");
        let rss_per_thread = match shared::sys::RESIDENT_MEMORY_SOURCE {
            Ok(_) => Ok(spawn::rss_per_thread(options)?),
            Err(reason) => Err(reason.to_owned()),
        };
        progress.section("CPU-bound speedup: std::thread and rayon");
        let speedup = speedup::cpu(options)?;
        progress.section("waiting-bound speedup");
        let io_speedup = speedup::io(options)?;
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
    fn report(&self, text: bool) -> Map<String, Value> {
        let memory = self.rss_per_thread.as_ref().map_err(String::clone);
        let mut keys = keys(json!({
            "spawn_join_us": self.spawn_join_us,
            "stack_curve": self.stack_curve,
            "rss_per_thread_kib": figure_or_skipped(&memory.clone().map(|memory| memory.kib_per_thread)),
            "pss_per_thread_kib": figure_or_skipped(&memory.clone().and_then(|memory| memory.pss_kib_per_thread.clone())),
            "page_tables_per_thread_kib": figure_or_skipped(&memory.and_then(|memory| memory.page_tables_kib_per_thread.clone())),
        }));
        keys.extend(self.speedup.to_json(text));
        keys.extend(shared::measure::keys(json!({
            "io_speedup": self.io_speedup.rows,
            "false_sharing": self.false_sharing,
            "contention": self.contention,
            "waits": self.waits,
            "python": self.python.to_json(),
            "timeline": self.timeline.figures,
        })));
        keys
    }

    fn headings(&self) -> Vec<(&'static str, String)> {
        let memory = match &self.rss_per_thread {
            Ok(memory) => format!(
                "({} threads parked, resident {} → {} KiB: {}; PSS and page tables (VmPTE) grow too)",
                memory.threads,
                memory.rss_before_kib,
                memory.rss_after_kib,
                shared::sys::RESIDENT_MEMORY_SOURCE.unwrap_or("?"),
            ),
            Err(_) => String::new(),
        };
        let note = format!(
            "contiguous: each thread one run of the range; interleaved: blocks of {} numbers dealt round robin; rayon: work stealing",
            shared::work::INTERLEAVE_BLOCK
        );
        vec![
            ("spawn_join_us", "Spawn+join of an empty thread".to_owned()),
            (
                "stack_curve",
                "Spawn+join against the requested stack size, f(M): stacks are reserved, not committed\n\
                 (cached: back to back, glibc hands each thread the last one's stack; mapped: a new stack each time)"
                    .to_owned(),
            ),
            ("rss_per_thread_kib", format!("Resident memory per idle thread {memory}")),
            ("speedup_sequential_ms", self.speedup.heading("CPU-bound speedup", &note)),
            ("io_speedup", format!("Waiting-bound speedup: {}", self.io_speedup.job)),
            ("false_sharing", "False sharing: two threads, one cache line against padded apart".to_owned()),
            ("contention", "Contention (contention): one count, split over the threads".to_owned()),
            ("waits", "Concurrent waits (async-vs-threads; memory is resident-memory growth)".to_owned()),
            ("python", "CPython, same run".to_owned()),
            (
                "timeline",
                "Who ran when (claim C1): two workers sampling, each noting when it certainly ran".to_owned(),
            ),
        ]
    }

    fn plot(&self, dir: &std::path::Path, machine: &Machine) -> anyhow::Result<()> {
        plots::write(dir, self, machine)?;
        timeline::write(dir, &self.timeline)
    }
}
