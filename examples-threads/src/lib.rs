//! The thread examples of *Threads & Processes in Rust*.
//!
//! One module per example, in `src/examples/`; `main.rs` lists them in book order. Each
//! module's `run` is what `cargo run -p examples-threads -- NAME` runs.

pub mod examples;
pub mod measure;
pub mod sys;

use std::thread::{JoinHandle, ScopedJoinHandle, Thread};

use anyhow::anyhow;
use shared::panic_message;

/// Step 4, join: waits for the thread and returns what its target returned. A panic in the
/// thread becomes an error naming the thread and quoting the panic's message, so no example
/// can swallow it.
pub fn join<T>(handle: JoinHandle<T>) -> anyhow::Result<T> {
    let name = thread_name(handle.thread());
    handle.join().map_err(|payload| anyhow!("thread {name} panicked: {}", panic_message(&*payload)))
}

/// [`join`] for a thread started inside `thread::scope`.
pub fn join_scoped<T>(handle: ScopedJoinHandle<'_, T>) -> anyhow::Result<T> {
    let name = thread_name(handle.thread());
    handle.join().map_err(|payload| anyhow!("thread {name} panicked: {}", panic_message(&*payload)))
}

/// `'name'` for a named thread, its id otherwise: `ThreadId(3)`.
fn thread_name(thread: &Thread) -> String {
    thread.name().map_or_else(|| format!("{:?}", thread.id()), |name| format!("'{name}'"))
}
