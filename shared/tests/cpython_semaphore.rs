//! CPython's own tests of `threading.Semaphore` and `BoundedSemaphore`, ported to
//! [`shared::sync::Semaphore`]: the classes `BaseSemaphoreTests`, `SemaphoreTests` and
//! `BoundedSemaphoreTests` of CPython 3.11's `Lib/test/lock_tests.py` (checked against 3.11.7,
//! the file `python3 -c "import test.lock_tests as t; print(t.__file__)"` prints).
//!
//! CPython runs every `BaseSemaphoreTests` case twice, once per subclass; so do these: module
//! `semaphore_tests` with [`Semaphore::new`] (Python's `Semaphore`) and module
//! `bounded_semaphore_tests` with [`Semaphore::bounded`] (`BoundedSemaphore`), each test named
//! after the case it ports. Every wait has a deadline, so a divergence fails instead of hanging.
//!
//! Python's `acquire()` takes a permit and keeps it until some `release()`; in Rust, `acquire`
//! returns a [`Permit`] that gives the permit back when dropped, so the ports keep a permit the
//! Python way with [`Permit::forget`].
//!
//! Not ported, because they cannot apply to a Rust API:
//! - `BaseSemaphoreTests.test_constructor`: checks that a negative initial value raises
//!   `ValueError`; the Rust count is a `usize`, so a negative value does not compile.
//! - The first line of `BaseSemaphoreTests.test_acquire_timeout`: `acquire(False, timeout=1.0)`
//!   raises `ValueError`; in Rust "don't block" (`try_acquire`) takes no timeout to conflict
//!   with. The rest of the case is ported.
//! - `SemaphoreTests.test_repr`, `BoundedSemaphoreTests.test_repr`: test the text of Python's
//!   `repr()`; `Semaphore` has no `Debug` text to compare it with.
//!
//! `BaseSemaphoreTests.test_default_value` is ported with the value 1 written out: Rust has no
//! default arguments, and `Semaphore` has no `Default`.

#![cfg(not(loom))]

mod lock_tests;

use std::panic;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use lock_tests::{Bunch, Log, assert_waited_at_least, wait_until};
use shared::sync::{OverRelease, Permit, Semaphore};

/// A constructor: `Semaphore::new` or `Semaphore::bounded` (CPython's `self.semtype`).
type SemType = fn(usize) -> Semaphore;

/// Python's `sem.acquire(False)`: takes a permit if one is free, and keeps it.
fn acquire_no_wait(sem: &Semaphore) -> bool {
    sem.try_acquire().map(Permit::forget).is_some()
}

// CPython 3.11 Lib/test/lock_tests.py, BaseSemaphoreTests.test_acquire
fn test_acquire(semtype: SemType) {
    let sem = semtype(1);
    sem.acquire().forget();
    sem.release().expect("one permit is out");
    let sem = semtype(2);
    sem.acquire().forget();
    sem.acquire().forget();
    sem.release().expect("two permits are out");
    sem.release().expect("one permit is out");
}

// CPython 3.11 Lib/test/lock_tests.py, BaseSemaphoreTests.test_acquire_destroy
// (In Rust a `Permit` borrows its semaphore: the semaphore can be dropped while a permit is
// out only if that permit was forgotten, as here.)
fn test_acquire_destroy(semtype: SemType) {
    let sem = semtype(1);
    sem.acquire().forget();
    // Python's `del sem`: the semaphore goes at the end of this scope, its permit still out.
}

