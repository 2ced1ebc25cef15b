// Exercise `race-channel`: four threads each add one to a shared counter
// 100,000 times, and increments get lost. Share nothing instead: one owner
// thread keeps the count, and the others send it their increments over a
// channel.
//
// The check calls `count` with several numbers of threads, each call with a
// deadline, wants the exact count and no counter shared, then runs this
// program.
use std::sync::mpsc;
use std::thread;

const THREADS: u64 = 4;
const INCREMENTS: u64 = 100_000;

/// Runs `threads` threads that each add one, `increments` times; returns the
/// count.
fn count(threads: u64, increments: u64) -> u64 {
    let (increments_tx, increments_rx) = mpsc::channel();
    thread::scope(|scope| {
        // The owner, the only thread that touches the count: it adds up what
        // comes until every sender is gone.
        let owner = scope.spawn(move || increments_rx.iter().sum::<u64>());
        // Steps 1 to 3 in one call; each thread owns a clone of the sender.
        for _ in 0..threads {
            let increments_tx = increments_tx.clone();
            scope.spawn(move || {
                for _ in 0..increments {
                    increments_tx.send(1).expect("the owner is alive");
                }
            });
        }
        // This function's own sender: while it lives, the owner waits for
        // more.
        drop(increments_tx);
        // Step 4: join the owner, for the count.
        owner.join().expect("the owner panicked")
    })
}

fn main() {
    let counted = count(THREADS, INCREMENTS);
    println!("expected {}, counted {counted}", THREADS * INCREMENTS);
}
