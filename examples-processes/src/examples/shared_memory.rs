//! Memory forked children share: `MAP_SHARED` exact, `MAP_PRIVATE` apart,
//! updates lost.

use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::Duration;

use anyhow::ensure;

use crate::sys::{AtomicCells, Sharing, check_waited, fork_child};

const CHILDREN: u64 = 4;
const INCREMENTS: u64 = 100_000;
const EXPECTED: u64 = CHILDREN * INCREMENTS;
const FORCED_LOSSES: u64 = CHILDREN - 1; // The forced overlap's.

pub fn run() -> anyhow::Result<()> {
    // ANCHOR: shared
    // One `AtomicU64`, in MAP_SHARED pages.
    let shared = AtomicCells::new(1, Sharing::Shared)?;
    in_children(|| {
        for _ in 0..INCREMENTS {
            shared[0].fetch_add(1, Ordering::Relaxed); // One indivisible step.
        }
    })?;
    let total = shared[0].load(Ordering::SeqCst);
    println!("MAP_SHARED, atomic add:     {total} of {EXPECTED}: exact");
    ensure!(total == EXPECTED, "the shared counter is {total}, not {EXPECTED}");
    // ANCHOR_END: shared

    // ANCHOR: private
    let private = AtomicCells::new(1, Sharing::Private)?;
    in_children(|| {
        for _ in 0..INCREMENTS {
            private[0].fetch_add(1, Ordering::Relaxed); // Its own copy.
        }
    })?;
    let total = private[0].load(Ordering::SeqCst);
    println!(
        "MAP_PRIVATE, atomic add:    {total} of {EXPECTED}: each child \
         counted in its own copy"
    );
    ensure!(total == 0, "the private counter is {total}, expected 0");
    // ANCHOR_END: private

    // ANCHOR: lost
    // Cell 0: the counter; cells 1 and 2: lines the children meet at.
    let racy = AtomicCells::new(3, Sharing::Shared)?;
    in_children(|| {
        // First add, overlap forced: all load 0, meet, all store 1: three lost.
        let value = racy[0].load(Ordering::Relaxed);
        wait_for_all_children(&racy[1]);
        racy[0].store(value + 1, Ordering::Relaxed);
        wait_for_all_children(&racy[2]);
        // The other adds, free: an overlap needs two children running at once.
        for _ in 1..INCREMENTS {
            // Another child may add here…
            let value = racy[0].load(Ordering::Relaxed);
            // …and this store undoes its add.
            racy[0].store(value + 1, Ordering::Relaxed);
        }
    })?;
    report_lost(racy[0].load(Ordering::SeqCst))
    // ANCHOR_END: lost
}

fn report_lost(total: u64) -> anyhow::Result<()> {
    let lost = EXPECTED - total;
    let line = format!("{total} of {EXPECTED}: short by {lost}, lost updates");
    println!("MAP_SHARED, load then store: {line}");
    ensure!(lost >= FORCED_LOSSES, "only {lost} lost, not {FORCED_LOSSES}");
    let more = lost - FORCED_LOSSES;
    println!(
        "  {FORCED_LOSSES} for certain (the forced overlap), {more} more where \
         the children overlapped by themselves"
    );
    Ok(())
}

fn in_children(work: impl Fn()) -> anyhow::Result<()> {
    // Steps 1 to 3: `fork_child` creates a child, gives it `work`, starts it.
    let children = (0..CHILDREN)
        .map(|_| fork_child(&work))
        .collect::<Result<Vec<_>, _>>()?;
    // Step 4: join each, with a deadline, and check how it ended.
    for mut child in children {
        let waited = child.join_or_kill(Duration::from_secs(10))?;
        check_waited("a counting child", waited)?;
    }
    Ok(())
}

/// A meeting line: each child checks in, then waits until all have.
fn wait_for_all_children(arrived: &AtomicU64) {
    arrived.fetch_add(1, Ordering::SeqCst);
    while arrived.load(Ordering::SeqCst) < CHILDREN {
        thread::yield_now();
    }
}