/// The body of `test_acquire_contended` and `test_multirelease`, which differ only in
/// releasing one permit at a time or `count` at once.
fn check_acquire_contended(semtype: SemType, release: fn(&Semaphore, usize)) {
    let sem_value = 7;
    let sem = Arc::new(semtype(sem_value));
    sem.acquire().forget();

    let results1 = Log::new();
    let results2 = Log::new();
    let phase_num = Arc::new(AtomicUsize::new(0));
    let func = {
        let (sem, results1, results2, phase_num) =
            (Arc::clone(&sem), results1.clone(), results2.clone(), Arc::clone(&phase_num));
        move || {
            sem.acquire().forget();
            results1.push(phase_num.load(Ordering::SeqCst));
            sem.acquire().forget();
            results2.push(phase_num.load(Ordering::SeqCst));
        }
    };
    let acquired = || {
        let mut all = results1.items();
        all.extend(results2.items());
        all.sort_unstable();
        all
    };
    let bunch = Bunch::start(10, func);
    let wait_count = |count: usize| {
        wait_until(&format!("{count} acquisitions"), || results1.len() + results2.len() >= count);
        // CPython compares at once; letting the other threads block first also catches an
        // acquisition too many.
        bunch.wait_threads_blocked();
    };

    // Phase 0
    let count1 = sem_value - 1;
    wait_count(count1);
    assert_eq!(acquired(), vec![0; count1]);

    // Phase 1
    phase_num.store(1, Ordering::SeqCst);
    let count2 = sem_value;
    release(&sem, count2);
    wait_count(count1 + count2);
    assert_eq!(acquired(), [vec![0; count1], vec![1; count2]].concat());

    // Phase 2
    phase_num.store(2, Ordering::SeqCst);
    let count3 = sem_value - 1;
    release(&sem, count3);
    wait_count(count1 + count2 + count3);
    assert_eq!(acquired(), [vec![0; count1], vec![1; count2], vec![2; count3]].concat());
    // The semaphore is still locked.
    assert!(!acquire_no_wait(&sem));

    // Final release, to let the last thread finish.
    sem.release().expect("the last thread waits for this permit");
    bunch.finish();
    assert_eq!(acquired().len(), count1 + count2 + count3 + 1);
}

fn release_one_at_a_time(sem: &Semaphore, count: usize) {
    for _ in 0..count {
        sem.release().expect("each release matches an acquire");
    }
}

fn release_at_once(sem: &Semaphore, count: usize) {
    sem.release_many(count).expect("the releases match acquires");
}

// CPython 3.11 Lib/test/lock_tests.py, BaseSemaphoreTests.test_acquire_contended
fn test_acquire_contended(semtype: SemType) {
    check_acquire_contended(semtype, release_one_at_a_time);
}

// CPython 3.11 Lib/test/lock_tests.py, BaseSemaphoreTests.test_multirelease
// (Python's `release(n)` is `release_many(n)`.)
fn test_multirelease(semtype: SemType) {
    check_acquire_contended(semtype, release_at_once);
}

// CPython 3.11 Lib/test/lock_tests.py, BaseSemaphoreTests.test_try_acquire
fn test_try_acquire(semtype: SemType) {
    let sem = semtype(2);
    assert!(acquire_no_wait(&sem));
    assert!(acquire_no_wait(&sem));
    assert!(!acquire_no_wait(&sem));
    sem.release().expect("two permits are out");
    assert!(acquire_no_wait(&sem));
}

// CPython 3.11 Lib/test/lock_tests.py, BaseSemaphoreTests.test_try_acquire_contended
fn test_try_acquire_contended(semtype: SemType) {
    let sem = Arc::new(semtype(4));
    sem.acquire().forget();
    let results = Log::new();
    let bunch = Bunch::start(5, {
        let (sem, results) = (Arc::clone(&sem), results.clone());
        move || {
            results.push(acquire_no_wait(&sem));
            results.push(acquire_no_wait(&sem));
        }
    });
    bunch.finish();
    let mut results = results.items();
    results.sort_unstable();
    assert_eq!(results, [[false; 7].as_slice(), &[true; 3]].concat());
}

// CPython 3.11 Lib/test/lock_tests.py, BaseSemaphoreTests.test_acquire_timeout
fn test_acquire_timeout(semtype: SemType) {
    let acquire_within =
        |sem: &Semaphore, timeout| sem.acquire_timeout(timeout).map(Permit::forget).is_some();
    let short = Duration::from_millis(5);
    let sem = semtype(2);
    assert!(acquire_within(&sem, short));
    assert!(acquire_within(&sem, short));
    assert!(!acquire_within(&sem, short));
    sem.release().expect("two permits are out");
    assert!(acquire_within(&sem, short));
    let timeout = Duration::from_millis(500);
    let t = Instant::now();
    assert!(!acquire_within(&sem, timeout));
    assert_waited_at_least(t.elapsed(), timeout);
}

