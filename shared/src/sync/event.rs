//! [`Event`]: a flag threads can wait on, Python's `threading.Event`.

#[cfg(not(loom))]
use std::time::Duration;

use super::imports::{Condvar, Mutex};
use super::unpoisoned;

/// A flag that starts unset; [`wait`](Event::wait) blocks until some thread calls
/// [`set`](Event::set). Python's `threading.Event`, built from a `Mutex` and a
/// `Condvar`.
///
/// Every waiter wakes when the flag is set, and a waiter that comes later does not
/// wait at all: the flag, not the notification, is what a waiter checks, so no
/// wake-up is lost. A waiter also counts the `set` calls, so that a `set` followed at
/// once by a `clear` still wakes it, as in Python (CPython's
/// `EventTests.test_set_and_clear`, bug gh-57711).
///
/// ```
/// use std::sync::Arc;
/// use shared::sync::Event;
///
/// let ready = Arc::new(Event::new());
/// let waiter = std::thread::spawn({
///     let ready = Arc::clone(&ready);
///     move || ready.wait()
/// });
/// ready.set();
/// waiter.join().expect("the waiter does not panic");
/// assert!(ready.is_set());
/// ```
// ANCHOR: event
#[derive(Debug)]
pub struct Event {
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Debug)]
struct State {
    is_set: bool,
    /// How many times `set` was called: a waiter that sees it change was set free,
    /// even if `clear` ran before the waiter woke and the flag alone says "not set".
    sets: u64,
    /// How many threads are inside `wait` or `wait_timeout`.
    waiting: usize,
}

impl State {
    /// Whether a waiter that started when `sets` was `sets_at_start` may go on.
    fn set_since(&self, sets_at_start: u64) -> bool {
        self.is_set || self.sets != sets_at_start
    }
}

impl Event {
    /// A new event, not set.
    pub fn new() -> Self {
        let state = State { is_set: false, sets: 0, waiting: 0 };
        Self { state: Mutex::new(state), changed: Condvar::new() }
    }

    /// Sets the flag and wakes every thread waiting for it (Python's `set`).
    pub fn set(&self) {
        let mut state = unpoisoned(self.state.lock());
        state.is_set = true;
        state.sets = state.sets.wrapping_add(1);
        // The state changed under the lock: a waiter is either before its check (and
        // will see the flag set) or inside `wait` (and gets this notification); none
        // is in between. Notifying before or after the unlock is equally correct.
        self.changed.notify_all();
    }

    /// Unsets the flag (Python's `clear`); later waiters block until the next `set`.
    /// A thread already waiting when `set` ran still returns, even if it wakes after
    /// this `clear`.
    pub fn clear(&self) {
        unpoisoned(self.state.lock()).is_set = false;
    }

    /// Whether the flag is set right now (Python's `is_set`).
    pub fn is_set(&self) -> bool {
        unpoisoned(self.state.lock()).is_set
    }

    /// How many threads are waiting for the event right now: for tests and
    /// diagnostics, like Python's `Barrier.n_waiting` (Python's `Event` has no such
    /// count). The answer may be stale as soon as it is returned.
    pub fn waiting(&self) -> usize {
        unpoisoned(self.state.lock()).waiting
    }

    /// Blocks until the flag is set; returns at once if it already is (Python's
    /// `wait()`).
    pub fn wait(&self) {
        let mut state = unpoisoned(self.state.lock());
        let sets_at_start = state.sets;
        state.waiting += 1;
        // A loop, not an `if`: a condition variable may wake a thread spuriously.
        while !state.set_since(sets_at_start) {
            state = unpoisoned(self.changed.wait(state));
        }
        state.waiting -= 1;
    }

    /// Blocks until the flag is set or `timeout` has passed; returns whether it was
    /// set (Python's `wait(timeout)`): `true` also when a `clear` followed the `set`
    /// that woke it.
    #[cfg(not(loom))]
    pub fn wait_timeout(&self, timeout: Duration) -> bool {
        let mut state = unpoisoned(self.state.lock());
        let sets_at_start = state.sets;
        state.waiting += 1;
        let still_waiting = |state: &mut State| !state.set_since(sets_at_start);
        let waited = self.changed.wait_timeout_while(state, timeout, still_waiting);
        let (mut state, _) = unpoisoned(waited);
        state.waiting -= 1;
        state.set_since(sets_at_start)
    }
}

