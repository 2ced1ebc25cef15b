//! A thread that panics while it holds a lock poisons the lock (on purpose).

use std::sync::{Arc, Mutex};
use std::thread;

pub fn main() -> anyhow::Result<()> {
    let scores = Arc::new(Mutex::new(vec![1, 2]));
    let writer = thread::spawn({
        let scores = Arc::clone(&scores);
        move || {
            let mut scores = scores.lock().expect("not poisoned yet");
            scores.push(3);
            panic!("half-way through an update (a panic on purpose)");
        }
    });
    assert!(writer.join().is_err(), "the writer was meant to panic");
    println!("join returned Err: the writer panicked holding the lock");

    let poisoned = scores.lock().expect_err("the writer poisoned the mutex");
    // The update may be half done; only we can say if the data is usable.
    let recovered = poisoned.into_inner().clone();
    println!(
        "lock returned Err (poisoned); into_inner recovered {recovered:?}"
    );
    scores.clear_poison();
    println!("after clear_poison: poisoned = {}", scores.is_poisoned());
    Ok(())
}
