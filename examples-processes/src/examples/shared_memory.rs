//! Memory forked children share with their parent: a `MAP_SHARED` counter each child
//! adds to atomically (exact); the same in `MAP_PRIVATE` pages (each counts in its
//! own copy); a load then a store instead of one add (lost updates).

use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::Duration;

use anyhow::{bail, ensure};

use crate::status::check_waited;
use crate::sys::{AtomicCells, Sharing, fork_child};

const CHILDREN: u64 = 4;
const INCREMENTS: u64 = 100_000;
const EXPECTED: u64 = CHILDREN * INCREMENTS;

/// The three counters, one after the other.
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
            private[0].fetch_add(1, Ordering::Relaxed); // Into the child's own copy.
        }
    })?;
    let total = private[0].load(Ordering::SeqCst);
    println!(
        "MAP_PRIVATE, atomic add:    {total} of {EXPECTED}: each child counted in \
         its own copy"
    );
    ensure!(total == 0, "the private counter is {total}, expected 0");
    // ANCHOR_END: private

    // ANCHOR: lost
    // Lost updates need two children to overlap, which is likely but not certain: try
    // a few times.
    for attempt in 1..=10 {
        // Cell 0: the counter; cell 1: a start line.
        let racy = AtomicCells::new(2, Sharing::Shared)?;
        in_children(|| {
            wait_for_all_children(&racy[1]);
            let counter = &racy[0];
            for _ in 0..INCREMENTS {
                // Another child may add here…
                let value = counter.load(Ordering::Relaxed);
                // …and this store undoes its add.
                counter.store(value + 1, Ordering::Relaxed);
            }
        })?;
        let total = racy[0].load(Ordering::SeqCst);
        if total < EXPECTED {
            println!(
                "MAP_SHARED, load then store: {total} of {EXPECTED}: short by {}, \
                 lost updates (attempt {attempt})",
                EXPECTED - total
            );
            return Ok(());
        }
    }
    bail!("ten attempts lost no update: did the children never overlap?")
    // ANCHOR_END: lost
}

/// Forks [`CHILDREN`] children running `work`, and joins them all.
fn in_children(work: impl Fn()) -> anyhow::Result<()> {
    // Steps 1 to 3, per child: `fork_child` creates it, gives it `work`, starts it.
    let mut children = Vec::new();
    for _ in 0..CHILDREN {
        children.push(fork_child(&work)?);
    }
    // Step 4: join each, with a deadline, and check how it ended.
    for mut child in children {
        let waited = child.join_or_kill(Duration::from_secs(10))?;
        check_waited("a counting child", waited)?;
    }
    Ok(())
}

/// A start line: each child checks in, then waits until all have, so that they count
/// together.
fn wait_for_all_children(arrived: &AtomicU64) {
    arrived.fetch_add(1, Ordering::SeqCst);
    while arrived.load(Ordering::SeqCst) < CHILDREN {
        thread::yield_now();
    }
}
