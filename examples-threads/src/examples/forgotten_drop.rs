//! The forgotten `drop(tx)`: a live sender keeps the receiver waiting.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

pub fn main() -> anyhow::Result<()> {
    let (tx, rx) = mpsc::channel();
    let sender = tx.clone();
    // Steps 1 to 3: create, set the target and start, in one call.
    let producer = thread::spawn(move || sender.send("the only message"));
    // Step 4: join. The producer's sender was dropped when its thread ended.
    producer.join().expect("the producer panicked")?;
    println!("got {:?}", rx.recv_timeout(Duration::from_secs(5))?);

    // Main still holds `tx`: `for message in rx` would wait for ever.
    let wait = Duration::from_millis(200);
    assert_eq!(rx.recv_timeout(wait), Err(RecvTimeoutError::Timeout));
    println!(
        "no message within 200 ms: a sender is still alive \
         (the forgotten drop(tx))"
    );
    drop(tx);
    assert_eq!(rx.recv_timeout(wait), Err(RecvTimeoutError::Disconnected));
    println!("after drop(tx): disconnected, the loop would end");
    Ok(())
}
