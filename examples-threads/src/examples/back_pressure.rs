//! Back-pressure: a bounded crossbeam channel holds back a producer that runs
//! ahead of its consumer, instead of queueing without end.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use crossbeam::channel::{TrySendError, bounded};

const CAPACITY: usize = 2;

pub fn main() -> anyhow::Result<()> {
    // ANCHOR: bounded
    let (tx, rx) = bounded(CAPACITY);
    tx.send(1)?;
    tx.send(2)?;
    if let Err(TrySendError::Full(message)) = tx.try_send(3) {
        println!(
            "bounded({CAPACITY}): message {message} does not fit; `send` \
             would wait for room"
        );
    }
    println!("drained {:?}", rx.try_iter().collect::<Vec<_>>());
    // A slow consumer: the producer's `send` blocks whenever the channel is
    // full, so it can never run more than the capacity (plus the one message in
    // the consumer's hands) ahead.
    let consumed = AtomicUsize::new(0);
    let most_ahead = thread::scope(|scope| {
        let consumer = scope.spawn(|| {
            for _ in rx.iter() {
                thread::sleep(Duration::from_millis(2));
                consumed.fetch_add(1, Ordering::SeqCst);
            }
        });
        let mut most_ahead = 0;
        for (sent, message) in (1..=20).enumerate() {
            tx.send(message).expect("the consumer is alive");
            most_ahead =
                most_ahead.max(sent + 1 - consumed.load(Ordering::SeqCst));
        }
        drop(tx); // Ends the consumer's loop.
        consumer.join().expect("the consumer panicked");
        most_ahead
    });
    println!(
        "the producer was at most {most_ahead} messages ahead of the consumer \
         (capacity {CAPACITY})"
    );
    assert!(most_ahead <= CAPACITY + 1);
    // ANCHOR_END: bounded
    Ok(())
}
