// Exercise `deadlock-order`: two threads move money between Alice's and
// Bob's accounts; each transfer locks both accounts. The program hangs: make
// every transfer finish, with the balances right.
//
// The check runs it with a deadline. `hold_one` makes the bad schedule
// happen on every run instead of once in a while: leave it where it is.
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

struct Account {
    name: &'static str,
    balance: Mutex<i64>,
}

// Holding its first lock, a transfer waits here (up to 300 ms) until the
// other thread holds a lock too.
fn hold_one(holding: &AtomicUsize) {
    holding.fetch_add(1, Ordering::SeqCst);
    let until = Instant::now() + Duration::from_millis(300);
    while holding.load(Ordering::SeqCst) < 2 && Instant::now() < until {
        thread::sleep(Duration::from_millis(1));
    }
}

fn transfer(from: &Account, to: &Account, amount: i64, holding: &AtomicUsize) {
    // One lock order for every transfer: the account whose name comes first
    // is locked first. Money going the other way is a negative amount.
    let (first, second, first_pays) = if from.name < to.name {
        (from, to, amount)
    } else {
        (to, from, -amount)
    };
    let mut paying = first.balance.lock().expect("no panic holding an account");
    hold_one(holding);
    let mut paid = second.balance.lock().expect("no panic holding an account");
    *paying -= first_pays;
    *paid += first_pays;
    holding.fetch_sub(1, Ordering::SeqCst);
    println!("{} paid {} {amount}", from.name, to.name);
}

fn main() {
    let alice = Account { name: "alice", balance: Mutex::new(100) };
    let bob = Account { name: "bob", balance: Mutex::new(100) };
    let holding = AtomicUsize::new(0);
    thread::scope(|scope| {
        // Steps 1 to 3: two threads, two transfers each.
        let first = scope.spawn(|| {
            transfer(&alice, &bob, 30, &holding);
            transfer(&bob, &alice, 5, &holding);
        });
        let second = scope.spawn(|| {
            transfer(&bob, &alice, 10, &holding);
            transfer(&alice, &bob, 20, &holding);
        });
        // Step 4: join.
        first.join().expect("the first thread panicked");
        second.join().expect("the second thread panicked");
    });
    let alice = *alice.balance.lock().expect("the threads are joined");
    let bob = *bob.balance.lock().expect("the threads are joined");
    println!("balances: alice {alice}, bob {bob}");
}
