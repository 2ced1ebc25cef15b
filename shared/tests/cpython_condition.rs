//! **What this file tests: Rust's standard library, not this project.** No code of `shared`
//! runs here: it checks `std::sync::Condvar` with a `Mutex` against CPython's own tests of
//! `threading.Condition`. It stays because the book's Python → Rust map names `Condvar` as the
//! counterpart, and these checks pin down which of Python's promises std's `Condvar` keeps, and
//! how the others are written in Rust.
//!
//! CPython's own tests of `threading.Condition`, ported to what the book's Python → Rust map
//! names for it, `std::sync::Condvar` used with a `Mutex`: the class `ConditionTests` of
//! CPython 3.11's `Lib/test/lock_tests.py` (checked against 3.11.7, the file
//! `python3 -c "import test.lock_tests as t; print(t.__file__)"` prints). Each test is named
//! after the case it ports, and every wait has a deadline, so a divergence fails instead of
//! hanging.
//!
//! Where std's `Condvar` differs (each difference is recorded in the book's Python → Rust map):
//! - `test_acquire`: its first half needs Python's default lock, an `RLock` taken twice by one
//!   thread; std's `Mutex` is not re-entrant. Not ported. The second half (the condition's lock
//!   is held while the condition is) is.
//! - `test_unacquired_wait`: Python raises `RuntimeError` for a `wait` without the lock. Not
//!   ported: `Condvar::wait` takes the `MutexGuard`, so such a call does not compile.
//! - `test_unacquired_notify`: Python raises `RuntimeError` for a `notify` without the lock;
//!   `Condvar::notify_one` and `notify_all` need no lock. Ported with Rust's outcome.
//! - `test_notify`: Python's `notify(n)` wakes the `n` longest-waiting threads, and its `wait`
//!   returns only when notified. `Condvar` has no `notify(n)`; `notify_one` wakes one thread,
//!   not necessarily the longest-waiting, and `wait` may also return spuriously (std's docs
//!   say so). So a Rust thread cannot tell from its wake-up that it was notified: it waits for
//!   a state. The port keeps, under the mutex, which waiters have been notified (in Python's
//!   order) and wakes them with `notify_all` and `wait_while`: Python's semantics, built from
//!   `Condvar`.
//! - `test_timeout`: Python's `wait(timeout)` returns `False` on timeout; `Condvar::wait_timeout`
//!   may return early without a notification, so the port waits with `wait_timeout_while` on a
//!   state nobody changes, which returns only at the timeout.
//! - `test_waitfor`, `test_waitfor_timeout`: Python's `wait_for(predicate)` is std's
//!   `wait_while(guard, condition)` with the condition negated (wait *while* it holds, not
//!   *for* it), and `wait_for(predicate, timeout)` is `wait_timeout_while`.

#![cfg(not(loom))]

mod lock_tests;

use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use lock_tests::{Bunch, Log, assert_waited_at_least, wait_until};

/// A mutex and its condition variable: what Python keeps together in one `Condition`.
struct Condition<State> {
    lock: Mutex<State>,
    cond: Condvar,
}

impl<State: Default> Condition<State> {
    fn new() -> Arc<Self> {
        Arc::new(Self { lock: Mutex::new(State::default()), cond: Condvar::new() })
    }

