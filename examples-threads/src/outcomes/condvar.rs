//! `condvar --runs N [--bug check-outside-lock]`: one waiter, one notifier, N times; each
//! trial says whether the waiter was woken, found the flag already set, or lost the wake-up.
//!
//! The correct waiter checks the flag under the lock (`wait_while`), as the example does. The
//! bug, put back on purpose with `--bug check-outside-lock`, checks it before taking the
//! lock, then waits without checking again: a notification sent between the check and the
//! wait reaches nobody, and the waiter would sleep for ever. Such a waiter is found asleep
//! after the notifier is done, with no notification sent while it slept, and woken by the
//! trial itself (a rescue), so no trial hangs; a timeout bounds every wait too.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Barrier, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use shared::outcomes::{self, OPTIONS_WITH_BUG, Outcomes};

/// The bug `--bug` takes.
pub const BUGS: &[&str] = &["check-outside-lock"];

/// Far longer than a trial takes: only reached if the trial's own bookkeeping failed.
const TIMEOUT: Duration = Duration::from_secs(5);

/// The waiter's way, and whether the schedule is forced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Waiter {
    /// The flag checked under the lock, with `wait_while`.
    Correct,
    /// The flag checked before the lock, then one `wait`.
    CheckOutsideLock,
    /// The same, with the notifier forced between the check and the wait.
    CheckOutsideLockForced,
}

/// What one trial showed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trial {
    /// The waiter slept and the notification woke it.
    Woken,
    /// The waiter found the flag set and never slept.
    NeverSlept,
    /// The waiter slept through the only notification: woken by the trial's rescue.
    Lost,
}

#[derive(Default)]
struct State {
    ready: bool,
    asleep: bool,
    notified_a_sleeper: bool,
    rescued: bool,
}

/// Runs one trial.
pub fn trial(waiter: Waiter) -> anyhow::Result<Trial> {
    let state = Mutex::new(State::default());
    let changed = Condvar::new();
    let ready_outside = AtomicBool::new(false); // The flag the buggy check reads.
    let (checked, notified) = (Barrier::new(2), Barrier::new(2));
    let forced = waiter == Waiter::CheckOutsideLockForced;
    let lock = || state.lock().expect("no thread panics holding the state");
    let wait = || -> anyhow::Result<bool> {
        if waiter == Waiter::Correct {
            let guard = lock();
            let (mut guard, timeout) = changed
                .wait_timeout_while(guard, TIMEOUT, |state| {
                    state.asleep = !state.ready;
                    state.asleep
                })
                .expect("no thread panics holding the state");
            anyhow::ensure!(
                !timeout.timed_out(),
                "the correct waiter waited {TIMEOUT:?}"
            );
            let slept = guard.notified_a_sleeper;
            guard.asleep = false;
            return Ok(slept);
        }
        // The bug: the check, then the lock and a wait that does not check again.
        let ready = ready_outside.load(Ordering::SeqCst);
        if forced {
            checked.wait(); // The notifier runs now, between the check and the wait.
            notified.wait();
        }
        if ready {
            return Ok(false);
        }
        let mut guard = lock();
        guard.asleep = true;
        let (mut guard, timeout) = changed
            .wait_timeout(guard, TIMEOUT)
            .expect("no thread panics holding the state");
        anyhow::ensure!(
            !timeout.timed_out(),
            "the waiter slept {TIMEOUT:?}, never rescued"
        );
        guard.asleep = false;
        Ok(true)
    };
    let notify = || {
        if forced {
            checked.wait();
        }
        ready_outside.store(true, Ordering::SeqCst);
        let mut guard = lock();
        guard.ready = true;
        guard.notified_a_sleeper = guard.asleep;
        changed.notify_one();
        drop(guard);
        if forced {
            notified.wait();
        }
    };
    thread::scope(|scope| {
        let waiter = scope.spawn(wait);
        let notifier = scope.spawn(notify);
        notifier.join().expect("the notifier panicked");
        // The notifier is done: a waiter asleep now, to whom no notification was sent while
        // it slept, will never be woken by it. Rescue it.
        let started = Instant::now();
        while !waiter.is_finished() {
            let mut guard = lock();
            if guard.asleep && !guard.notified_a_sleeper && !guard.rescued {
                guard.rescued = true;
                changed.notify_all();
            }
            drop(guard);
            anyhow::ensure!(
                started.elapsed() < 2 * TIMEOUT,
                "the waiter did not finish"
            );
            thread::yield_now();
        }
        let slept = waiter.join().expect("the waiter panicked")?;
        let rescued = lock().rescued;
        Ok(match (slept, rescued) {
            (_, true) => Trial::Lost,
            (true, false) => Trial::Woken,
            (false, false) => Trial::NeverSlept,
        })
    })
}

/// Counts `runs` trials of the correct waiter, or with `bug`, of the buggy one free-running
/// and forced.
pub fn count(runs: u64, bug: bool) -> anyhow::Result<Outcomes> {
    let mut table = Outcomes::new("condvar", runs);
    let cases: &[(&str, Waiter)] = if bug {
        &[
            ("check outside the lock", Waiter::CheckOutsideLock),
            ("check outside the lock, forced", Waiter::CheckOutsideLockForced),
        ]
    } else {
        &[("check under the lock", Waiter::Correct)]
    };
    for &(case, waiter) in cases {
        for outcome in ["woken", "never slept", "lost wake-up"] {
            table.expect(case, outcome);
        }
        for _ in 0..runs {
            let outcome = match trial(waiter)? {
                Trial::Woken => "woken",
                Trial::NeverSlept => "never slept",
                Trial::Lost => "lost wake-up",
            };
            table.count(case, outcome);
        }
    }
    table.note(if bug {
        "lost wake-up: asleep after the only notification; without the rescue, for ever"
    } else {
        "--bug check-outside-lock puts the lost wake-up back on purpose"
    });
    Ok(table)
}

/// `condvar [--runs N [--json] [--bug check-outside-lock]]`.
pub fn run(args: &[String]) -> anyhow::Result<()> {
    let request = outcomes::parse(args, OPTIONS_WITH_BUG, BUGS)?;
    match request.runs {
        None => crate::examples::condvar::main(),
        Some(runs) => {
            count(runs, request.bug.is_some())?.print(request.json);
            Ok(())
        }
    }
}
