//! Memory forked children share with their parent: a `MAP_SHARED` counter each child
//! adds to atomically (exact); the same in `MAP_PRIVATE` pages (each counts in its
//! own copy); a load then a store instead of one add (lost updates: a few for certain,
//! since the children's first adds are made to overlap, and more wherever they overlap by
//! themselves).

use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::Duration;

use anyhow::ensure;

use crate::status::check_waited;
use crate::sys::{AtomicCells, Sharing, fork_child};

const CHILDREN: u64 = 4;
const INCREMENTS: u64 = 100_000;
const EXPECTED: u64 = CHILDREN * INCREMENTS;
/// The updates the load-then-store counter loses for certain: all but one of the children's
/// first adds, which are made to overlap.
const FORCED_LOSSES: u64 = CHILDREN - 1;

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
    // Cell 0: the counter; cells 1 and 2: lines the children meet at.
    let racy = AtomicCells::new(3, Sharing::Shared)?;
    in_children(|| {
        let counter = &racy[0];
        // The first add, overlap forced: every child loads (0), waits until all have
        // loaded, then stores 1. Four adds, one 1: three updates lost, on any machine.
        let value = counter.load(Ordering::Relaxed);
        wait_for_all_children(&racy[1]);
        counter.store(value + 1, Ordering::Relaxed);
        wait_for_all_children(&racy[2]);
        // The other adds, free: an overlap now needs two children running at once.
        for _ in 1..INCREMENTS {
            // Another child may add here…
            let value = counter.load(Ordering::Relaxed);
            // …and this store undoes its add.
            counter.store(value + 1, Ordering::Relaxed);
        }
    })?;
    let total = racy[0].load(Ordering::SeqCst);
    let lost = EXPECTED - total;
    println!(
        "MAP_SHARED, load then store: {total} of {EXPECTED}: short by {lost}, lost updates"
    );
    // Each store writes what its own load saw, plus 1: the four first stores all saw 0,
    // so at most one of them counts.
    ensure!(
        lost >= FORCED_LOSSES,
        "only {lost} updates lost, fewer than the forced {FORCED_LOSSES}"
    );
    let free = lost - FORCED_LOSSES;
    if free > 0 {
        println!(
            "  {FORCED_LOSSES} for certain (the forced overlap), {free} more where the \
             children overlapped by themselves"
        );
    } else {
        println!(
            "  {FORCED_LOSSES} for certain (the forced overlap), none more this time: the \
             children's free adds never met (on one CPU, a child is rarely interrupted between \
             its load and its store)"
        );
    }
    Ok(())
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

/// A meeting line: each child checks in, then waits until all have.
fn wait_for_all_children(arrived: &AtomicU64) {
    arrived.fetch_add(1, Ordering::SeqCst);
    while arrived.load(Ordering::SeqCst) < CHILDREN {
        thread::yield_now();
    }
}
