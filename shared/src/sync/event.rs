//! [`Event`]: a flag threads can wait on, Python's `threading.Event`.
//!
//! The code is the `event` example's own (`examples-threads/src/examples/event.rs`, shown in
//! the book): `build.rs` copies it out of the example, and it is compiled here with a
//! `Condvar` that counts the threads inside its waits ([`Event::waiting`], for tests), and
//! with loom's `Mutex` and `Condvar` under `--cfg loom`. One copy, checked by loom and by
//! CPython's ported tests.

// The example's code, which its book page documents.
#[allow(missing_docs)]
mod example {
    #[cfg(not(loom))]
    use std::time::Duration;

    use super::super::counted::Condvar;
    use super::super::imports::{Mutex, MutexGuard};

    include!(concat!(env!("OUT_DIR"), "/event.rs"));

    // Loom models no clock: the timeout is left out of a loom build.
    #[cfg(not(loom))]
    include!(concat!(env!("OUT_DIR"), "/wait_timeout.rs"));

    impl Event {
        /// How many threads are waiting for the event right now: for tests and
        /// diagnostics, like Python's `Barrier.n_waiting` (Python's `Event` has no such
        /// count). The answer may be stale as soon as it is returned.
        pub fn waiting(&self) -> usize {
            self.changed.waiting()
        }
    }
}

pub use example::Event;

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::thread;
    use std::time::Duration;

    #[test]
    fn starts_unset_and_set_clear_toggle_it() {
        let event = Event::default();
        assert!(!event.is_set());
        event.set();
        assert!(event.is_set());
        event.clear();
        assert!(!event.is_set());
    }

    #[test]
    fn wait_returns_at_once_when_already_set() {
        let event = Event::default();
        event.set();
        event.wait();
        assert!(event.wait_timeout(Duration::ZERO));
    }

    #[test]
    fn wait_timeout_gives_up_when_never_set() {
        let event = Event::default();
        assert!(!event.wait_timeout(Duration::from_millis(20)));
    }

    #[test]
    fn waiting_counts_the_threads_inside_wait() {
        let event = Arc::new(Event::default());
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
        let event = Arc::new(Event::default());
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
        let event = Arc::new(Event::default());
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
        let event = Event::default();
        event.set();
        event.clear();
        assert!(!event.wait_timeout(Duration::from_millis(20)));
        assert_eq!(event.waiting(), 0);
    }
}
