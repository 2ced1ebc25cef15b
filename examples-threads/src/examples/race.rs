//! The lost update: `counter += 1` as an atomic load then an atomic store
//! loses increments; `fetch_add`, a `Mutex` and a channel do not.

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
        // Two atomic steps, not one: a store between them is overwritten.
        let value = counter.load(Relaxed);
        counter.store(value + 1, Relaxed);
    });
    report("load + store", counter.into_inner());
    // ANCHOR_END: racy

    // ANCHOR: fixes
    let counter = AtomicU64::new(0);
    on_every_thread(|| _ = counter.fetch_add(1, Relaxed));
    report("fetch_add", counter.into_inner());

    let counter = Mutex::new(0);
    on_every_thread(|| *counter.lock().expect("no panic holding it") += 1);
    report("Mutex", counter.into_inner().expect("no panic holding it"));

    let (counts_tx, counts_rx) = mpsc::channel();
    thread::scope(|scope| {
        for _ in 0..THREADS {
            let counts_tx = counts_tx.clone();
            scope.spawn(move || {
                let count = (0..INCREMENTS).fold(0, |count, _| count + 1);
                counts_tx.send(count).expect("main keeps the receiver");
            });
        }
    });
    drop(counts_tx); // Else the sum below waits for main's sender forever.
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
