// Exercise `race-channel`: four threads each add one to a shared counter
// 100,000 times, and increments get lost. Share nothing instead: one owner
// thread keeps the count, and the others send it their increments over a
// channel.
//
// The check calls `count` with several numbers of threads, each call with a
// deadline, wants the exact count and no counter shared, then runs this
// program.
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::thread;

const THREADS: u64 = 4;
const INCREMENTS: u64 = 100_000;

/// Runs `threads` threads that each add one, `increments` times; returns the
/// count.
fn count(threads: u64, increments: u64) -> u64 {
    let counter = AtomicU64::new(0);
    thread::scope(|scope| {
        // Steps 1 to 3 in one call; the scope's end is step 4, join.
        for _ in 0..threads {
            scope.spawn(|| {
                for _ in 0..increments {
                    let value = counter.load(Relaxed);
                    // Held open, so that the loss shows on every run: another
                    // thread runs here.
                    thread::yield_now();
                    counter.store(value + 1, Relaxed);
                }
            });
        }
    });
    counter.into_inner()
}

fn main() {
    let counted = count(THREADS, INCREMENTS);
    println!("expected {}, counted {counted}", THREADS * INCREMENTS);
}
