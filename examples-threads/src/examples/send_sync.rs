//! `Send` and `Sync`: what compiles where `tests/compile-fail/` does not.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::thread;

pub fn main() -> anyhow::Result<()> {
    let shared = Arc::new(vec![1, 2, 3]);
    let for_thread = Arc::clone(&shared);
    let summer = thread::spawn(move || for_thread.iter().sum::<i32>());
    let sum = summer.join().expect("the summing thread panicked");
    println!("Arc: the thread summed {shared:?} to {sum}");

    let numbers: Vec<i32> = (1..=3).collect();
    let counter = thread::spawn(move || numbers.len());
    let length = counter.join().expect("the counting thread panicked");
    println!("move: the thread took the vector and counted {length} numbers");

    let numbers = vec![1, 2, 3];
    let largest = thread::scope(|scope| {
        let finder = scope.spawn(|| numbers.iter().max().copied());
        finder.join().expect("the max-finding thread panicked")
    });
    println!(
        "scope: the thread borrowed {numbers:?} and found the largest, \
         {largest:?}"
    );

    let hits = Arc::new(AtomicU32::new(0));
    let for_thread = Arc::clone(&hits);
    let hitter =
        thread::spawn(move || for_thread.fetch_add(1, Ordering::Relaxed));
    hitter.join().expect("the counting thread panicked");
    let hits = hits.load(Ordering::Relaxed);
    println!("atomic: the thread counted a hit, hits = {hits}");
    Ok(())
}
