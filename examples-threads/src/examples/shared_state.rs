//! The usual pattern for data several threads change: `Arc<Mutex<T>>`. `Arc`
//! shares ownership between threads; `Mutex` lets one thread at a time in.

use std::sync::{Arc, Mutex};
use std::thread;

const THREADS: u64 = 4;
const INCREMENTS: u64 = 10_000;

pub fn main() -> anyhow::Result<()> {
    // ANCHOR: shared_state
    let counter = Arc::new(Mutex::new(0u64));
    let log = Arc::new(Mutex::new(Vec::new()));

    let mut handles = Vec::new();
    for worker in 0..THREADS {
        // A new handle to the same counter and log, for this thread to own.
        let counter = Arc::clone(&counter);
        let log = Arc::clone(&log);
        // Steps 1 to 3 in one call: `spawn` creates the thread, sets its target
        // and starts it.
        handles.push(thread::spawn(move || {
            for _ in 0..INCREMENTS {
                // The guard unlocks at the end of the statement.
                *counter
                    .lock()
                    .expect("no thread panics while holding the counter") += 1;
            }
            log.lock()
                .expect("no thread panics while holding the log")
                .push(format!("worker {worker} done"));
        }));
    }
    // Step 4: join every thread before reading the totals.
    for handle in handles {
        handle.join().expect("a worker panicked");
    }
    // ANCHOR_END: shared_state

    let total = *counter.lock().expect("every thread has ended");
    let log = log.lock().expect("every thread has ended");
    for line in log.iter() {
        println!("log: {line}");
    }
    println!("counter: {total} (expected {})", THREADS * INCREMENTS);
    assert_eq!(total, THREADS * INCREMENTS);
    assert_eq!(log.len() as u64, THREADS);
    Ok(())
}
