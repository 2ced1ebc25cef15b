//! `mpsc::sync_channel`: `send` waits while it is full; at 0, a rendezvous.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, TrySendError};
use std::thread;
use std::time::Duration;

pub fn main() -> anyhow::Result<()> {
    let (tx, rx) = mpsc::sync_channel(2);
    tx.send(1)?;
    tx.send(2)?;
    if let Err(TrySendError::Full(message)) = tx.try_send(3) {
        println!(
            "sync_channel(2): message {message} does not fit; `send` would wait"
        );
    }
    println!("drained {:?}", rx.try_iter().collect::<Vec<_>>());

    let (tx, rx) = mpsc::sync_channel(0);
    let send_returned = AtomicBool::new(false);
    thread::scope(|scope| {
        let sender = scope.spawn(|| {
            tx.send("the baton").expect("the receiver is alive");
            send_returned.store(true, Ordering::SeqCst);
        });
        // Time for the sender to block (the result does not depend on it).
        thread::sleep(Duration::from_millis(50));
        let returned = send_returned.load(Ordering::SeqCst);
        println!("sync_channel(0): before recv, send has returned: {returned}");
        let baton = rx.recv().expect("the sender is alive");
        println!("sync_channel(0): received {baton:?}");
        sender.join().expect("the sender panicked");
    });
    Ok(())
}