    /// Python's `cond.acquire()`; a panicking test thread may poison the mutex: go on.
    fn acquire(&self) -> MutexGuard<'_, State> {
        self.lock.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

// CPython 3.11 Lib/test/lock_tests.py, ConditionTests.test_acquire (the half with a `Lock`)
// In Rust the condition's lock is the `Mutex`: holding it is holding the condition.
#[test]
fn test_acquire() {
    let lock = Mutex::new(());
    let _cond = Condvar::new();
    let held = lock.lock().expect("a fresh mutex");
    assert!(lock.try_lock().is_err(), "the lock is free while the condition holds it");
    drop(held);
    let held = lock.try_lock().expect("the lock is free after the condition let go");
    assert!(lock.try_lock().is_err(), "the condition could be taken while the lock is held");
    drop(held);
    {
        let _with_cond = lock.lock().expect("a free mutex");
        assert!(lock.try_lock().is_err());
    }
}

// CPython 3.11 Lib/test/lock_tests.py, ConditionTests.test_unacquired_notify
// A difference: Python raises `RuntimeError`; Rust allows a notification without the lock
// (it wakes nobody here, since nobody waits).
#[test]
fn test_unacquired_notify() {
    let cond = Condvar::new();
    cond.notify_one();
    cond.notify_all();
}

/// The state of `_check_notify`, under the mutex: Python's `Condition` keeps its waiters in
/// a queue and `notify(n)` wakes the first `n`; here waiters take numbers in arrival order
/// and may go once their number is below `notified`.
#[derive(Default)]
struct NotifyState {
    /// Threads that have said they are about to wait (CPython's `ready` list).
    ready: usize,
    /// The number the next waiter takes.
    next_waiter: u64,
    /// Waiters numbered below this have been notified.
    notified: u64,
    phase_num: usize,
}

/// Python's `cond.wait()`: returns once this waiter has been notified, whatever wakes it.
fn wait_notified<'a>(cond: &'a Condition<NotifyState>, mut state: MutexGuard<'a, NotifyState>) -> usize {
    let me = state.next_waiter;
    state.next_waiter += 1;
    let state = cond.cond.wait_while(state, |state| me >= state.notified);
    state.expect("the test's threads do not panic holding the lock").phase_num
}

/// Python's `cond.notify(n)`, called with the lock held: notifies the `n` longest-waiting.
fn notify(cond: &Condition<NotifyState>, state: &mut NotifyState, n: u64) {
    state.notified = (state.notified + n).min(state.next_waiter);
    // Every thread wakes and checks its number: `notify_one` could wake one not notified.
    cond.cond.notify_all();
}

// CPython 3.11 Lib/test/lock_tests.py, ConditionTests._check_notify
fn check_notify(cond: &Arc<Condition<NotifyState>>) {
    const N: usize = 5;
    let results1 = Log::new();
    let results2 = Log::new();
    let f = {
        let (cond, results1, results2) = (Arc::clone(cond), results1.clone(), results2.clone());
        move || {
            let mut state = cond.acquire();
            state.ready += 1;
            results1.push(wait_notified(&cond, state));
            let mut state = cond.acquire();
            state.ready += 1;
            results2.push(wait_notified(&cond, state));
        }
    };
    let ready_at_least = |count| wait_until(&format!("{count} ready"), || cond.acquire().ready >= count);
    // CPython's `ready` is a fresh list in each call; here it outlives the call, and a count
    // left by the previous call would let the first wait below pass before any worker waits.
    cond.acquire().ready = 0;
    let bunch = Bunch::start(N, f);
    // First wait, to ensure all workers settle into cond.wait() before we continue.
    ready_at_least(N);
    cond.acquire().ready = 0;
    assert_eq!(results1.items(), []);

    // Notify 3 threads at first.
    let count1 = 3;
    {
        let mut state = cond.acquire();
        notify(cond, &mut state, count1 as u64);
        // Phase 1
        state.phase_num = 1;
    }
    wait_until("phase 1", || results1.len() >= count1);
    bunch.wait_threads_blocked();
    assert_eq!(results1.items(), [1; 3]);
    assert_eq!(results2.items(), []);

    // Wait until awakened workers are blocked on cond.wait().
    ready_at_least(count1);

    // Notify 5 threads: they might be in their first or second wait.
    {
        let mut state = cond.acquire();
        notify(cond, &mut state, 5);
        // Phase 2
        state.phase_num = 2;
    }
    wait_until("phase 2", || results1.len() + results2.len() >= N + count1);
    bunch.wait_threads_blocked();
    let count2 = N - count1;
    assert_eq!(results1.items(), [vec![1; count1], vec![2; count2]].concat());
    assert_eq!(results2.items(), vec![2; count1]);

    // Make sure all workers settle into cond.wait().
    ready_at_least(N);

    // Notify all threads: they are all in their second wait.
    {
        let mut state = cond.acquire();
        // Python's `notify_all()`: every waiter so far is notified.
        state.notified = state.next_waiter;
        cond.cond.notify_all();
        // Phase 3
        state.phase_num = 3;
    }
    bunch.finish();
    assert_eq!(results1.items(), [vec![1; count1], vec![2; count2]].concat());
    assert_eq!(results2.items(), [vec![2; count1], vec![3; count2]].concat());
}

