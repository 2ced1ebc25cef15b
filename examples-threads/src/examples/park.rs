//! `thread::park` and `unpark`: the simplest way to put a thread to sleep and
//! wake it. Each thread has one wake-up token, so an early `unpark` is kept.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::thread;
use std::time::{Duration, Instant};

pub fn main() -> anyhow::Result<()> {
    let (work_ready, parks) = (AtomicBool::new(false), AtomicU32::new(0));
    let deadline = Instant::now() + Duration::from_secs(5);
    thread::scope(|scope| {
        let worker = scope.spawn(|| {
            // `park` may return for no reason: loop on the real condition.
            while !work_ready.load(Ordering::Acquire) {
                assert!(Instant::now() < deadline, "worker: not woken in 5 s");
                parks.fetch_add(1, Ordering::Relaxed);
                thread::park_timeout(Duration::from_secs(1));
            }
            let parks = parks.load(Ordering::Relaxed);
            println!(
                "worker: parked {parks} time(s); woken, and the work is ready"
            );
        });
        // No work until the worker has gone to park, so that it really waits.
        while parks.load(Ordering::Relaxed) == 0 && Instant::now() < deadline {
            thread::yield_now();
        }
        println!("main: preparing the work");
        work_ready.store(true, Ordering::Release);
        worker.thread().unpark(); // Not parked yet? Its next `park` won't wait.
        worker.join().expect("the worker panicked");
    });

    thread::current().unpark(); // The token is set before we park...
    let started = Instant::now();
    thread::park_timeout(Duration::from_secs(5)); // ...so this returns at once.
    let waited = started.elapsed().as_millis();
    println!("main: unpark then park returned after {waited} ms, not 5000");
    Ok(())
}
