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

pub fn run() -> anyhow::Result<()> {
    // ANCHOR: shared
    let shared = AtomicCells::new(1, Sharing::Shared)?;
    in_children(|| {
        for _ in 0..INCREMENTS {
            shared[0].fetch_add(1, Ordering::Relaxed);
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
        for _ in 1..INCREMENTS {
            // Another child's add between these two lines is undone.
            let value = racy[0].load(Ordering::Relaxed);
            racy[0].store(value + 1, Ordering::Relaxed);
        }
    })?;
    let total = racy[0].load(Ordering::SeqCst);
    let lost = EXPECTED - total;
    println!(
        "MAP_SHARED, load then store: {total} of {EXPECTED}: short by {lost}, \
         lost updates"
    );
    let forced = CHILDREN - 1;
    ensure!(lost >= forced, "only {lost} lost, not {forced}");
    println!(
        "  {forced} for certain (the forced overlap), {} more where the \
         children overlapped by themselves",
        lost - forced
    );
    Ok(())
    // ANCHOR_END: lost
}

fn in_children(work: impl Fn()) -> anyhow::Result<()> {
    // Steps 1 to 3: `fork_child` creates a child, gives it `work`, starts it.
    let children = (0..CHILDREN)
        .map(|_| fork_child(&work))
        .collect::<Result<Vec<_>, _>>()?;
    // Step 4: join each, with a deadline, and check how it ended.
    for mut child in children {
        check_waited("a child", child.join_or_kill(Duration::from_secs(10))?)?;
    }
    Ok(())
}

fn wait_for_all_children(arrived: &AtomicU64) {
    arrived.fetch_add(1, Ordering::SeqCst);
    while arrived.load(Ordering::SeqCst) < CHILDREN {
        thread::yield_now();
    }
}
