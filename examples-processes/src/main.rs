//! `examples-processes`: run one process example by name; with no name, the seed program.

use std::process::ExitCode;

use examples_processes::examples::*;
use examples_processes::measure;
use examples_processes::tasks;
use shared::cli::Example;

/// Every example, in book order: `(name, summary, run)`. The first one runs by default.
/// One row per line, so the table reads as a table.
#[rustfmt::skip]
const EXAMPLES: &[Example] = &[
    Example::new("seed", "the article's program: two processes print numbers and letters, then Done! (spawn way)", seed::run),
    Example::new("seed-fork", "the same program the fork way: each child is a copy of the parent", seed_fork::run),
    // Not an example: the measurement command, last.
    Example::with_args("measure", "measure fork and spawn cost against parent memory, speedups, handoff", measure::run),
];

fn main() -> ExitCode {
    // First of all: is this process a child started to run one task? (Rust's
    // `if __name__ == "__main__":` guard; see `tasks::run_if_requested`.)
    if let Some(exit_code) = tasks::run_if_requested() {
        return exit_code;
    }
    shared::cli::main("examples-processes", "the process examples of Threads & Processes in Rust", EXAMPLES)
}
