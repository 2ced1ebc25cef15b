//! Deadlock: two threads take two mutexes in opposite orders, caught by a
//! watchdog; then one lock order fixes it.

use std::sync::{Arc, Barrier, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

type Account = Arc<Mutex<i64>>;

// ANCHOR: transfer
fn start_transfer(
    first: &Account,
    second: &Account,
    amount: i64,
    hold_one: Option<Arc<Barrier>>,
) -> JoinHandle<()> {
    let (first, second) = (Arc::clone(first), Arc::clone(second));
    thread::spawn(move || {
        let mut first = first.lock().expect("no panic holding an account");
        if let Some(both_hold_one) = hold_one {
            both_hold_one.wait(); // Until the other thread holds one too.
        }
        let mut second = second.lock().expect("no panic holding an account");
        (*first, *second) = (*first - amount, *second + amount);
    })
}
// ANCHOR_END: transfer

pub fn main() -> anyhow::Result<()> {
    // ANCHOR: deadlock
    let (alice, bob) = (Arc::new(Mutex::new(100)), Arc::new(Mutex::new(100)));
    let both_hold_one = Arc::new(Barrier::new(2));
    let a = start_transfer(&alice, &bob, 10, Some(Arc::clone(&both_hold_one)));
    let b = start_transfer(&bob, &alice, 10, Some(both_hold_one));
    let deadline = Instant::now() + Duration::from_millis(500);
    while Instant::now() < deadline && !(a.is_finished() && b.is_finished()) {
        thread::sleep(Duration::from_millis(5));
    }
    let blocked = [&a, &b].iter().filter(|t| !t.is_finished()).count();
    anyhow::ensure!(blocked > 0, "both transfers finished: no deadlock");
    println!(
        "opposite lock orders: deadlock detected: {blocked} threads still \
         blocked after 500 ms"
    );
    drop((a, b)); // Blocked for good, they cannot be joined: detach them.
    // ANCHOR_END: deadlock

    // ANCHOR: fix
    let (alice, bob) = (Arc::new(Mutex::new(100)), Arc::new(Mutex::new(100)));
    let a = start_transfer(&alice, &bob, 10, None);
    let b = start_transfer(&alice, &bob, -10, None); // Alice first, again.
    a.join().expect("thread a panicked");
    b.join().expect("thread b panicked");
    let balance = |account: &Account| *account.lock().expect("threads joined");
    let balances = (balance(&alice), balance(&bob));
    println!("one lock order: both transfers finished; balances {balances:?}");
    assert_eq!(balances, (100, 100), "10 went each way");
    // ANCHOR_END: fix
    Ok(())
}
