//! The store-buffering litmus test: only `SeqCst` forbids both loads seeing 0.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

pub fn main() -> anyhow::Result<()> {
    let budget = Duration::from_millis(700);
    for (name, store, load) in [
        ("Relaxed", Ordering::Relaxed, Ordering::Relaxed),
        ("Release/Acquire", Ordering::Release, Ordering::Acquire),
        ("SeqCst", Ordering::SeqCst, Ordering::SeqCst),
    ] {
        let [both_one, one_zero, both_zero] =
            store_buffering(store, load, 200_000, budget)?;
        let trials = both_one + one_zero + both_zero;
        println!(
            "{name}: {trials} trials: r1=r2=1 {both_one}, one 0 {one_zero}, \
             r1=r2=0 {both_zero}"
        );
    }
    Ok(())
}

// ANCHOR: litmus
/// Counts the outcomes `[both 1, one 0, both 0]` of up to `trials` trials.
fn store_buffering(
    store: Ordering,
    load: Ordering,
    trials: u64,
    budget: Duration,
) -> anyhow::Result<[u64; 3]> {
    let (x, y) = (AtomicU64::new(0), AtomicU64::new(0));
    let (arrived, stop) = (AtomicU64::new(0), AtomicBool::new(false));
    let deadline = Instant::now() + budget;
    let side = |mine: &AtomicU64, other: &AtomicU64, leader: bool| {
        let mut seen = Vec::new();
        for trial in 0..trials {
            if spin_barrier(&arrived, 4 * trial + 2) {
                (0..trial % 128).for_each(|_| std::hint::spin_loop());
            }
            mine.store(1, store);
            seen.push(other.load(load));
            if leader && (trial + 1 == trials || Instant::now() > deadline) {
                // Relaxed: the barrier's Release/Acquire carries it.
                stop.store(true, Ordering::Relaxed);
            }
            spin_barrier(&arrived, 4 * trial + 4); // Both loads are done.
            mine.store(0, Ordering::Relaxed);
            if stop.load(Ordering::Relaxed) {
                break;
            }
        }
        seen
    };
    let (r1, r2) = thread::scope(|scope| {
        let first = scope.spawn(|| side(&x, &y, true));
        let second = scope.spawn(|| side(&y, &x, false));
        (
            first.join().expect("thread 1 panicked"),
            second.join().expect("thread 2 panicked"),
        )
    });
    let mut counts = [0; 3];
    for (seen_by_1, seen_by_2) in r1.iter().zip(&r2) {
        counts[2 - (seen_by_1 + seen_by_2) as usize] += 1;
    }
    Ok(counts)
}

/// Waits for the other thread; says whether this one arrived last.
fn spin_barrier(arrived: &AtomicU64, target: u64) -> bool {
    let last = arrived.fetch_add(1, Ordering::AcqRel) + 1 == target;
    let mut spins = 0u32;
    while arrived.load(Ordering::Acquire) < target {
        spins += 1;
        if spins.is_multiple_of(1024) {
            thread::yield_now() // The other may be off its CPU.
        } else {
            std::hint::spin_loop()
        }
    }
    last
}
// ANCHOR_END: litmus
