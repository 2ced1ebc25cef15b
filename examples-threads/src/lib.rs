//! The thread examples of *Threads & Processes in Rust*.
//!
//! One module per example, in `src/examples/`; `main.rs` lists them in book order.
//! Each module's `main` (`run` for the few that take options from the command line)
//! is what `cargo run -p examples-threads -- NAME` runs.

// Formatted at 80 columns, by `src/examples/rustfmt.toml` (a reader's listing never
// scrolls sideways): `cargo fmt` leaves the folder to that file, which rustfmt finds
// when it is run on an example, and `tests/tests/paste.rs` checks every example with it.
#[rustfmt::skip]
pub mod examples;
pub mod exercises;
pub mod measure;
pub mod outcomes;
pub mod sys;
pub mod tickets;
