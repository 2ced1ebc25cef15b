//! Model checks of the hand-built [`Event`]: loom runs each closure under
//! every interleaving of its threads (every order in which they can take the mutex, be
//! notified and wake), and fails on a deadlock: threads all blocked, none able to go on.
//!
//! Only under `--cfg loom`, where `shared::sync` uses loom's `Mutex` and `Condvar`:
//!
//! ```text
//! RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=/tmp/target-loom cargo test -p shared --release --test loom_event
//! ```
//!
//! What this proves: for these thread counts, no wake-up is lost and no thread waits forever,
//! whatever the scheduler does. What it does not prove: anything about more threads, about
//! spurious wake-ups (loom 0.7's `Condvar::wait` never wakes spuriously; the waiting loops
//! re-check their condition for that), or about the timeout methods, which loom cannot model
//! and which are left out of a loom build.

#![cfg(loom)]

use std::sync::atomic::{AtomicUsize as StdAtomicUsize, Ordering as StdOrdering};

use loom::sync::Arc;
use loom::thread;
use shared::sync::Event;

/// Two threads wait while a third sets the event: both always wake, and see it set.
#[test]
fn event_set_wakes_every_waiter() {
    loom::model(|| {
        let event = Arc::new(Event::default());
        let waiters: Vec<_> = (0..2)
            .map(|_| {
                let event = Arc::clone(&event);
                thread::spawn(move || {
                    event.wait();
                    assert!(event.is_set(), "a waiter woke with the event unset");
                })
            })
            .collect();
        event.set();
        for waiter in waiters {
            waiter.join().expect("a waiter panicked");
        }
    });
}

/// A `set` racing a `wait` is never lost, whichever comes first: the setter is not joined
/// before the wait, so loom runs both orders. Each path is counted across the model's runs,
/// and both must be reached: the waiter that finds the event already set (and does not wait
/// at all), and the waiter already blocked in `wait` when `set` comes (and is woken by it).
#[test]
fn event_set_racing_wait_is_never_lost() {
    static ALREADY_SET: StdAtomicUsize = StdAtomicUsize::new(0);
    static SET_WHILE_BLOCKED: StdAtomicUsize = StdAtomicUsize::new(0);
    loom::model(|| {
        let event = Arc::new(Event::default());
        let setter = thread::spawn({
            let event = Arc::clone(&event);
            move || {
                // The waiter is counted in under the lock and leaves only after a set: a
                // count of 1 here means it is blocked in `wait` now.
                if event.waiting() == 1 {
                    SET_WHILE_BLOCKED.fetch_add(1, StdOrdering::Relaxed);
                }
                event.set();
            }
        });
        if event.is_set() {
            ALREADY_SET.fetch_add(1, StdOrdering::Relaxed);
        }
        event.wait();
        assert!(event.is_set());
        setter.join().expect("the setter panicked");
    });
    let (already_set, while_blocked) =
        (ALREADY_SET.load(StdOrdering::Relaxed), SET_WHILE_BLOCKED.load(StdOrdering::Relaxed));
    assert!(already_set > 0, "loom never ran the set before the wait");
    assert!(while_blocked > 0, "loom never ran the set while the waiter was blocked");
}

/// CPython 3.11 Lib/test/lock_tests.py, EventTests.test_set_and_clear (gh-57711): a `clear`
/// right after the `set` does not strand a waiter that the `set` woke but that has not run
/// yet: it still returns.
#[test]
fn event_set_then_clear_still_wakes_the_waiter() {
    loom::model(|| {
        let event = Arc::new(Event::default());
        let waiter = thread::spawn({
            let event = Arc::clone(&event);
            move || event.wait()
        });
        // Only a waiter already waiting is woken by this `set`: one that comes after the
        // `clear` rightly waits for the next `set`.
        while event.waiting() == 0 {
            thread::yield_now();
        }
        event.set();
        event.clear();
        waiter.join().expect("the waiter panicked");
        assert!(!event.is_set());
    });
}
