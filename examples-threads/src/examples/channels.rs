//! `mpsc` channels: when the receiving loop ends, and a forgotten `drop(tx)`.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

const PRODUCERS: usize = 3;
const MESSAGES_EACH: usize = 5;

pub fn main() -> anyhow::Result<()> {
    // ANCHOR: producers
    let (tx, rx) = mpsc::channel();
    let mut producers = Vec::new();
    for producer in 0..PRODUCERS {
        let tx = tx.clone();
        producers.push(thread::spawn(move || {
            for message in 0..MESSAGES_EACH {
                tx.send(format!("producer {producer}: message {message}"))
                    .expect("the receiver is alive");
            }
        }));
    }
    drop(tx);
    let mut received = 0;
    for message in rx {
        println!("got {message}");
        received += 1;
    }
    for producer in producers {
        producer.join().expect("a producer panicked");
    }
    let total = PRODUCERS * MESSAGES_EACH;
    println!(
        "received {received} of {total} messages, until no sender was left"
    );
    assert_eq!(received, total);
    // ANCHOR_END: producers

    // ANCHOR: forgotten
    let (tx, rx) = mpsc::channel();
    let sender = tx.clone();
    let producer = thread::spawn(move || sender.send("the only message"));
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
    // ANCHOR_END: forgotten
    Ok(())
}
