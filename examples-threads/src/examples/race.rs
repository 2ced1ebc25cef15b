//! The lost update, shown without undefined behaviour: `counter += 1` split
//! into an atomic load and an atomic store loses increments; `fetch_add`, a
//! `Mutex` and a channel do not.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::mpsc;
use std::sync::{Barrier, Mutex};
use std::thread;

const THREADS: u64 = 4;
const INCREMENTS: u64 = 1_000_000;
const EXPECTED: u64 = THREADS * INCREMENTS;

// ANCHOR: on_every_thread
fn on_every_thread(increment: impl Fn() + Sync) {
    // All start together: a late thread could finish before another begins.
    let start_line = Barrier::new(THREADS as usize);
    thread::scope(|scope| {
        for _ in 0..THREADS {
            scope.spawn(|| {
                start_line.wait();
                (0..INCREMENTS).for_each(|_| increment());
            });
        }
    });
}
// ANCHOR_END: on_every_thread

pub fn main() -> anyhow::Result<()> {
    println!("{THREADS} threads each add 1, {INCREMENTS} times:");
    // ANCHOR: racy
    let counter = AtomicU64::new(0);
    on_every_thread(|| {
        // Read, then write back one more: two atomic steps, not one. Another
        // thread's store between them is overwritten, and its increment lost.
        let value = counter.load(Relaxed);
        counter.store(value + 1, Relaxed);
    });
    report("load + store", counter.into_inner());
    // ANCHOR_END: racy

    // ANCHOR: fixes
    // Fix 1: one indivisible read-modify-write.
    let counter = AtomicU64::new(0);
    on_every_thread(|| _ = counter.fetch_add(1, Relaxed));
    report("fetch_add", counter.into_inner());

    // Fix 2: a lock held across the read and the write.
    let counter = Mutex::new(0);
    on_every_thread(|| {
        *counter.lock().expect("no thread panics holding the lock") += 1
    });
    report(
        "Mutex",
        counter.into_inner().expect("no thread panicked holding the lock"),
    );

    // Fix 3: share nothing; each thread sends its own count.
    let (counts_tx, counts_rx) = mpsc::channel();
    thread::scope(|scope| {
        for _ in 0..THREADS {
            let counts_tx = counts_tx.clone();
            scope.spawn(move || {
                let count = (0..INCREMENTS).fold(0, |count, _| count + 1);
                counts_tx
                    .send(count)
                    .expect("main keeps the receiver until every count is in");
            });
        }
    });
    // Main's own sender: without this drop, the sum below would wait forever.
    drop(counts_tx);
    report("channel", counts_rx.iter().sum());
    // ANCHOR_END: fixes
    Ok(())
}

fn report(method: &str, got: u64) {
    println!(
        "{method:>12}: expected {EXPECTED}, got {got}, lost {}",
        EXPECTED - got
    );
}
