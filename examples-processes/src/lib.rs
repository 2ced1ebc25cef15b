//! The process examples of *Threads & Processes in Rust*.
//!
//! One module per example, in `src/examples/`; `main.rs` lists them in book order.
//! Every `unsafe` call to the operating system lives in [`sys`]; examples call its
//! safe functions. Even the bare `fork` + `waitpid` that the safe layer's overhead is
//! measured against is there (`sys/bare.rs`), without the layer's checks, and only
//! `measure` calls it. Three examples (`fork-with-threads`, `rayon-after-fork`,
//! `start-methods`) fork while other threads run, on purpose: that takes `unsafe {
//! sys::allow_fork_with_threads(…) }`, with the reason it holds in a `SAFETY:`
//! comment, but no raw call.
//!
//! It builds on every Unix and on Windows. The examples that fork run on Unix only;
//! on Windows the others run the spawn way, and the fork ones explain why they
//! cannot.

// Formatted at 80 columns, so the book's listings never scroll: by its own
// `rustfmt.toml`, which `cargo fmt` (one configuration per crate) would not
// read; `.ci/run` checks the folder with `rustfmt` directly.
#[rustfmt::skip]
pub mod examples;
pub mod exercises;
#[cfg(unix)]
pub mod measure;
/// `measure` where there is no fork: the spawn cost; the fork figures are skipped.
#[cfg(not(unix))]
#[path = "measure/spawn_only.rs"]
pub mod measure;
pub mod outcomes;
pub mod status;
pub mod sys;
pub mod tasks;
