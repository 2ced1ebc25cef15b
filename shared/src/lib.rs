//! What both example binaries use: the task functions the examples run (the *targets*, as
//! Python calls them), the command-line dispatcher, the CPU-bound job that every speed
//! comparison runs, the hand-built synchronisation primitives, and the measurement helpers.
//!
//! Nothing here is specific to one example; an example's own code lives in its own file.

#![deny(missing_docs)]

pub mod cli;
pub mod exercise;
mod join;
pub mod measure;
pub mod outcomes;
pub mod sync;
pub mod sys;
pub mod tasks;
pub mod trace;
pub mod work;

pub use join::{join, join_scoped, panic_message};
pub use tasks::{print_letters, print_numbers};
