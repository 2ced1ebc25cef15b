//! `Send` and `Sync`: the compiler refuses code that would let threads race on
//! data. The three programs it refuses are in `tests/compile-fail/`
//! (`send_sync_rc.rs`: an `Rc` sent to a thread; `send_sync_borrow.rs`: a
//! spawned thread borrowing a local; `send_sync_cell.rs`: a `Cell` shared),
//! each with the compiler's error beside it (`cargo test` checks both);
//! [`main`] has versions that work.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::thread;

pub fn main() -> anyhow::Result<()> {
    // ANCHOR: fixed
    // `Arc` instead of `Rc`: its count is atomic, so it is `Send` (when what it
    // holds is).
    let shared = Arc::new(vec![1, 2, 3]);
    let for_thread = Arc::clone(&shared);
    let summer = thread::spawn(move || for_thread.iter().sum::<i32>());
    let sum = summer.join().expect("the summing thread panicked");
    println!("Arc: the thread summed {shared:?} to {sum}");

    // `move`: the thread owns `numbers`, so nothing it uses can go away before
    // it ends.
    let numbers: Vec<i32> = (1..=3).collect();
    let counter = thread::spawn(move || numbers.len());
    let length = counter.join().expect("the counting thread panicked");
    println!("move: the thread took the vector and counted {length} numbers");

    // `thread::scope`: the thread may borrow, because the scope joins it before
    // returning.
    let numbers = vec![1, 2, 3];
    let largest = thread::scope(|scope| {
        let finder = scope.spawn(|| numbers.iter().max().copied());
        finder.join().expect("the max-finding thread panicked")
    });
    println!(
        "scope: the thread borrowed {numbers:?} and found the largest, \
         {largest:?}"
    );

    // An atomic instead of a `Cell`: shared, and changed by one indivisible
    // instruction.
    let hits = Arc::new(AtomicU32::new(0));
    let for_thread = Arc::clone(&hits);
    let hitter =
        thread::spawn(move || for_thread.fetch_add(1, Ordering::Relaxed));
    hitter.join().expect("the counting thread panicked");
    println!(
        "atomic: the thread counted a hit, hits = {}",
        hits.load(Ordering::Relaxed)
    );
    // ANCHOR_END: fixed
    Ok(())
}
