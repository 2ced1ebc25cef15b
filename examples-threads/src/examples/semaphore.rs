//! A semaphore (std has none): at most N threads inside a section at once.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::thread;
use std::time::Duration;

// ANCHOR: semaphore_type
pub struct Semaphore {
    available: Mutex<usize>,
    released: Condvar,
    bound: Option<usize>, // Python's `BoundedSemaphore`: never more permits.
}

#[must_use = "dropping a permit gives it back at once"]
pub struct Permit<'a>(&'a Semaphore);

#[derive(Debug, PartialEq, Eq)]
pub struct OverRelease;

impl Semaphore {
    pub fn new(permits: usize) -> Self {
        let available = Mutex::new(permits);
        Self { available, released: Condvar::new(), bound: None }
    }

    pub fn bounded(permits: usize) -> Self {
        Self { bound: Some(permits), ..Self::new(permits) }
    }

    pub fn acquire(&self) -> Permit<'_> {
        let mut available = self.available.lock().expect("not poisoned");
        // A loop: another thread may take the permit first, and a wait may
        // end for no reason.
        while *available == 0 {
            available = self.released.wait(available).expect("not poisoned");
        }
        *available -= 1;
        Permit(self)
    }

    pub fn release(&self) -> Result<(), OverRelease> {
        let mut available = self.available.lock().expect("not poisoned");
        if self.bound.is_some_and(|bound| *available >= bound) {
            return Err(OverRelease);
        }
        *available += 1;
        self.released.notify_one();
        Ok(())
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        // Refused only if an extra `release` gave this permit back already.
        _ = self.0.release();
    }
}
// ANCHOR_END: semaphore_type

const PERMITS: usize = 2;

pub fn main() -> anyhow::Result<()> {
    // ANCHOR: semaphore
    let slots = Semaphore::new(PERMITS);
    let (inside, most_inside) = (AtomicUsize::new(0), AtomicUsize::new(0));
    thread::scope(|scope| {
        let mut workers = Vec::new();
        for worker in 0..6 {
            let (slots, inside, most_inside) = (&slots, &inside, &most_inside);
            // Steps 1 to 3: create, set the target and start, in one call.
            workers.push(scope.spawn(move || {
                let permit = slots.acquire(); // Python's `with slots:`
                let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                most_inside.fetch_max(now, Ordering::SeqCst);
                println!("worker {worker}: inside, {now} of at most {PERMITS}");
                thread::sleep(Duration::from_millis(20));
                inside.fetch_sub(1, Ordering::SeqCst);
                drop(permit); // One waiting worker goes in.
            }));
        }
        // Step 4: join every worker.
        for worker in workers {
            worker.join().expect("a worker panicked");
        }
    });
    let most = most_inside.into_inner();
    println!("at most {most} workers were inside at once (permits: {PERMITS})");
    // ANCHOR_END: semaphore

    // ANCHOR: bounded
    let error = Semaphore::bounded(1).release().expect_err("it is refused");
    println!("bounded: an extra release is refused: {error:?}");
    // ANCHOR_END: bounded
    Ok(())
}
