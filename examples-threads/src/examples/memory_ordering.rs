//! Memory ordering: the happens-before edges Rust gives for free.

use std::sync::{Mutex, mpsc};
use std::thread;

pub fn main() -> anyhow::Result<()> {
    // ANCHOR: edges
    // Written before spawn: the thread sees it (spawn edge).
    let numbers: Vec<i32> = (1..=3).collect();
    let summer = thread::spawn(move || numbers.iter().sum::<i32>());
    // Everything the thread did is visible after join (join edge).
    let sum = summer.join().expect("the summer panicked");
    let total = Mutex::new(0);
    let (sender, receiver) = mpsc::channel();
    thread::scope(|scope| {
        // Unlock → the next lock sees it.
        scope.spawn(|| *total.lock().unwrap() += sum);
        // Send → its recv sees the vector.
        scope.spawn(move || sender.send(vec![sum; 2]).unwrap());
    });
    let received = receiver.recv()?;
    println!(
        "edges: join gave {sum}, the mutex holds {}, recv got {received:?}",
        total.lock().unwrap()
    );
    // ANCHOR_END: edges

    Ok(())
}
