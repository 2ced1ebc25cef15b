//! Two threads add to a counter with no lock and no atomic: a data race, which
//! is undefined behaviour in Rust. It is a cargo example, not one of the
//! `cargo run -p examples-threads` examples, so that nobody runs it without
//! asking for it; it is meant to be run under a tool that finds the race:
//!
//! ```text
//! cargo +nightly miri run -p examples-threads --example racy_counter
//! ```
//!
//! The book's chapter "Find it with a tool" shows what Miri and
//! ThreadSanitizer report on it.

use std::cell::UnsafeCell;
use std::sync::Barrier;
use std::thread;

// ANCHOR: counter
/// A counter that claims to be safe to share between threads. It is not.
struct RacyCounter(UnsafeCell<u64>);

// SAFETY: none. This promise is false, and it is the bug: it lets two
// threads reach the `UnsafeCell` at once with nothing to order them.
unsafe impl Sync for RacyCounter {}

impl RacyCounter {
    fn increment(&self) {
        // `black_box` keeps the compiler from merging a loop of increments
        // into one addition: each is a real read and write, as in Python.
        let value = std::hint::black_box(self.0.get());
        // SAFETY: none. Two threads run this at once: a read and a write of
        // the same memory, unordered (a data race).
        unsafe { *value += 1 };
    }
}
// ANCHOR_END: counter

fn main() {
    // Increments per thread: the first argument, or 1,000.
    let per_thread: u64 = match std::env::args().nth(1) {
        Some(text) => text.parse().expect("a number of increments"),
        None => 1_000,
    };
    let counter = RacyCounter(UnsafeCell::new(0));
    // Both threads start counting together, so that their increments overlap.
    let start = Barrier::new(2);
    thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                start.wait();
                for _ in 0..per_thread {
                    counter.increment();
                }
            });
        }
    });
    let total = counter.0.into_inner();
    println!("expected {}, counted {total}", 2 * per_thread);
}
