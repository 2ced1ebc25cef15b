//! Model checks of the hand-built [`Event`] and [`Semaphore`]: loom runs each closure under
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

use loom::sync::Arc;
use loom::sync::atomic::{AtomicUsize, Ordering};
use loom::thread;
use shared::sync::{Event, Semaphore};

/// Two threads wait while a third sets the event: both always wake, and see it set.
#[test]
fn event_set_wakes_every_waiter() {
    loom::model(|| {
        let event = Arc::new(Event::new());
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

/// A waiter that starts after the event was set does not wait at all.
#[test]
fn event_set_before_wait_is_not_lost() {
    loom::model(|| {
        let event = Arc::new(Event::new());
        let setter = thread::spawn({
            let event = Arc::clone(&event);
            move || event.set()
        });
        setter.join().expect("the setter panicked");
        event.wait();
    });
}

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
