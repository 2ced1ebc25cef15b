//! `Send` and `Sync`: the compiler refuses code that would let threads race on data.
//! The programs below must not compile (`cargo test` checks); [`run`] has versions
//! that work.
/*!
An `Rc` cannot cross threads: its reference count is not atomic (`Rc` is not `Send`):

```compile_fail,E0277
// ANCHOR: rc
use std::rc::Rc;
fn main() {
    let shared = Rc::new(vec![1, 2, 3]);
    let for_thread = Rc::clone(&shared);
    let handle = std::thread::spawn(move || println!("{for_thread:?}"));
    handle.join().unwrap();
}
// ANCHOR_END: rc
```

A spawned thread may outlive the function that spawned it, so it cannot borrow its locals:

```compile_fail,E0373
// ANCHOR: borrow
fn main() {
    let numbers = vec![1, 2, 3];
    let handle = std::thread::spawn(|| println!("{numbers:?}"));
    handle.join().unwrap();
}
// ANCHOR_END: borrow
```

A `Cell` cannot be shared between threads: its `set` is not atomic (`Cell` is not `Sync`, so
`Arc<Cell<_>>` is not `Send`):

```compile_fail,E0277
// ANCHOR: cell
use std::cell::Cell;
use std::sync::Arc;
fn main() {
    let hits = Arc::new(Cell::new(0));
    let for_thread = Arc::clone(&hits);
    let handle = std::thread::spawn(move || for_thread.set(for_thread.get() + 1));
    handle.join().unwrap();
}
// ANCHOR_END: cell
```
*/

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::thread;

use shared::{join, join_scoped};

/// The working version of each program that does not compile.
pub fn run() -> anyhow::Result<()> {
    // ANCHOR: fixed
    // `Arc` instead of `Rc`: its count is atomic, so it is `Send` (when what it holds
    // is).
    let shared = Arc::new(vec![1, 2, 3]);
    let for_thread = Arc::clone(&shared);
    let sum = join(thread::spawn(move || for_thread.iter().sum::<i32>()))?;
    println!("Arc: the thread summed {shared:?} to {sum}");

    // `move`: the thread owns `numbers`, so nothing it uses can go away before it
    // ends.
    let numbers: Vec<i32> = (1..=3).collect();
    let length = join(thread::spawn(move || numbers.len()))?;
    println!("move: the thread took the vector and counted {length} numbers");

    // `thread::scope`: the thread may borrow, because the scope joins it before
    // returning.
    let numbers = vec![1, 2, 3];
    let largest = thread::scope(|scope| {
        join_scoped(scope.spawn(|| numbers.iter().max().copied()))
    })?;
    println!(
        "scope: the thread borrowed {numbers:?} and found the largest, {largest:?}"
    );

    // An atomic instead of a `Cell`: shared, and changed by one indivisible
    // instruction.
    let hits = Arc::new(AtomicU32::new(0));
    let for_thread = Arc::clone(&hits);
    join(thread::spawn(move || for_thread.fetch_add(1, Ordering::Relaxed)))?;
    println!(
        "atomic: the thread counted a hit, hits = {}",
        hits.load(Ordering::Relaxed)
    );
    // ANCHOR_END: fixed
    Ok(())
}