// CPython 3.11 Lib/test/lock_tests.py, ConditionTests.test_notify
#[test]
fn test_notify() {
    let cond = Condition::new();
    check_notify(&cond);
    // A second time, to check internal state is still ok.
    check_notify(&cond);
}

// CPython 3.11 Lib/test/lock_tests.py, ConditionTests.test_timeout
#[test]
fn test_timeout() {
    const N: usize = 5;
    let timeout = Duration::from_millis(500);
    // Nobody ever sets it: the wait ends only by its timeout.
    let cond = Condition::<bool>::new();
    let results = Log::new();
    let bunch = Bunch::start(N, {
        let (cond, results) = (Arc::clone(&cond), results.clone());
        move || {
            let notified = cond.acquire();
            let t1 = Instant::now();
            let (notified, result) =
                cond.cond.wait_timeout_while(notified, timeout, |notified| !*notified).expect("no panic");
            let t2 = Instant::now();
            drop(notified);
            results.push((t2 - t1, result.timed_out()));
        }
    });
    bunch.finish();
    assert_eq!(results.len(), N);
    for (dt, timed_out) in results.items() {
        assert_waited_at_least(dt, timeout);
        assert!(timed_out, "a wait nobody notified did not time out");
    }
}

// CPython 3.11 Lib/test/lock_tests.py, ConditionTests.test_waitfor
// Python's `wait_for(lambda: state == 4)` is `wait_while(guard, |state| *state != 4)`.
#[test]
fn test_waitfor() {
    let cond = Condition::<usize>::new();
    let bunch = Bunch::start(1, {
        let cond = Arc::clone(&cond);
        move || {
            let state = cond.acquire();
            let state = cond.cond.wait_while(state, |state| *state != 4).expect("no panic");
            assert_eq!(*state, 4);
        }
    });
    for _ in 0..4 {
        thread::sleep(Duration::from_millis(10));
        *cond.acquire() += 1;
        cond.cond.notify_one();
    }
    bunch.finish();
}

// CPython 3.11 Lib/test/lock_tests.py, ConditionTests.test_waitfor_timeout
// Python's `wait_for(predicate, timeout=0.1)` is `wait_timeout_while`; it returns the
// predicate's value, and std's `WaitTimeoutResult::timed_out()` is its negation.
#[test]
fn test_waitfor_timeout() {
    let cond = Condition::<usize>::new();
    let success = Log::new();
    let bunch = Bunch::start(1, {
        let (cond, success) = (Arc::clone(&cond), success.clone());
        move || {
            let timeout = Duration::from_millis(100);
            let state = cond.acquire();
            let dt = Instant::now();
            let (state, result) =
                cond.cond.wait_timeout_while(state, timeout, |state| *state != 4).expect("no panic");
            let dt = dt.elapsed();
            assert!(result.timed_out(), "returned with state {} before the timeout", *state);
            assert_waited_at_least(dt, timeout);
            success.push(());
        }
    });
    // Only increment 3 times, so state == 4 is never reached.
    for _ in 0..3 {
        thread::sleep(Duration::from_millis(10));
        *cond.acquire() += 1;
        cond.cond.notify_one();
    }
    bunch.finish();
    assert_eq!(success.len(), 1);
}
