//! The usual pattern for data several threads change: `Arc<Mutex<T>>`.

use std::sync::{Arc, Mutex};
use std::thread;

const THREADS: u64 = 4;
const INCREMENTS: u64 = 10_000;

pub fn main() -> anyhow::Result<()> {
    let counter = Arc::new(Mutex::new(0u64));
    let log = Arc::new(Mutex::new(Vec::new()));

    let mut handles = Vec::new();
    for worker in 0..THREADS {
        let counter = Arc::clone(&counter);
        let log = Arc::clone(&log);
        // Steps 1 to 3: create, set the target and start, in one call.
        handles.push(thread::spawn(move || {
            for _ in 0..INCREMENTS {
                *counter.lock().expect("a thread panicked holding it") += 1;
            }
            let mut log = log.lock().expect("a thread panicked holding it");
            log.push(format!("worker {worker} done"));
        }));
    }
    // Step 4: join every thread before reading the totals.
    for handle in handles {
        handle.join().expect("a worker panicked");
    }

    for line in log.lock().expect("a thread panicked holding it").iter() {
        println!("log: {line}");
    }
    let total = *counter.lock().expect("a thread panicked holding it");
    println!("counter: {total} (expected {})", THREADS * INCREMENTS);
    assert_eq!(total, THREADS * INCREMENTS);
    Ok(())
}
