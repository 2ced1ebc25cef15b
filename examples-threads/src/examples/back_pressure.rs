//! Back-pressure: a bounded crossbeam channel holds back a producer that runs
//! ahead of its consumer, instead of queueing without end.

use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::thread;
use std::time::Duration;

use crossbeam::channel::{TrySendError, bounded};

pub fn main() -> anyhow::Result<()> {
    let (tx, rx) = bounded(2);
    tx.send(1)?;
    tx.send(2)?;
    if let Err(TrySendError::Full(message)) = tx.try_send(3) {
        println!(
            "bounded(2): message {message} does not fit; `send` would wait \
             for room"
        );
    }
    println!("drained {:?}", rx.try_iter().collect::<Vec<_>>());
    let consumed = AtomicUsize::new(0);
    let most_ahead = thread::scope(|scope| {
        let consumer = scope.spawn(|| {
            for _ in rx.iter() {
                thread::sleep(Duration::from_millis(2)); // A slow consumer.
                consumed.fetch_add(1, SeqCst);
            }
        });
        let mut most_ahead = 0;
        for sent in 1..=20 {
            tx.send(sent)?;
            most_ahead = most_ahead.max(sent - consumed.load(SeqCst));
        }
        drop(tx); // Ends the consumer's loop.
        consumer.join().expect("the consumer panicked");
        anyhow::Ok(most_ahead)
    })?;
    println!(
        "the producer was at most {most_ahead} messages ahead of the consumer \
         (capacity 2)"
    );
    assert!(most_ahead <= 2 + 1, "2 in the channel, 1 in the consumer's hands");
    Ok(())
}
