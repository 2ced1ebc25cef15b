//! Model checks of the hand-built [`Semaphore`]: loom runs each closure under every
//! interleaving of its threads (every order in which they can take the mutex, be notified and
//! wake), and fails on a deadlock: threads all blocked, none able to go on. The scenarios are
//! the interleavings that CPython's semaphore tests (`Lib/test/lock_tests.py`) describe, each
//! citing its case.
//!
//! Only under `--cfg loom`, where `shared::sync` uses loom's `Mutex` and `Condvar`:
//!
//! ```text
//! RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=/tmp/target-loom cargo test -p shared --release --test loom_semaphore
//! ```
//!
//! What this proves: for these thread counts, no wake-up is lost, no thread waits forever and no
//! permit is counted twice, whatever the scheduler does. What it does not prove: anything about
//! more threads, or about `acquire_timeout`, which loom cannot model and which is left out of a
//! loom build.

#![cfg(loom)]

use loom::sync::Arc;
use loom::sync::atomic::{AtomicUsize, Ordering};
use loom::thread;
use shared::sync::{OverRelease, Semaphore};

/// The most times loom preempts a thread in the scenarios that bound it.
const PREEMPTION_BOUND: usize = 3;

/// Takes a permit and checks that nobody else holds one meanwhile.
fn hold_the_only_permit(semaphore: &Semaphore, holders: &AtomicUsize) {
    let _permit = semaphore.acquire();
    assert_eq!(holders.fetch_add(1, Ordering::SeqCst), 0, "two holders at once");
    holders.fetch_sub(1, Ordering::SeqCst);
}

/// Two workers and the main thread share one permit: never two holders at once, and every
/// thread gets its turn. (With three workers besides main, loom explores for minutes.)
#[test]
fn semaphore_one_permit_excludes_and_never_deadlocks() {
    loom::model(|| {
        let semaphore = Arc::new(Semaphore::new(1));
        let holders = Arc::new(AtomicUsize::new(0));
        let workers: Vec<_> = (0..2)
            .map(|_| {
                let semaphore = Arc::clone(&semaphore);
                let holders = Arc::clone(&holders);
                thread::spawn(move || hold_the_only_permit(&semaphore, &holders))
            })
            .collect();
        hold_the_only_permit(&semaphore, &holders);
        for worker in workers {
            worker.join().expect("a worker panicked");
        }
        assert_eq!(semaphore.available(), 1);
    });
}

/// `release` as a signal: a thread blocked in `acquire` on an empty semaphore always wakes.
#[test]
fn semaphore_release_wakes_a_waiter() {
    loom::model(|| {
        let semaphore = Arc::new(Semaphore::bounded(1));
        semaphore.acquire().forget();
        let waiter = thread::spawn({
            let semaphore = Arc::clone(&semaphore);
            move || semaphore.acquire().forget()
        });
        semaphore.release().expect("one permit is out, so one release is allowed");
        waiter.join().expect("the waiter panicked");
        assert_eq!(semaphore.available(), 0);
    });
}

/// CPython 3.11 Lib/test/lock_tests.py, BaseSemaphoreTests.test_acquire_contended: each
/// `release` lets one waiter through, never more: no thread gets a permit that was not
/// released.
#[test]
fn semaphore_each_release_lets_one_waiter_through() {
    // Three threads and two counters give loom millions of interleavings; bounding how often
    // a thread is preempted keeps the run to seconds (loom's docs: most bugs need 2 or 3).
    let mut model = loom::model::Builder::new();
    model.preemption_bound = Some(PREEMPTION_BOUND);
    model.check(|| {
        let semaphore = Arc::new(Semaphore::new(0));
        let released = Arc::new(AtomicUsize::new(0));
        let acquired = Arc::new(AtomicUsize::new(0));
        let waiters: Vec<_> = (0..2)
            .map(|_| {
                let (semaphore, released, acquired) =
                    (Arc::clone(&semaphore), Arc::clone(&released), Arc::clone(&acquired));
                thread::spawn(move || {
                    semaphore.acquire().forget();
                    let acquired = acquired.fetch_add(1, Ordering::SeqCst) + 1;
                    assert!(acquired <= released.load(Ordering::SeqCst), "more acquires than releases");
                })
            })
            .collect();
        for _ in 0..2 {
            released.fetch_add(1, Ordering::SeqCst);
            semaphore.release().expect("an unbounded semaphore takes any release");
        }
        for waiter in waiters {
            waiter.join().expect("a waiter panicked");
        }
        assert_eq!(semaphore.available(), 0);
    });
}

