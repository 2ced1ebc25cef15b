//! The thread examples of *Threads & Processes in Rust*.
//!
//! One module per example, in `src/examples/`; `main.rs` lists them in book order.
//! Each module's `run` is what `cargo run -p examples-threads -- NAME` runs.

pub mod examples;
pub mod measure;
pub mod sys;
pub mod tickets;
