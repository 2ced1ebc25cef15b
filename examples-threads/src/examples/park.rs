//! `thread::park` and `unpark`: the simplest way to put a thread to sleep and wake
//! it. Each thread has one wake-up token, so an `unpark` that comes first is not
//! lost.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::bail;

use shared::join_scoped;

/// A worker parks until main has work for it; then the token kept by an early
/// `unpark`.
pub fn run() -> anyhow::Result<()> {
    // ANCHOR: park
    let work_ready = AtomicBool::new(false);
    let parks = AtomicU32::new(0); // How many times the worker went to park.
    let deadline = Instant::now() + Duration::from_secs(5);
    thread::scope(|scope| {
        let worker = scope.spawn(|| {
            // `park` may also return for no reason (a spurious wake-up), so it sits
            // in a loop that checks the real condition; `park_timeout` bounds every
            // sleep.
            while !work_ready.load(Ordering::Acquire) {
                if Instant::now() > deadline {
                    bail!("worker: not woken within 5 s");
                }
                parks.fetch_add(1, Ordering::Relaxed);
                thread::park_timeout(Duration::from_secs(1));
            }
            let parks = parks.load(Ordering::Relaxed);
            println!("worker: parked {parks} time(s); woken, and the work is ready");
            Ok(())
        });
        // So that the worker really waits: no work until it has gone to park.
        while parks.load(Ordering::Relaxed) == 0 && Instant::now() < deadline {
            thread::yield_now();
        }
        println!("main: preparing the work");
        work_ready.store(true, Ordering::Release);
        // Wakes the worker if it is parked; if it is not parked yet, its next `park`
        // returns at once: the token waits for it.
        worker.thread().unpark();
        join_scoped(worker)?
    })?;
    // ANCHOR_END: park

    // ANCHOR: token
    let me = thread::current();
    me.unpark(); // The token is set before we park...
    let started = Instant::now();
    thread::park_timeout(Duration::from_secs(5)); // ...so this returns at once.
    println!(
        "main: unpark then park returned after {} ms, not 5000",
        started.elapsed().as_millis()
    );
    // ANCHOR_END: token
    Ok(())
}
