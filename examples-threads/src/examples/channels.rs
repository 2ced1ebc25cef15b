//! `mpsc` channels: producers and the loop's end, a forgotten `drop(tx)` caught
//! by `recv_timeout`, and the bounded `sync_channel`, down to the rendezvous.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::RecvTimeoutError::{Disconnected, Timeout};
use std::sync::mpsc::{self, TrySendError};
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

    // ANCHOR: sync_channel
    // Bounded: `sync_channel(2)` holds two messages at most; `send` waits.
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
