//! The process examples of *Threads & Processes in Rust*.
//!
//! One module per example, in `src/examples/`; `main.rs` lists them in book order. Every
//! `unsafe` call to libc lives in [`sys`]; examples call its safe functions. The one exception
//! is `measure/raw.rs`: the bare `fork` + `waitpid` that the safe layer's overhead is measured
//! against, which for that reason cannot go through the layer.

// fork, waitpid, signals and /proc are Unix (here: Linux) features; there is nothing to
// build elsewhere.
#[cfg(not(unix))]
compile_error!("examples-processes uses fork, waitpid and signals: it builds on Unix (Linux) only");

pub mod examples;
pub mod measure;
pub mod process_pool;
pub mod status;
pub mod sys;
pub mod tasks;
