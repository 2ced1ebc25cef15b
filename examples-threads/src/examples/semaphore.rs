//! `Semaphore`, Python's `threading.Semaphore` and `BoundedSemaphore`: at most
//! N threads in a section at once. Std has none; here is one, from a `Mutex`
//! and a `Condvar`.

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::thread;
use std::time::Duration;

// ANCHOR: semaphore_type
#[derive(Debug)]
pub struct Semaphore {
    available: Mutex<usize>,
    // `Some(permits)` for a bounded semaphore: more than that is a bug.
    bound: Option<usize>,
    released: Condvar,
}

/// One permit, given back when dropped (Python's `with semaphore:`).
#[derive(Debug)]
#[must_use = "dropping a permit gives it back at once"]
pub struct Permit<'a> {
    semaphore: &'a Semaphore,
}

impl Semaphore {
    pub fn new(permits: usize) -> Self {
        let available = Mutex::new(permits);
        Self { available, bound: None, released: Condvar::new() }
    }

    pub fn bounded(permits: usize) -> Self {
        Self { bound: Some(permits), ..Self::new(permits) }
    }

    pub fn acquire(&self) -> Permit<'_> {
        let mut available = self.lock();
        // A loop: another thread may take the permit first, and a wait may
        // end for no reason.
        while *available == 0 {
            available = self.released.wait(available).expect("no panic");
        }
        *available -= 1;
        Permit { semaphore: self }
    }

    /// A permit no `Permit` stands for (Python's `release()`).
    pub fn release(&self) -> Result<(), OverRelease> {
        let mut available = self.lock();
        if let Some(bound) = self.bound.filter(|&bound| *available >= bound) {
            return Err(OverRelease { bound });
        }
        *available += 1;
        self.released.notify_one();
        Ok(())
    }

    fn lock(&self) -> MutexGuard<'_, usize> {
        self.available.lock().expect("no thread panics holding the lock")
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        // Refused only if an extra `release` already gave this permit back:
        // that release was the bug, and it was let through.
        _ = self.semaphore.release();
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverRelease {
    pub bound: usize,
}

impl fmt::Display for OverRelease {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let why = "a release without a matching acquire: no permit is out";
        write!(f, "{why} (bound {})", self.bound)
    }
}
// ANCHOR_END: semaphore_type

const PERMITS: usize = 2;

pub fn main() -> anyhow::Result<()> {
    // ANCHOR: semaphore
    let slots = Semaphore::new(PERMITS);
    let (inside, most_inside) = (AtomicUsize::new(0), AtomicUsize::new(0));
    thread::scope(|scope| {
        for worker in 0..6 {
            let (slots, inside, most_inside) = (&slots, &inside, &most_inside);
            scope.spawn(move || {
                let permit = slots.acquire(); // Python's `with slots:`
                let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                most_inside.fetch_max(now, Ordering::SeqCst);
                println!("worker {worker}: inside, {now} of at most {PERMITS}");
                thread::sleep(Duration::from_millis(20));
                inside.fetch_sub(1, Ordering::SeqCst);
                drop(permit); // One waiting worker goes in.
            });
        }
    }); // The scope joins every worker, and passes on a worker's panic.
    let most = most_inside.into_inner();
    println!("at most {most} workers were inside at once (permits: {PERMITS})");
    // ANCHOR_END: semaphore

    // ANCHOR: bounded
    let bounded = Semaphore::bounded(1);
    match bounded.release() {
        Err(error) => println!("bounded: an extra release is refused: {error}"),
        Ok(()) => anyhow::bail!("a bounded semaphore took a release too many"),
    }
    // ANCHOR_END: bounded
    Ok(())
}
