//! `race --runs N`: the lost update as a small trial (2 threads, 10,000 increments each),
//! with the three fixes beside it, counted.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Barrier, Mutex, mpsc};
use std::thread;

use shared::outcomes::{self, OPTIONS, Outcomes};

const THREADS: u64 = 2;
const INCREMENTS: u64 = 10_000;
const EXPECTED: u64 = THREADS * INCREMENTS;

/// The example's `on_every_thread`, smaller: every thread starts at once, then increments.
fn on_every_thread(increment: impl Fn() + Sync) {
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

/// The four counters' totals after one trial: load + store, fetch_add, Mutex, channel.
pub fn trial() -> [(&'static str, u64); 4] {
    let racy = AtomicU64::new(0);
    on_every_thread(|| racy.store(racy.load(Relaxed) + 1, Relaxed));
    let atomic = AtomicU64::new(0);
    on_every_thread(|| _ = atomic.fetch_add(1, Relaxed));
    let locked = Mutex::new(0);
    on_every_thread(|| {
        *locked.lock().expect("no thread panics holding the lock") += 1
    });
    let (counts_tx, counts_rx) = mpsc::channel();
    thread::scope(|scope| {
        for _ in 0..THREADS {
            let counts_tx = counts_tx.clone();
            scope.spawn(move || {
                counts_tx.send((0..INCREMENTS).fold(0, |count, _| count + 1))
            });
        }
    });
    drop(counts_tx);
    let sent: u64 = counts_rx.iter().sum();
    [
        ("load + store", racy.into_inner()),
        ("fetch_add", atomic.into_inner()),
        ("Mutex", locked.into_inner().expect("no thread panicked holding the lock")),
        ("channel", sent),
    ]
}

/// The bucket of a number of lost updates.
fn bucket(lost: u64) -> &'static str {
    match lost {
        0 => "lost 0",
        1..=9 => "lost 1 to 9",
        10..=99 => "lost 10 to 99",
        100..=999 => "lost 100 to 999",
        _ => "lost 1000 or more",
    }
}

/// Counts `runs` trials.
pub fn count(runs: u64) -> Outcomes {
    let mut table = Outcomes::new("race", runs);
    for outcome in [
        "lost 0",
        "lost 1 to 9",
        "lost 10 to 99",
        "lost 100 to 999",
        "lost 1000 or more",
    ] {
        table.expect("load + store", outcome);
    }
    table.expect("load + store", "above the total");
    let mut lost = Vec::new();
    for _ in 0..runs {
        for (method, got) in trial() {
            let outcome = match got {
                _ if got > EXPECTED => "above the total",
                _ if method == "load + store" => bucket(EXPECTED - got),
                EXPECTED => "exact",
                _ => "lost some",
            };
            if method == "load + store" {
                lost.push(EXPECTED.saturating_sub(got));
            } else {
                table.expect(method, "exact");
                table.expect(method, "lost some");
            }
            table.count(method, outcome);
        }
    }
    table.figure("load + store, least lost", lost.iter().copied().min().unwrap_or(0));
    table.figure("load + store, median lost", outcomes::median(&mut lost));
    table.figure("load + store, most lost", lost.iter().copied().max().unwrap_or(0));
    table.note(&format!("each run: {THREADS} threads add 1, {INCREMENTS} times each; expected {EXPECTED}"));
    table
}

/// `race [--runs N [--json]]`.
pub fn run(args: &[String]) -> anyhow::Result<()> {
    let request = outcomes::parse(args, OPTIONS, &[])?;
    match request.runs {
        None => crate::examples::race::main(),
        Some(runs) => {
            count(runs).print(request.json);
            Ok(())
        }
    }
}
