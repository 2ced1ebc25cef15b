//! `measure`: the seed article's "model" for processes, P = g(S) (claim C6), and the
//! figures behind claims C1, C10 and C11, measured on this machine, one section per
//! line of `SECTIONS`. Forks happen while this process has a single thread: every
//! thread a measurement starts is joined before the next fork.
//!
//! `cargo run --release -p examples-processes -- measure [--quick] [--json] [--plot
//! DIR]`.

mod fork;
mod handoff;
mod memory;
mod python;
mod serialize;
mod speedup;
mod starts;

use std::time::Duration;

use shared::measure::driver::{self, Command, Section};

use crate::status;
use crate::sys::ForkedChild;

/// The sections, in the order they print: what each measures, and how.
const SECTIONS: &[Section] = &[
    ("fork+wait and spawn+wait against the parent's memory: g(S)", fork::measure),
    ("CPU-bound speedup over forked processes", speedup::measure),
    ("handing a buffer to a worker: thread, pipe, shared memory", handoff::measure),
    ("memory of idle forked children (PSS)", memory::measure),
    (
        "starting a process: Rust self-spawn, /bin/true, the fork server",
        starts::measure,
    ),
    (
        "wrapper overhead: fork_child and thread::Builder against the bare calls",
        starts::overhead,
    ),
    ("into bytes and back: serde + postcard, CPython's pickle", serialize::measure),
    ("CPython comparison", python::compare),
];

/// The `measure` command of this binary.
const COMMAND: Command = Command {
    package: "examples-processes",
    title: "Processes",
    what: "fork and spawn cost against parent memory, speedups, handoff, serialization",
    sections: SECTIONS,
    // Small parent first: the speedup, handoff and memory figures should not pay for
    // the memory the fork curve adds.
    run_order: &[1, 2, 3, 4, 5, 0, 6, 7],
};

/// Runs the measurements; `args` are the options after `measure`.
pub fn run(args: &[String]) -> anyhow::Result<()> {
    driver::run(args, &COMMAND)
}

/// Joins a measured child within `deadline`; one still running then is killed and
/// reaped, and that is an error, as is any exit but code 0. A child whose
/// measurement failed is not joined: its handle, dropped, kills and reaps it.
fn join_within(
    child: &mut ForkedChild,
    deadline: Duration,
    what: &str,
) -> anyhow::Result<()> {
    status::check_waited(what, child.join_or_kill(deadline)?)
}
