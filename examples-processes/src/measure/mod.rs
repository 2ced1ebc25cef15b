//! `measure`: the seed article's "model" for processes, P = g(S) (claim C6), and the
//! figures behind claims C1, C10 and C11, measured on this machine, one section per
//! line of `SECTIONS`. Forks happen while this process has a single thread: every
//! thread a measurement starts is joined before the next fork. A measured child is
//! joined within a deadline (`join_or_kill`); one whose measurement failed is not
//! joined: its handle, dropped, kills and reaps it.

mod fork;
mod handoff;
mod memory;
mod python;
mod serialize;
mod speedup;
mod starts;

use shared::measure::driver::{self, Command, Section};

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
        fork::overhead,
    ),
    ("into bytes and back: serde + postcard, CPython's pickle", serialize::measure),
    ("CPython comparison", python::compare),
];

const COMMAND: Command = Command {
    package: "examples-processes",
    title: "Processes",
    what: "fork and spawn cost against parent memory, speedups, handoff, serialization",
    sections: SECTIONS,
    // Small parent first: the speedup, handoff and memory figures should not pay for
    // the memory the fork curve adds.
    run_order: &[1, 2, 3, 4, 5, 0, 6, 7],
};

pub fn run(args: &[String]) -> anyhow::Result<()> {
    driver::run(args, &COMMAND)
}