// ANCHOR_END: event

impl Default for Event {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::thread;

    #[test]
    fn starts_unset_and_set_clear_toggle_it() {
        let event = Event::new();
        assert!(!event.is_set());
        event.set();
        assert!(event.is_set());
        event.clear();
        assert!(!event.is_set());
    }

    #[test]
    fn wait_returns_at_once_when_already_set() {
        let event = Event::new();
        event.set();
        event.wait();
        assert!(event.wait_timeout(Duration::ZERO));
    }

    #[test]
    fn wait_timeout_gives_up_when_never_set() {
        let event = Event::new();
        assert!(!event.wait_timeout(Duration::from_millis(20)));
    }

    #[test]
    fn waiting_counts_the_threads_inside_wait() {
        let event = Arc::new(Event::new());
        assert_eq!(event.waiting(), 0);
        let waiter = thread::spawn({
            let event = Arc::clone(&event);
            move || event.wait_timeout(Duration::from_secs(10))
        });
        // Bounded: the waiter counts itself in within the 10 s it waits at most.
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while event.waiting() == 0 && std::time::Instant::now() < deadline {
            thread::yield_now();
        }
        assert_eq!(event.waiting(), 1);
        event.set();
        assert!(waiter.join().expect("the waiter panicked"), "the waiter timed out");
        assert_eq!(event.waiting(), 0);
    }

    /// Waits, at most 10 s, until `count` threads are inside `wait` or `wait_timeout`.
    fn until_waiting(event: &Event, count: usize) {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while event.waiting() < count && std::time::Instant::now() < deadline {
            thread::yield_now();
        }
        assert_eq!(event.waiting(), count, "not every waiter got inside wait within 10 s");
    }

    /// The path the name says: every waiter is already blocked when `set` comes (not one
    /// that arrives after it and returns at once), and each is woken by it, long before
    /// its own timeout.
    #[test]
    fn set_wakes_every_waiter() {
        let event = Arc::new(Event::new());
        let waiters: Vec<_> = (0..4)
            .map(|_| {
                let event = Arc::clone(&event);
                thread::spawn(move || event.wait_timeout(Duration::from_secs(10)))
            })
            .collect();
        until_waiting(&event, 4);
        let set_at = std::time::Instant::now();
        event.set();
        for waiter in waiters {
            assert!(waiter.join().expect("a waiter panicked"), "a waiter timed out");
        }
        assert!(set_at.elapsed() < Duration::from_secs(5), "the waiters were not woken by set");
        assert_eq!(event.waiting(), 0);
    }

    /// Blocked waiters (`wait` and `wait_timeout`) stay blocked while the event is unset,
    /// and a `clear` right after the `set` does not strand them (gh-57711).
    #[test]
    fn set_then_clear_still_wakes_blocked_waiters() {
        let event = Arc::new(Event::new());
        let timed = thread::spawn({
            let event = Arc::clone(&event);
            move || event.wait_timeout(Duration::from_secs(10))
        });
        let untimed = thread::spawn({
            let event = Arc::clone(&event);
            move || event.wait()
        });
        until_waiting(&event, 2);
        thread::sleep(Duration::from_millis(20));
        assert!(!timed.is_finished() && !untimed.is_finished(), "a waiter returned while unset");
        event.set();
        event.clear();
        assert!(timed.join().expect("the timed waiter panicked"), "wait_timeout said unset");
        untimed.join().expect("the waiter panicked");
        assert!(!event.is_set());
        assert_eq!(event.waiting(), 0);
    }

    /// A waiter that starts after `set` then `clear` waits for the next `set`: the count of
    /// sets it compares is the one at its own start.
    #[test]
    fn a_waiter_after_set_and_clear_waits_for_the_next_set() {
        let event = Event::new();
        event.set();
        event.clear();
        assert!(!event.wait_timeout(Duration::from_millis(20)));
        assert_eq!(event.waiting(), 0);
    }
}