// CPython 3.11 Lib/test/lock_tests.py, BaseSemaphoreTests.test_default_value
// (Python's default initial value is 1; Rust writes it out.)
fn test_default_value(semtype: SemType) {
    let sem = Arc::new(semtype(1));
    sem.acquire().forget();
    let finished = Log::new();
    let bunch = Bunch::start(1, {
        let (sem, finished) = (Arc::clone(&sem), finished.clone());
        move || {
            // Python's `acquire()` then `release()`: take the permit and give it back.
            drop(sem.acquire());
            finished.push(true);
        }
    });
    // Thread blocked on sem.acquire().
    bunch.wait_threads_blocked();
    assert_eq!(finished.len(), 0, "acquire did not wait for the only permit");
    // Thread unblocked.
    sem.release().expect("the only permit is out");
    bunch.finish();
    assert_eq!(finished.items(), [true]);
}

// CPython 3.11 Lib/test/lock_tests.py, BaseSemaphoreTests.test_with
// (Python's `with sem:` is a `Permit` held to the end of a scope; an exception leaving the
// block is a panic unwinding through it.)
fn test_with(semtype: SemType) {
    let sem = semtype(2);
    let with = |err: bool| {
        let _outer = sem.acquire();
        assert!(sem.try_acquire().is_some(), "a second permit is free");
        {
            let _inner = sem.acquire();
            assert!(sem.try_acquire().is_none(), "both permits are taken");
            if err {
                panic!("an error inside `with sem:`");
            }
        }
    };
    with(false);
    assert!(sem.try_acquire().is_some());
    assert_eq!(sem.available(), 2, "a permit was not given back");
    assert!(panic::catch_unwind(panic::AssertUnwindSafe(|| with(true))).is_err());
    assert!(sem.try_acquire().is_some());
    assert_eq!(sem.available(), 2, "a permit was not given back while unwinding");
}

/// The `BaseSemaphoreTests` cases, for one constructor.
macro_rules! base_semaphore_tests {
    ($semtype:expr) => {
        use super::*;

        #[test]
        fn test_acquire() {
            super::test_acquire($semtype);
        }

        #[test]
        fn test_acquire_destroy() {
            super::test_acquire_destroy($semtype);
        }

        #[test]
        fn test_acquire_contended() {
            super::test_acquire_contended($semtype);
        }

        #[test]
        fn test_multirelease() {
            super::test_multirelease($semtype);
        }

        #[test]
        fn test_try_acquire() {
            super::test_try_acquire($semtype);
        }

        #[test]
        fn test_try_acquire_contended() {
            super::test_try_acquire_contended($semtype);
        }

        #[test]
        fn test_acquire_timeout() {
            super::test_acquire_timeout($semtype);
        }

        #[test]
        fn test_default_value() {
            super::test_default_value($semtype);
        }

        #[test]
        fn test_with() {
            super::test_with($semtype);
        }
    };
}

/// CPython's `SemaphoreTests`: `threading.Semaphore` is [`Semaphore::new`].
mod semaphore_tests {
    base_semaphore_tests!(Semaphore::new);

    // CPython 3.11 Lib/test/lock_tests.py, SemaphoreTests.test_release_unacquired
    // Unbounded releases are allowed and increment the semaphore's value.
    #[test]
    fn test_release_unacquired() {
        let sem = Semaphore::new(1);
        sem.release().expect("an unbounded semaphore takes any release");
        sem.acquire().forget();
        sem.acquire().forget();
        sem.release().expect("an unbounded semaphore takes any release");
    }
}

/// CPython's `BoundedSemaphoreTests`: `threading.BoundedSemaphore` is [`Semaphore::bounded`].
mod bounded_semaphore_tests {
    base_semaphore_tests!(Semaphore::bounded);

    // CPython 3.11 Lib/test/lock_tests.py, BoundedSemaphoreTests.test_release_unacquired
    // Cannot go past the initial value (Python raises `ValueError`).
    #[test]
    fn test_release_unacquired() {
        let sem = Semaphore::bounded(1);
        assert_eq!(sem.release(), Err(OverRelease));
        sem.acquire().forget();
        sem.release().expect("one permit is out");
        assert_eq!(sem.release(), Err(OverRelease));
    }
}
