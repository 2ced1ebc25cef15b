//! Memory ordering: the happens-before edges Rust gives for free.

use std::sync::{Mutex, mpsc};
use std::thread;

pub fn main() -> anyhow::Result<()> {
    let numbers: Vec<i32> = (1..=3).collect();
    // Spawn: the thread sees what was written before it.
    let summer = thread::spawn(move || numbers.iter().sum::<i32>());
    // Join: main sees everything the thread did.
    let sum = summer.join().expect("the summer panicked");
    let total = Mutex::new(0);
    let (sender, receiver) = mpsc::channel();
    thread::scope(|scope| {
        // Unlock: the next lock sees the change.
        scope.spawn(|| *total.lock().expect("no panic holding it") += sum);
        // Send: its recv sees the vector.
        scope.spawn(move || sender.send(vec![sum; 2]).expect("receiver kept"));
    });
    let received = receiver.recv()?;
    let total = *total.lock().expect("no panic holding it");
    println!(
        "edges: join gave {sum}, the mutex holds {total}, recv got {received:?}"
    );
    Ok(())
}
