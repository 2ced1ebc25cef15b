//! Deadlock: two threads take two mutexes in opposite orders and wait for each
//! other forever. A watchdog notices that neither finished by a deadline; then
//! one lock order fixes it.

use std::sync::{Arc, Barrier, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use anyhow::ensure;

const DEADLINE: Duration = Duration::from_millis(500);

/// A bank account's balance, shared by the threads that move money.
type Account = Arc<Mutex<i64>>;

// ANCHOR: transfer
/// Starts a thread that locks `first`, then `second`, and moves `amount` from
/// the first to the second. With `hold_one`, it waits between the two locks
/// until the other thread holds one.
fn start_transfer(
    first: &Account,
    second: &Account,
    amount: i64,
    hold_one: Option<Arc<Barrier>>,
) -> JoinHandle<()> {
    let (first, second) = (Arc::clone(first), Arc::clone(second));
    thread::spawn(move || {
        let mut first =
            first.lock().expect("no thread panics holding an account");
        if let Some(both_hold_one) = hold_one {
            both_hold_one.wait();
        }
        let mut second =
            second.lock().expect("no thread panics holding an account");
        (*first, *second) = (*first - amount, *second + amount);
    })
}

/// The watchdog: waits until both threads have finished or the deadline has
/// passed, and says how many finished.
fn finished_by_deadline(threads: [&JoinHandle<()>; 2]) -> usize {
    let deadline = Instant::now() + DEADLINE;
    while Instant::now() < deadline
        && !threads.iter().all(|thread| thread.is_finished())
    {
        thread::sleep(Duration::from_millis(5));
    }
    threads.iter().filter(|thread| thread.is_finished()).count()
}
// ANCHOR_END: transfer

pub fn main() -> anyhow::Result<()> {
    // ANCHOR: deadlock
    let (alice, bob) = (Arc::new(Mutex::new(100)), Arc::new(Mutex::new(100)));
    let both_hold_one = Arc::new(Barrier::new(2));
    // Alice → Bob locks alice, then bob; Bob → Alice locks bob, then alice.
    let a = start_transfer(&alice, &bob, 10, Some(Arc::clone(&both_hold_one)));
    let b = start_transfer(&bob, &alice, 10, Some(both_hold_one));
    let finished = finished_by_deadline([&a, &b]);
    ensure!(
        finished < 2,
        "both transfers finished: the deadlock did not happen"
    );
    println!(
        "opposite lock orders: deadlock detected: {} threads still blocked \
         after 500 ms",
        2 - finished
    );
    // Blocked in `lock` for good: no way to stop or join them. Dropping the
    // handles detaches them; they end when the process exits.
    drop((a, b));
    // ANCHOR_END: deadlock

    // ANCHOR: fix
    let (alice, bob) = (Arc::new(Mutex::new(100)), Arc::new(Mutex::new(100)));
    // One lock order for everyone: alice before bob, whichever way the money
    // goes. No barrier: one thread gets alice first, takes bob too and
    // finishes, then the other goes. No cycle of waiting is possible, so a
    // plain join needs no watchdog: it always returns.
    let a = start_transfer(&alice, &bob, 10, None);
    let b = start_transfer(&alice, &bob, -10, None);
    a.join().expect("thread a panicked");
    b.join().expect("thread b panicked");
    let balances = (
        *alice.lock().expect("threads joined"),
        *bob.lock().expect("threads joined"),
    );
    println!("one lock order: both transfers finished; balances {balances:?}");
    assert_eq!(balances, (100, 100), "10 went each way");
    // ANCHOR_END: fix
    Ok(())
}
