//! `examples-threads`: run one thread example by name; with no name, the seed program.

use std::process::ExitCode;

use examples_threads::examples::*;
use examples_threads::measure;
use shared::cli::Example;

/// Every example, in book order: `(name, summary, run)`. The first one runs by default.
/// One row per line, so the table reads as a table.
#[rustfmt::skip]
const EXAMPLES: &[Example] = &[
    Example::new("seed", "the article's program: two threads print numbers and letters, then Done!", seed::run),
    // Not an example: the measurement command, last.
    Example::with_args("measure", "measure thread cost against stack size, memory per thread, speedups", measure::run),
];

fn main() -> ExitCode {
    shared::cli::main("examples-threads", "the thread examples of Threads & Processes in Rust", EXAMPLES)
}
