//! What both example binaries use: the task functions the examples run (the *targets*, as
//! Python calls them), the command-line dispatcher, the CPU-bound job that every speed
//! comparison runs, the hand-built synchronisation primitives, and the measurement helpers.
//!
//! Nothing here is specific to one example; an example's own code lives in its own file.

#![deny(missing_docs)]

pub mod cli;
pub mod measure;
pub mod sync;
pub mod sys;
pub mod tasks;
pub mod work;

pub use tasks::{print_letters, print_numbers};

use std::any::Any;

/// The message a panic carried, for reporting a panicked thread or task.
///
/// `panic!("text")` carries a `&str`, `panic!("{x}")` a `String`; anything else (from
/// `std::panic::panic_any`) has no text to show.
pub fn panic_message(payload: &(dyn Any + Send)) -> &str {
    if let Some(text) = payload.downcast_ref::<&str>() {
        text
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text
    } else {
        "a panic payload that is not text"
    }
}
