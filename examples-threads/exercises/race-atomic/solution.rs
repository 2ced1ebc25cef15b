// Exercise `race-atomic`: four threads each add one to a shared counter
// 100,000 times, and increments get lost. Make `increment` lose none, with the
// counter an `AtomicU64` still.
//
// The check runs `increment` under loom, which tries every interleaving of two
// threads, then runs this program and wants the exact count.
use std::sync::Barrier;
use std::thread;

// loom's atomic under the check (`--cfg loom`), std's in a normal build.
#[cfg(loom)]
use loom::sync::atomic::{AtomicU64, Ordering::Relaxed};
#[cfg(not(loom))]
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

const THREADS: u64 = 4;
const INCREMENTS: u64 = 100_000;

/// Adds one to `counter`; several threads call it at once.
fn increment(counter: &AtomicU64) {
    // Read, add and write as one indivisible step: no other thread's write
    // can come between. `Relaxed`: only the count matters, not the order of
    // other memory around it.
    counter.fetch_add(1, Relaxed);
}

fn main() {
    let counter = AtomicU64::new(0);
    // All start together: a late thread could finish before another begins.
    let start_line = Barrier::new(THREADS as usize);
    thread::scope(|scope| {
        // Steps 1 to 3 in one call; the scope's end is step 4, join.
        for _ in 0..THREADS {
            scope.spawn(|| {
                start_line.wait();
                for _ in 0..INCREMENTS {
                    increment(&counter);
                }
            });
        }
    });
    let counted = counter.into_inner();
    println!("expected {}, counted {counted}", THREADS * INCREMENTS);
}
