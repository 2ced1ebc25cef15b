//! `mpsc::sync_channel`: a bounded channel, whose `send` waits while it is
//! full, down to capacity 0, a rendezvous.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, TrySendError};
use std::thread;
use std::time::Duration;

pub fn main() -> anyhow::Result<()> {
    // ANCHOR: sync_channel
    let (tx, rx) = mpsc::sync_channel(2);
    tx.send(1)?;
    tx.send(2)?;
    if let Err(TrySendError::Full(message)) = tx.try_send(3) {
        println!(
            "sync_channel(2): message {message} does not fit; `send` would wait"
        );
    }
    println!("drained {:?}", rx.try_iter().collect::<Vec<_>>());
    // Capacity 0 is a rendezvous: `send` returns once `recv` has taken it.
    let (tx, rx) = mpsc::sync_channel(0);
    let send_returned = AtomicBool::new(false);
    thread::scope(|scope| {
        let sender = scope.spawn(|| {
            tx.send("the baton").expect("the receiver is alive");
            send_returned.store(true, Ordering::SeqCst);
        });
        // Time for the sender to block (not needed for the result).
        thread::sleep(Duration::from_millis(50));
        let returned = send_returned.load(Ordering::SeqCst);
        println!("sync_channel(0): before recv, send has returned: {returned}");
        println!("sync_channel(0): received {:?}", rx.recv()?);
        sender.join().expect("the sender panicked");
        anyhow::Ok(())
    })?;
    // ANCHOR_END: sync_channel
    Ok(())
}