/// CPython 3.11 Lib/test/lock_tests.py, BaseSemaphoreTests.test_multirelease: one
/// `release(2)` (here `release_many(2)`) wakes both of two blocked waiters.
#[test]
fn semaphore_release_many_wakes_as_many_waiters() {
    loom::model(|| {
        let semaphore = Arc::new(Semaphore::new(0));
        let waiters: Vec<_> = (0..2)
            .map(|_| {
                let semaphore = Arc::clone(&semaphore);
                thread::spawn(move || semaphore.acquire().forget())
            })
            .collect();
        semaphore.release_many(2).expect("an unbounded semaphore takes any release");
        for waiter in waiters {
            waiter.join().expect("a waiter panicked");
        }
        assert_eq!(semaphore.available(), 0);
    });
}

/// CPython 3.11 Lib/test/lock_tests.py, BaseSemaphoreTests.test_try_acquire_contended: two
/// threads try for the one free permit at once; exactly one gets it.
#[test]
fn semaphore_try_acquire_contended_gives_the_permit_once() {
    loom::model(|| {
        let semaphore = Arc::new(Semaphore::new(1));
        let other = thread::spawn({
            let semaphore = Arc::clone(&semaphore);
            move || semaphore.try_acquire().map(|permit| permit.forget()).is_some()
        });
        let mine = semaphore.try_acquire().map(|permit| permit.forget()).is_some();
        let theirs = other.join().expect("the other thread panicked");
        assert!(mine != theirs, "both or neither got the permit (mine {mine}, theirs {theirs})");
        assert_eq!(semaphore.available(), 0);
    });
}

/// CPython 3.11 Lib/test/lock_tests.py, BoundedSemaphoreTests.test_release_unacquired, raced:
/// with one permit out of a bounded semaphore, two threads release at once; exactly one
/// succeeds, and the count never passes the bound.
#[test]
fn bounded_semaphore_racing_releases_pass_the_bound_never() {
    loom::model(|| {
        let semaphore = Arc::new(Semaphore::bounded(1));
        semaphore.acquire().forget();
        let other = thread::spawn({
            let semaphore = Arc::clone(&semaphore);
            move || semaphore.release()
        });
        let mine = semaphore.release();
        let theirs = other.join().expect("the other thread panicked");
        let mut outcomes = [mine, theirs];
        outcomes.sort_by_key(Result::is_err);
        assert_eq!(outcomes, [Ok(()), Err(OverRelease)]);
        assert_eq!(semaphore.available(), 1);
    });
}

/// The same race with the permit's guard: a thread drops its `Permit` while another calls
/// `release` for it (the bug a bounded semaphore is there to catch). Whichever comes first,
/// the count ends at the bound, not above it.
#[test]
fn bounded_semaphore_release_racing_a_permit_drop_stays_within_the_bound() {
    loom::model(|| {
        let semaphore = Arc::new(Semaphore::bounded(1));
        let holder = thread::spawn({
            let semaphore = Arc::clone(&semaphore);
            move || drop(semaphore.acquire())
        });
        // Either before the holder acquires (refused: no permit is out) or while it holds
        // the permit (allowed, and its drop then adds nothing) or after (refused).
        let _refused_or_not = semaphore.release();
        holder.join().expect("the holder panicked");
        assert_eq!(semaphore.available(), 1);
    });
}
