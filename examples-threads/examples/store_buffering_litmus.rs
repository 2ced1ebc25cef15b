//! The store-buffering litmus test, small enough for Miri: thread 1 does
//! `x = 1; r1 = y`, thread 2 does `y = 1; r2 = x`, a fresh pair of threads
//! per round. With `Relaxed` (or Release/Acquire), `r1 == r2 == 0` is allowed;
//! with `SeqCst` it is not. Miri emulates weak memory, so it can produce that
//! outcome on any machine:
//!
//! ```text
//! cargo +nightly miri run -p examples-threads --example store_buffering_litmus -- relaxed
//! ```

use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

// ANCHOR: litmus
/// One round: returns `(r1, r2)`.
fn round(x: &AtomicBool, y: &AtomicBool, order: Ordering) -> (bool, bool) {
    thread::scope(|scope| {
        let first = scope.spawn(|| {
            x.store(true, order);
            y.load(order) // r1
        });
        let second = scope.spawn(|| {
            y.store(true, order);
            x.load(order) // r2
        });
        let r1 = first.join().expect("thread 1 panicked");
        let r2 = second.join().expect("thread 2 panicked");
        (r1, r2)
    })
}
// ANCHOR_END: litmus

fn main() {
    let order = match std::env::args().nth(1).as_deref() {
        Some("relaxed") | None => Ordering::Relaxed,
        Some("seqcst") => Ordering::SeqCst,
        Some(other) => panic!("expected relaxed or seqcst, got {other:?}"),
    };
    let rounds = 100;
    let mut both_zero = 0;
    for _ in 0..rounds {
        let (x, y) = (AtomicBool::new(false), AtomicBool::new(false));
        if round(&x, &y, order) == (false, false) {
            both_zero += 1;
        }
    }
    println!("{order:?}: r1 = r2 = 0 in {both_zero} of {rounds} rounds");
}
