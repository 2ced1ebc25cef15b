//! Synchronisation primitives that Python's `threading` has and Rust's standard library does
//! not, built by hand from `Mutex` and `Condvar`.
//!
//! - [`Event`]: Python's `threading.Event`, a flag that threads wait on until it is set: the
//!   `event` example's own code, compiled here too.
//! - [`Semaphore`]: Python's `threading.Semaphore` and `BoundedSemaphore`, a counter of
//!   permits: the `semaphore` example's own code, compiled here too.
//!
//! Built with `RUSTFLAGS="--cfg loom"`, they use loom's model-checked `Mutex` and `Condvar`
//! instead of std's, so that `shared/tests/loom_*.rs` can run them through every interleaving
//! of a few threads. The methods that take a timeout exist only in normal builds: loom models
//! no clock.

mod counted;
mod event;
mod semaphore;

pub use event::Event;
pub use semaphore::{OverRelease, Permit, Semaphore};

/// The one place that chooses between std's primitives and loom's.
mod imports {
    #[cfg(loom)]
    pub(crate) use loom::sync::{Condvar, Mutex, MutexGuard};
    #[cfg(not(loom))]
    pub(crate) use std::sync::{Condvar, Mutex, MutexGuard};
}
