//! A type of the reader's own, the kind loom and shuttle are for: a dispenser
//! of ticket numbers that must hand out each number once, whatever the threads
//! do. The book's chapter "Find it with a tool" checks it with both.
//!
//! `take` is correct; `take_racy` reads and then writes, and two threads can
//! both read the same number. A normal test rarely catches that; loom
//! (`tests/loom_tickets.rs`) and shuttle (`tests/shuttle_tickets.rs`) do.

// ANCHOR: imports
// The one place that chooses the atomics: loom's under `--cfg tickets_loom`,
// shuttle's under `--cfg shuttle`, std's otherwise. The rest of the file is
// the same in all three builds.
#[cfg(tickets_loom)]
use loom::sync::atomic::{AtomicU64, Ordering};
#[cfg(all(shuttle, not(tickets_loom)))]
use shuttle::sync::atomic::{AtomicU64, Ordering};
#[cfg(not(any(tickets_loom, shuttle)))]
use std::sync::atomic::{AtomicU64, Ordering};
// ANCHOR_END: imports

// ANCHOR: tickets
/// Hands out ticket numbers 0, 1, 2, …, each one once.
#[derive(Debug)]
pub struct Tickets {
    next: AtomicU64,
}

impl Tickets {
    /// A dispenser whose first ticket is 0.
    pub fn new() -> Self {
        Tickets { next: AtomicU64::new(0) }
    }

    /// The next number: one atomic read-modify-write, so no two callers get
    /// the same number.
    pub fn take(&self) -> u64 {
        self.next.fetch_add(1, Ordering::Relaxed)
    }

    /// The bug: a load, then a store. Two threads can both load the same
    /// number before either stores, and both get it.
    pub fn take_racy(&self) -> u64 {
        let number = self.next.load(Ordering::SeqCst);
        self.next.store(number + 1, Ordering::SeqCst);
        number
    }
}
// ANCHOR_END: tickets

impl Default for Tickets {
    fn default() -> Self {
        Self::new()
    }
}
