//! `mpsc` channels: producers and the loop's end, and a forgotten `drop(tx)`
//! caught by `recv_timeout`.

use std::sync::mpsc;
use std::sync::mpsc::RecvTimeoutError::{Disconnected, Timeout};
use std::thread;
use std::time::Duration;

use anyhow::bail;

const PRODUCERS: usize = 3;
const MESSAGES_EACH: usize = 5;
const STILL_ALIVE: &str = "a sender is still alive (the forgotten drop(tx))";

pub fn main() -> anyhow::Result<()> {
    // ANCHOR: producers
    let (tx, rx) = mpsc::channel();
    let mut producers = Vec::new();
    for producer in 0..PRODUCERS {
        // Each producer owns a clone of the sender (the "mp" of mpsc).
        let tx = tx.clone();
        producers.push(thread::spawn(move || {
            for message in 0..MESSAGES_EACH {
                tx.send(format!("producer {producer}: message {message}"))
                    .expect("the receiver is alive");
            }
        }));
    }
    // Main drops its own sender: the loop below ends when the last one is gone.
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
    // ANCHOR_END: producers
    assert_eq!(received, PRODUCERS * MESSAGES_EACH);

    // ANCHOR: forgotten
    let (tx, rx) = mpsc::channel::<String>();
    let sender = tx.clone();
    let producer =
        thread::spawn(move || sender.send("the only message".to_owned()));
    producer.join().expect("the producer panicked")?;
    // Main still holds `tx` (the forgotten drop): `for message in rx` would
    // wait for ever. A receive with a deadline makes the hang an answer.
    println!("got {:?}", rx.recv_timeout(Duration::from_secs(5))?);
    match rx.recv_timeout(Duration::from_millis(200)) {
        Err(Timeout) => println!("no message within 200 ms: {STILL_ALIVE}"),
        other => bail!("expected a timeout, main holding tx; got {other:?}"),
    }
    drop(tx);
    match rx.recv_timeout(Duration::from_millis(200)) {
        Err(Disconnected) => {
            println!("after drop(tx): disconnected, the loop would end")
        }
        other => bail!("expected a disconnected channel, got {other:?}"),
    }
    // ANCHOR_END: forgotten
    Ok(())
}
