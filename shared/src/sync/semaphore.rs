//! [`Semaphore`]: a counter of permits, Python's `threading.Semaphore` and `BoundedSemaphore`.

use std::fmt;
#[cfg(not(loom))]
use std::time::Duration;

use super::imports::{Condvar, Mutex, MutexGuard};
use super::unpoisoned;

/// A count of permits: [`acquire`](Semaphore::acquire) takes one, waiting while there are
/// none; dropping the [`Permit`] it returns gives it back. Python's `threading.Semaphore`
/// ([`Semaphore::new`]) and `BoundedSemaphore` ([`Semaphore::bounded`]), built from a
/// `Mutex<usize>` and a `Condvar`, since std has no semaphore.
///
/// At most `permits` threads hold a permit at once: the usual use is to limit how many
/// threads use a scarce resource (connections, memory, a device) at the same time.
///
/// ```
/// use shared::sync::Semaphore;
///
/// let connections = Semaphore::new(2);
/// let first = connections.acquire();
/// let second = connections.acquire();
/// assert!(connections.try_acquire().is_none(), "both permits are taken");
/// drop(first);
/// assert!(connections.try_acquire().is_some());
/// # drop(second);
/// ```
// ANCHOR: fields
#[derive(Debug)]
pub struct Semaphore {
    available: Mutex<usize>,
    /// `Some(initial permits)` for a bounded semaphore: more permits than that is a
    /// bug.
    bound: Option<usize>,
    released: Condvar,
}
// ANCHOR_END: fields

/// One permit of a [`Semaphore`], given back when dropped (Python's `with semaphore:`).
#[must_use = "dropping a permit gives it back at once"]
#[derive(Debug)]
pub struct Permit<'a> {
    semaphore: &'a Semaphore,
}

/// The error of [`Semaphore::release`] on a bounded semaphore that already has all its
/// permits: the release has no matching acquire (Python raises `ValueError`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverRelease {
    /// The semaphore's bound: its initial number of permits.
    pub bound: usize,
}

impl fmt::Display for OverRelease {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a release without a matching acquire: no permit is out (bound {})", self.bound)
    }
}

impl std::error::Error for OverRelease {}

impl Semaphore {
    /// A semaphore with `permits` permits that [`release`](Semaphore::release) can raise
    /// without limit (Python's `Semaphore(permits)`).
    pub fn new(permits: usize) -> Self {
        Self { available: Mutex::new(permits), bound: None, released: Condvar::new() }
    }

    /// A semaphore that never has more than `permits` permits: a [`release`](Semaphore::release)
    /// beyond that is an error (Python's `BoundedSemaphore(permits)`).
    pub fn bounded(permits: usize) -> Self {
        Self { bound: Some(permits), ..Self::new(permits) }
    }

    // ANCHOR: acquire
    /// Takes a permit, waiting until one is free (Python's `acquire()`).
    pub fn acquire(&self) -> Permit<'_> {
        let mut available = unpoisoned(self.available.lock());
        // A loop: another thread may take the permit between the notification and our
        // wake-up, and a condition variable may wake a thread spuriously.
        while *available == 0 {
            available = unpoisoned(self.released.wait(available));
        }
        self.take(available)
    }
    // ANCHOR_END: acquire

    /// Takes a permit if one is free now, without waiting (Python's `acquire(blocking=False)`).
    pub fn try_acquire(&self) -> Option<Permit<'_>> {
        let available = unpoisoned(self.available.lock());
        (*available > 0).then(|| self.take(available))
    }

    /// Takes a permit, waiting at most `timeout` for one (Python's `acquire(timeout=…)`).
    #[cfg(not(loom))]
    pub fn acquire_timeout(&self, timeout: Duration) -> Option<Permit<'_>> {
        let available = unpoisoned(self.available.lock());
        let (available, _) =
            unpoisoned(self.released.wait_timeout_while(available, timeout, |available| *available == 0));
        (*available > 0).then(|| self.take(available))
    }

    /// Adds a permit that no [`Permit`] stands for (Python's `release()`): for a permit kept
    /// with [`Permit::forget`], or to signal another thread. Fails on a bounded semaphore that
    /// already has all its permits.
    pub fn release(&self) -> Result<(), OverRelease> {
        self.release_many(1)
    }

    /// Adds `n` permits at once and wakes up to `n` waiters (Python's `release(n)`). A bounded
    /// semaphore refuses the whole release, adding nothing, if it would pass the bound. With
    /// `n == 0` it does nothing (Python raises `ValueError`).
    ///
    /// # Panics
    ///
    /// If an unbounded semaphore would count more than `usize::MAX` permits.
    pub fn release_many(&self, n: usize) -> Result<(), OverRelease> {
        let mut available = unpoisoned(self.available.lock());
        let after = available.checked_add(n);
        if let Some(bound) = self.bound.filter(|&bound| after.is_none_or(|after| after > bound)) {
            return Err(OverRelease { bound });
        }
        *available = after.expect("an unbounded semaphore counts at most usize::MAX permits");
        // One permit can let one waiter go on; several, possibly all of them (each rechecks).
        match n {
            0 => {}
            1 => self.released.notify_one(),
            _ => self.released.notify_all(),
        }
        Ok(())
    }

    /// How many permits are free right now.
    pub fn available(&self) -> usize {
        *unpoisoned(self.available.lock())
    }

    fn take(&self, mut available: MutexGuard<'_, usize>) -> Permit<'_> {
        *available -= 1;
        Permit { semaphore: self }
    }
}

impl Permit<'_> {
    /// Keeps the permit taken: the semaphore gets it back only from a later
    /// [`Semaphore::release`] (Python's `acquire()` without a matching `release()`).
    pub fn forget(self) {
        std::mem::forget(self);
    }
}

// ANCHOR: give_back
impl Drop for Permit<'_> {
    fn drop(&mut self) {
        let mut available = unpoisoned(self.semaphore.available.lock());
        // A bounded semaphore stays within its bound even when `release` was called
        // for this very permit: that extra `release` is the bug, and it already
        // succeeded.
        if self.semaphore.bound.is_none_or(|bound| *available < bound) {
            *available += 1;
        }
        // One permit came back, so one waiter can go on.
        self.semaphore.released.notify_one();
    }
}
// ANCHOR_END: give_back

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::thread;

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
        assert_eq!(
            OverRelease { bound: 3 }.to_string(),
            "a release without a matching acquire: no permit is out (bound 3)"
        );
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
        assert_eq!(semaphore.release(), Err(OverRelease { bound: 1 }));
        semaphore.acquire().forget();
        assert_eq!(semaphore.available(), 0);
        assert_eq!(semaphore.release(), Ok(()));
        assert_eq!(semaphore.available(), 1);
    }

    #[test]
    fn bounded_release_many_is_all_or_nothing() {
        let semaphore = Semaphore::bounded(2);
        semaphore.acquire().forget();
        assert_eq!(semaphore.release_many(2), Err(OverRelease { bound: 2 }));
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
