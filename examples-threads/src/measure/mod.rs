//! `measure`: the threads' T = f(M) (claim C6) and the figures behind claims C1, C3
//! and C9, one section per line of `SECTIONS` (`measure --help` lists the options).

mod figures;
mod python;
mod spawn;
mod speedup;
mod timeline;
pub mod traced;

use shared::measure::driver::{self, Command, Section};

/// The sections, in the order they run and print: what each measures, and how.
const SECTIONS: &[Section] = &[
    ("spawn+join of an empty thread", |options, _| spawn::spawn_join(options)),
    ("spawn+join against stack size: f(M)", |options, _| spawn::stack_curve(options)),
    ("resident memory per idle thread", |options, _| spawn::rss_per_thread(options)),
    ("CPU-bound speedup: std::thread and rayon", |options, _| speedup::cpu(options)),
    ("waiting-bound speedup", |options, _| speedup::io(options)),
    ("false sharing: one cache line against padded apart", figures::false_sharing),
    ("contention: a Mutex, one atomic, a sharded counter", figures::contention),
    ("concurrent waits: tokio tasks and OS threads", figures::waits),
    ("CPython comparison", python::compare),
    ("who ran when: Rust and CPython threads, CPython processes", timeline::measure),
];

/// Runs the measurements; `args` are the options after `measure`.
pub fn run(args: &[String]) -> anyhow::Result<()> {
    let (package, title) = ("examples-threads", "Threads");
    let what = "thread cost against stack size, memory per thread, speedups, false sharing, \
                contention, waits";
    let command =
        Command { package, title, what, sections: SECTIONS, run_order: &[] };
    driver::run(args, &command)
}
