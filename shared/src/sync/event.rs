//! [`Event`]: a flag threads can wait on, Python's `threading.Event`.

#[cfg(not(loom))]
use std::time::Duration;

use super::imports::{Condvar, Mutex};
use super::unpoisoned;

/// A flag that starts unset; [`wait`](Event::wait) blocks until some thread calls
/// [`set`](Event::set). Python's `threading.Event`, built from a `Mutex<bool>` and a `Condvar`.
///
/// Every waiter wakes when the flag is set, and a waiter that comes later does not wait at
/// all: the flag, not the notification, is what a waiter checks, so no wake-up is lost.
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
    is_set: Mutex<bool>,
    changed: Condvar,
}

impl Event {
    /// A new event, not set.
    pub fn new() -> Self {
        Self { is_set: Mutex::new(false), changed: Condvar::new() }
    }

    /// Sets the flag and wakes every thread waiting for it (Python's `set`).
    pub fn set(&self) {
        let mut is_set = unpoisoned(self.is_set.lock());
        *is_set = true;
        // Notify while holding the lock: a waiter is either before its check (and
        // will see `true`) or inside `wait` (and gets this notification); none is in
        // between.
        self.changed.notify_all();
    }

    /// Unsets the flag (Python's `clear`); later waiters block until the next `set`.
    pub fn clear(&self) {
        *unpoisoned(self.is_set.lock()) = false;
    }

    /// Whether the flag is set right now (Python's `is_set`).
    pub fn is_set(&self) -> bool {
        *unpoisoned(self.is_set.lock())
    }

    /// Blocks until the flag is set; returns at once if it already is (Python's
    /// `wait()`).
    pub fn wait(&self) {
        let mut is_set = unpoisoned(self.is_set.lock());
        // A loop, not an `if`: a condition variable may wake a thread spuriously.
        while !*is_set {
            is_set = unpoisoned(self.changed.wait(is_set));
        }
    }

    /// Blocks until the flag is set or `timeout` has passed; returns whether it is
    /// set (Python's `wait(timeout)`).
    #[cfg(not(loom))]
    pub fn wait_timeout(&self, timeout: Duration) -> bool {
        let is_set = unpoisoned(self.is_set.lock());
        let waited = self.changed.wait_timeout_while(is_set, timeout, |set| !*set);
        let (is_set, _) = unpoisoned(waited);
        *is_set
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
    fn set_wakes_every_waiter() {
        let event = Arc::new(Event::new());
        let waiters: Vec<_> = (0..4)
            .map(|_| {
                let event = Arc::clone(&event);
                thread::spawn(move || event.wait_timeout(Duration::from_secs(10)))
            })
            .collect();
        event.set();
        for waiter in waiters {
            assert!(waiter.join().expect("a waiter panicked"), "a waiter timed out");
        }
    }
}
