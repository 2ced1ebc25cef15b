//! Step 4, join, for every example: a thread's panic becomes an error that names the thread and
//! quotes the panic's message, so no caller can swallow it.

use std::any::Any;
use std::thread::{JoinHandle, ScopedJoinHandle, Thread};

use anyhow::anyhow;

/// Waits for the thread and returns what its target returned; a panic becomes an error.
pub fn join<T>(handle: JoinHandle<T>) -> anyhow::Result<T> {
    let thread = handle.thread().clone(); // A reference count: the name is read only on a panic.
    handle.join().map_err(|payload| panicked(&thread, &*payload))
}

/// [`join`] for a thread started inside `thread::scope`.
pub fn join_scoped<T>(handle: ScopedJoinHandle<'_, T>) -> anyhow::Result<T> {
    let thread = handle.thread().clone();
    handle.join().map_err(|payload| panicked(&thread, &*payload))
}

/// `thread 'name' panicked: message`; an unnamed thread is named by its id (`ThreadId(3)`).
fn panicked(thread: &Thread, payload: &(dyn Any + Send)) -> anyhow::Error {
    let name = thread.name().map_or_else(|| format!("{:?}", thread.id()), |name| format!("'{name}'"));
    anyhow!("thread {name} panicked: {}", panic_message(payload))
}

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
