//! Publishing a value from one thread to another with Release and Acquire.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

pub fn main() -> anyhow::Result<()> {
    let data = AtomicU64::new(0);
    let ready = AtomicBool::new(false);
    let seen = thread::scope(|scope| {
        let reader = scope.spawn(|| {
            let deadline = Instant::now() + Duration::from_secs(5);
            // Acquire pairs with the writer's Release: once `ready` reads
            // true, the store of 42 before it is visible here too.
            while !ready.load(Ordering::Acquire) {
                assert!(Instant::now() < deadline, "nothing published in 5 s");
                thread::yield_now();
            }
            data.load(Ordering::Relaxed)
        });
        data.store(42, Ordering::Relaxed);
        ready.store(true, Ordering::Release);
        reader.join().expect("the reader panicked")
    });
    println!(
        "published with Release, read with Acquire: the reader saw {seen}"
    );
    assert_eq!(seen, 42);
    Ok(())
}
