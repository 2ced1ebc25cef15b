//! `store-buffering --runs N`: the litmus test's four `(r1, r2)` outcomes, N trials under
//! each ordering, counted.

use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

use shared::outcomes::{self, OPTIONS, Outcomes};

/// The orderings tried: (name, the stores', the loads').
pub const ORDERINGS: [(&str, Ordering, Ordering); 3] = [
    ("Relaxed", Ordering::Relaxed, Ordering::Relaxed),
    ("Release/Acquire", Ordering::Release, Ordering::Acquire),
    ("SeqCst", Ordering::SeqCst, Ordering::SeqCst),
];

/// Runs `trials` trials of the litmus test on two threads (thread 1: `x = 1; r1 = y`, thread
/// 2: `y = 1; r2 = x`), as the example does, and returns each trial's `(r1, r2)`.
pub fn trials(store: Ordering, load: Ordering, trials: u64) -> Vec<(u64, u64)> {
    let (x, y, arrived) = (AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0));
    let side = |mine: &AtomicU64, other: &AtomicU64| {
        let mut seen = Vec::with_capacity(trials as usize);
        for trial in 0..trials {
            // Both start each trial together; the last to arrive spins a varying moment.
            if spin_barrier(&arrived, 4 * trial + 2) {
                (0..trial % 128).for_each(|_| std::hint::spin_loop());
            }
            mine.store(1, store);
            seen.push(other.load(load));
            spin_barrier(&arrived, 4 * trial + 4); // Both loads done: reset.
            mine.store(0, Ordering::Relaxed);
        }
        seen
    };
    thread::scope(|scope| {
        let first = scope.spawn(|| side(&x, &y));
        let second = scope.spawn(|| side(&y, &x));
        let r1 = first.join().expect("thread 1 panicked");
        let r2 = second.join().expect("thread 2 panicked");
        r1.into_iter().zip(r2).collect()
    })
}

/// The example's spin barrier: waits until `arrived` reaches `target`; says whether this
/// thread arrived last.
fn spin_barrier(arrived: &AtomicU64, target: u64) -> bool {
    let last = arrived.fetch_add(1, Ordering::AcqRel) + 1 == target;
    let mut spins = 0u32;
    while arrived.load(Ordering::Acquire) < target {
        spins += 1;
        if spins.is_multiple_of(1024) {
            thread::yield_now()
        } else {
            std::hint::spin_loop()
        }
    }
    last
}

/// Counts `runs` trials under each ordering.
pub fn count(runs: u64) -> Outcomes {
    let mut table = Outcomes::new("store-buffering", runs);
    for (name, store, load) in ORDERINGS {
        for outcome in ["(0, 0)", "(0, 1)", "(1, 0)", "(1, 1)"] {
            table.expect(name, outcome);
        }
        for (r1, r2) in trials(store, load, runs) {
            table.count(name, &format!("({r1}, {r2})"));
        }
    }
    table.note("outcome: (r1, r2); N runs under each ordering");
    table
}

/// `store-buffering [--runs N [--json]]`.
pub fn run(args: &[String]) -> anyhow::Result<()> {
    let request = outcomes::parse(args, OPTIONS, &[])?;
    match request.runs {
        None => crate::examples::store_buffering::main(),
        Some(runs) => {
            count(runs).print(request.json);
            Ok(())
        }
    }
}
