//! `deadlock --runs N`: two transfers in opposite lock orders (ABBA), N times free-running
//! and N times with the example's forced schedule, and N times in one lock order; each trial
//! says whether the two threads deadlocked.
//!
//! A trial never blocks for good: a thread that holds its first lock takes its second with
//! `try_lock`, in a loop, and gives up (releasing the first) as soon as the other thread is
//! known to be in the same state, holding the lock it wants: with `lock()` instead, both
//! would wait for ever, the deadlock the example shows. A deadline bounds the loop too.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Barrier, Mutex, TryLockError};
use std::thread;
use std::time::{Duration, Instant};

use shared::outcomes::{self, OPTIONS, Outcomes};

/// How long a thread may wait for its second lock before the trial is called stuck: far
/// longer than a transfer takes; only reached if the detection below failed.
const DEADLINE: Duration = Duration::from_secs(5);

/// How a trial's two transfers are scheduled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Schedule {
    /// Opposite lock orders, both started together, nothing forced.
    Free,
    /// Opposite lock orders, each waiting (a barrier) until the other holds its first lock.
    Forced,
    /// One lock order for both, started together.
    OneOrder,
}

/// One trial: whether the two transfers deadlocked (both held one lock and waited for the
/// other's); `Err` if a thread reached the deadline.
pub fn trial(schedule: Schedule) -> anyhow::Result<bool> {
    let accounts = [Mutex::new(100i64), Mutex::new(100i64)];
    let waiting = [AtomicBool::new(false), AtomicBool::new(false)];
    let (start_line, both_hold_one) = (Barrier::new(2), Barrier::new(2));
    let transfer = |me: usize| -> anyhow::Result<bool> {
        let (first, second) = match schedule {
            Schedule::OneOrder => (0, 1),
            _ => (me, 1 - me),
        };
        start_line.wait();
        let mut from = accounts[first].lock().expect("no panic holding an account");
        if schedule == Schedule::Forced {
            both_hold_one.wait();
        }
        waiting[me].store(true, Ordering::SeqCst);
        let started = Instant::now();
        let mut to = loop {
            match accounts[second].try_lock() {
                Ok(to) => break to,
                Err(TryLockError::WouldBlock) => {}
                Err(TryLockError::Poisoned(_)) => {
                    anyhow::bail!("an account was poisoned")
                }
            }
            // The other thread holds `second` (it is waiting, and holds its first lock, which
            // is our second) and wants `first`, which we hold: a cycle, a deadlock.
            if schedule != Schedule::OneOrder
                && waiting[1 - me].load(Ordering::SeqCst)
            {
                waiting[me].store(false, Ordering::SeqCst);
                return Ok(true);
            }
            anyhow::ensure!(
                started.elapsed() < DEADLINE,
                "no second lock after {DEADLINE:?}"
            );
            thread::yield_now();
        };
        waiting[me].store(false, Ordering::SeqCst);
        (*from, *to) = (*from - 10, *to + 10);
        Ok(false)
    };
    let (a, b) = thread::scope(|scope| {
        let a = scope.spawn(|| transfer(0));
        let b = scope.spawn(|| transfer(1));
        (
            a.join().expect("transfer a panicked"),
            b.join().expect("transfer b panicked"),
        )
    });
    Ok(a? || b?)
}

/// Counts `runs` trials of each schedule.
pub fn count(runs: u64) -> anyhow::Result<Outcomes> {
    let mut table = Outcomes::new("deadlock", runs);
    for (case, schedule) in [
        ("opposite orders", Schedule::Free),
        ("opposite orders, forced", Schedule::Forced),
        ("one lock order", Schedule::OneOrder),
    ] {
        table.expect(case, "deadlocked");
        table.expect(case, "finished");
        for _ in 0..runs {
            table.count(
                case,
                if trial(schedule)? { "deadlocked" } else { "finished" },
            );
        }
    }
    table.note("forced: each thread waits until the other holds its first lock, as the example does");
    Ok(table)
}

/// `deadlock [--runs N [--json]]`.
pub fn run(args: &[String]) -> anyhow::Result<()> {
    let request = outcomes::parse(args, OPTIONS, &[])?;
    match request.runs {
        None => crate::examples::deadlock::main(),
        Some(runs) => {
            count(runs)?.print(request.json);
            Ok(())
        }
    }
}
