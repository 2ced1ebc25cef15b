//! [`Semaphore`]: a counter of permits, Python's `threading.Semaphore` and `BoundedSemaphore`.
//!
//! The type is the `semaphore` example's own (`examples-threads/src/examples/semaphore.rs`,
//! shown in the book): `build.rs` copies it out of the example, and it is compiled here with
//! loom's `Mutex` and `Condvar` under `--cfg loom`. What the project needs beyond the lesson
//! (a non-blocking and a timed acquire, `release(n)`, a count, a permit kept taken, the error's
//! text) is added here, in the same module, so that it reaches the example's private fields.
//!
//! ```
//! use shared::sync::Semaphore;
//!
//! let connections = Semaphore::new(2);
//! let first = connections.acquire();
//! let second = connections.acquire();
//! assert!(connections.try_acquire().is_none(), "both permits are taken");
//! drop(first);
//! assert!(connections.try_acquire().is_some());
//! # drop(second);
//! ```

use std::fmt;

pub use example::{OverRelease, Permit, Semaphore};

// The example's code, which its book page documents.
#[allow(missing_docs)]
mod example {
    #[cfg(not(loom))]
    use std::time::Duration;

    use super::super::imports::{Condvar, Mutex, MutexGuard};

    include!(concat!(env!("OUT_DIR"), "/semaphore_type.rs"));

    impl Semaphore {
        /// Takes a permit if one is free now, without waiting (Python's
        /// `acquire(blocking=False)`).
        pub fn try_acquire(&self) -> Option<Permit<'_>> {
            self.take(self.guard())
        }

        /// Takes a permit, waiting at most `timeout` for one (Python's `acquire(timeout=…)`).
        #[cfg(not(loom))]
        pub fn acquire_timeout(&self, timeout: Duration) -> Option<Permit<'_>> {
            let (available, _) = self
                .released
                .wait_timeout_while(self.guard(), timeout, |available| *available == 0)
                .expect("no thread panics holding the lock");
            self.take(available)
        }

        /// Adds `n` permits at once and wakes up to `n` waiters (Python's `release(n)`). A
        /// bounded semaphore refuses the whole release, adding nothing, if it would pass the
        /// bound. With `n == 0` it does nothing (Python raises `ValueError`).
        ///
        /// # Panics
        ///
        /// If an unbounded semaphore would count more than `usize::MAX` permits.
        pub fn release_many(&self, n: usize) -> Result<(), OverRelease> {
            let mut available = self.guard();
            let after = available.checked_add(n);
            if self.bound.is_some_and(|bound| after.is_none_or(|after| after > bound)) {
                return Err(OverRelease);
            }
            *available = after.expect("an unbounded semaphore counts at most usize::MAX permits");
            // One permit can let one waiter go on; several, possibly all of them (each
            // rechecks).
            match n {
                0 => {}
                1 => self.released.notify_one(),
                _ => self.released.notify_all(),
            }
            Ok(())
        }

        /// How many permits are free right now.
        pub fn available(&self) -> usize {
            *self.guard()
        }

        fn guard(&self) -> MutexGuard<'_, usize> {
            self.available.lock().expect("no thread panics holding the lock")
        }

        /// A permit if one is free under `available`'s lock.
        fn take(&self, mut available: MutexGuard<'_, usize>) -> Option<Permit<'_>> {
            (*available > 0).then(|| {
                *available -= 1;
                Permit(self)
            })
        }
    }

    impl Permit<'_> {
        /// Keeps the permit taken: the semaphore gets it back only from a later
        /// [`Semaphore::release`] (Python's `acquire()` without a matching `release()`).
        pub fn forget(self) {
            std::mem::forget(self);
        }
    }
}

impl fmt::Display for OverRelease {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a release without a matching acquire: no permit is out")
    }
}

impl std::error::Error for OverRelease {}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::thread;
    use std::time::Duration;

    #[test]
    fn permits_are_counted() {
        let semaphore = Semaphore::new(2);
        let first = semaphore.acquire();
        let second = semaphore.try_acquire().expect("a second permit");
        assert_eq!(semaphore.available(), 0);
        assert!(semaphore.try_acquire().is_none());
        assert!(semaphore.acquire_timeout(Duration::from_millis(10)).is_none());
        drop(first);
        assert_eq!(semaphore.available(), 1);
        drop(second);
        assert_eq!(semaphore.available(), 2);
    }

    #[test]
    fn over_release_says_what_went_wrong() {
        assert_eq!(OverRelease.to_string(), "a release without a matching acquire: no permit is out");
    }

    #[test]
    fn unbounded_release_adds_permits() {
        let semaphore = Semaphore::new(0);
        semaphore.release().expect("an unbounded semaphore takes any release");
        semaphore.release().expect("an unbounded semaphore takes any release");
        assert_eq!(semaphore.available(), 2);
    }

    #[test]
    fn bounded_release_beyond_the_bound_is_an_error() {
        let semaphore = Semaphore::bounded(1);
        assert_eq!(semaphore.release(), Err(OverRelease));
        semaphore.acquire().forget();
        assert_eq!(semaphore.available(), 0);
        assert_eq!(semaphore.release(), Ok(()));
        assert_eq!(semaphore.available(), 1);
    }

    #[test]
    fn bounded_release_many_is_all_or_nothing() {
        let semaphore = Semaphore::bounded(2);
        semaphore.acquire().forget();
        assert_eq!(semaphore.release_many(2), Err(OverRelease));
        assert_eq!(semaphore.available(), 1, "a refused release added permits");
        assert_eq!(semaphore.release_many(0), Ok(()));
        assert_eq!(semaphore.release_many(1), Ok(()));
        assert_eq!(semaphore.available(), 2);
    }

    #[test]
    fn bounded_drop_stays_within_the_bound() {
        let semaphore = Semaphore::bounded(1);
        let permit = semaphore.acquire();
        semaphore.release().expect("below the bound while the permit is out");
        drop(permit);
        assert_eq!(semaphore.available(), 1);
    }

    #[test]
    fn never_more_holders_than_permits() {
        let semaphore = Semaphore::new(2);
        let holders = AtomicUsize::new(0);
        let most_holders = AtomicUsize::new(0);
        thread::scope(|scope| {
            for _ in 0..6 {
                scope.spawn(|| {
                    for _ in 0..100 {
                        let _permit = semaphore.acquire_timeout(Duration::from_secs(10)).expect("a permit");
                        let now = holders.fetch_add(1, Ordering::SeqCst) + 1;
                        most_holders.fetch_max(now, Ordering::SeqCst);
                        thread::yield_now();
                        holders.fetch_sub(1, Ordering::SeqCst);
                    }
                });
            }
        });
        assert!(most_holders.into_inner() <= 2);
        assert_eq!(semaphore.available(), 2);
    }
}
