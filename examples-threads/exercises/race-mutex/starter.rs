// Exercise `race-mutex`: four threads each add one to a counter behind a
// `Mutex`, 100,000 times, and increments get lost, though every read and every
// write takes the lock. Make `increment` lose none, with the program's `Mutex`.
//
// The check runs `increment` under loom, which tries every interleaving of two
// threads, then runs this program and wants the exact count.
use std::sync::Arc;
use std::thread;

// loom's `Mutex` under the check (`--cfg loom`), std's in a normal build.
#[cfg(loom)]
use loom::sync::Mutex;
#[cfg(not(loom))]
use std::sync::Mutex;

const THREADS: u64 = 4;
const INCREMENTS: u64 = 100_000;

/// Reads the count, under the lock.
fn get(counter: &Mutex<u64>) -> u64 {
    *counter.lock().expect("no thread panics holding the lock")
}

/// Writes the count, under the lock.
fn set(counter: &Mutex<u64>, value: u64) {
    *counter.lock().expect("no thread panics holding the lock") = value;
}

/// Adds one to `counter`; several threads call it at once.
fn increment(counter: &Mutex<u64>) {
    let value = get(counter);
    set(counter, value + 1);
}

fn main() {
    let counter = Arc::new(Mutex::new(0));
    let mut handles = Vec::new();
    for _ in 0..THREADS {
        // A new handle to the same counter, for this thread to own.
        let counter = Arc::clone(&counter);
        // Steps 1 to 3 in one call: create, set the target and start.
        handles.push(thread::spawn(move || {
            for _ in 0..INCREMENTS {
                increment(&counter);
            }
        }));
    }
    // Step 4: join every thread before reading the count.
    for handle in handles {
        handle.join().expect("a worker panicked");
    }
    let counted = get(&counter);
    println!("expected {}, counted {counted}", THREADS * INCREMENTS);
}
