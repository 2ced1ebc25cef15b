//! `thread::scope`: threads that borrow the caller's local data (no `Arc`, no
//! cloning), every one of them joined before the scope returns.

use std::thread;

pub fn main() -> anyhow::Result<()> {
    let numbers: Vec<u64> = (1..=1000).collect();
    let mut chunk_sums = [0u64; 4];
    thread::scope(|scope| {
        // Steps 1 to 3 in one call: `scope.spawn` creates a thread, sets its
        // target (a closure that borrows a chunk of `numbers`) and starts it.
        let handles: Vec<_> = numbers
            .chunks(250)
            .map(|chunk| scope.spawn(move || chunk.iter().sum::<u64>()))
            .collect();
        // Step 4: join each one for its result.
        for (slot, handle) in chunk_sums.iter_mut().zip(handles) {
            *slot = handle.join().expect("a chunk's thread panicked");
        }
    });
    let total: u64 = chunk_sums.iter().sum();
    println!("chunk sums: {chunk_sums:?}");
    println!("total: {total} (1 + 2 + … + 1000 = {})", 1000 * 1001 / 2);
    println!(
        "numbers is still ours: {} numbers, the last is {}",
        numbers.len(),
        numbers[999]
    );
    assert_eq!(total, 500_500);
    Ok(())
}
