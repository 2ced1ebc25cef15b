//! CPython's own tests of `threading.Event`, ported to [`shared::sync::Event`]: the class
//! `EventTests` of CPython 3.11's `Lib/test/lock_tests.py` (checked against 3.11.7, the file
//! `python3 -c "import test.lock_tests as t; print(t.__file__)"` prints). Each test is named
//! after the case it ports, and every wait has a deadline, so a divergence fails instead of
//! hanging.
//!
//! Not ported, because they cannot apply to a Rust API:
//! - `test_at_fork_reinit`: tests `Event._at_fork_reinit`, a private CPython hook that makes a
//!   fresh lock in a forked child; Rust has no such hook (a forked child calls only
//!   async-signal-safe functions until it `exec`s).
//! - `test_repr`: tests the text of Python's `repr()`; `Event`'s `Debug` output is not an API.
//!
//! What the Rust API does differently (also in the book's Python → Rust map): `wait()` returns
//! nothing, since without a timeout it can only return once the event was set (Python returns
//! `True`); `wait(timeout)` is a method of its own, `wait_timeout`, taking a `Duration`.

#![cfg(not(loom))]

mod lock_tests;

use std::sync::Arc;
use std::time::{Duration, Instant};

use lock_tests::{Bunch, DEADLINE, Log, assert_waited_at_least, wait_until};
use shared::sync::Event;

// CPython 3.11 Lib/test/lock_tests.py, EventTests.test_is_set
#[test]
fn test_is_set() {
    let evt = Event::default();
    assert!(!evt.is_set());
    evt.set();
    assert!(evt.is_set());
    evt.set();
    assert!(evt.is_set());
    evt.clear();
    assert!(!evt.is_set());
    evt.clear();
    assert!(!evt.is_set());
}

/// CPython's `EventTests._check_notify`: every waiter gets notified.
fn check_notify(evt: &Arc<Event>) {
    const N: usize = 5;
    let results1 = Log::new();
    let results2 = Log::new();
    let bunch = Bunch::start(N, {
        let (evt, results1, results2) = (Arc::clone(evt), results1.clone(), results2.clone());
        move || {
            // Rust's `wait()` returns nothing: it can only return once the event was set,
            // which is what Python's `True` says. The log records that it returned.
            evt.wait();
            results1.push(true);
            evt.wait();
            results2.push(true);
        }
    });
    // Threads blocked on the first wait(). (CPython sleeps 10 ms per thread; `waiting` says.)
    wait_until("every thread waiting", || evt.waiting() == N);
    assert_eq!(results1.len(), 0, "a waiter returned before the event was set");
    // Threads unblocked.
    evt.set();
    bunch.finish();
    assert_eq!(results1.items(), [true; N]);
    assert_eq!(results2.items(), [true; N]);
}

// CPython 3.11 Lib/test/lock_tests.py, EventTests.test_notify
#[test]
fn test_notify() {
    let evt = Arc::new(Event::default());
    check_notify(&evt);
    // Another time, after an explicit clear().
    evt.set();
    evt.clear();
    check_notify(&evt);
}

// CPython 3.11 Lib/test/lock_tests.py, EventTests.test_timeout
#[test]
fn test_timeout() {
    const N: usize = 5;
    const TIMEOUT: Duration = Duration::from_millis(500);
    let evt = Arc::new(Event::default());
    let run_bunch = || {
        let results1 = Log::new();
        let results2 = Log::new();
        let bunch = Bunch::start(N, {
            let (evt, results1, results2) = (Arc::clone(&evt), results1.clone(), results2.clone());
            move || {
                results1.push(evt.wait_timeout(Duration::ZERO));
                let t1 = Instant::now();
                let r = evt.wait_timeout(TIMEOUT);
                results2.push((r, t1.elapsed()));
            }
        });
        bunch.finish();
        (results1.items(), results2.items())
    };

    let (results1, results2) = run_bunch();
    assert_eq!(results1, [false; N]);
    for (r, dt) in results2 {
        assert!(!r, "wait_timeout returned true on an event nobody set");
        assert_waited_at_least(dt, TIMEOUT);
    }

    // The event is set.
    evt.set();
    let (results1, results2) = run_bunch();
    assert_eq!(results1, [true; N]);
    for (r, _) in results2 {
        assert!(r, "wait_timeout returned false on a set event");
    }
}

// CPython 3.11 Lib/test/lock_tests.py, EventTests.test_set_and_clear
// gh-57711: wait() returns true even when the event is cleared before the waiting thread is
// woken up.
#[test]
fn test_set_and_clear() {
    const N: usize = 5;
    let event = Arc::new(Event::default());
    let results = Log::new();
    let bunch = Bunch::start(N, {
        let (event, results) = (Arc::clone(&event), results.clone());
        // CPython waits `support.LONG_TIMEOUT` (5 min); half the deadline is enough here, and
        // a waiter that missed the `set` then reports `false` instead of hanging.
        move || results.push(event.wait_timeout(DEADLINE / 2))
    });
    // Threads blocked on event.wait(). (CPython sleeps 10 ms per thread: a thread that came
    // after the `clear` would rightly wait on. `waiting` says when all are in.)
    wait_until("every thread waiting", || event.waiting() == N);
    // Threads unblocked.
    event.set();
    event.clear();
    bunch.finish();
    assert_eq!(results.items(), [true; N], "a waiter missed a set that a clear followed");
}
