//! `mpsc` channels: several producers, one receiver whose loop ends when every sender
//! is gone, a forgotten `drop(tx)` caught by `recv_timeout` instead of a hang, and
//! the bounded `sync_channel`, down to the rendezvous `sync_channel(0)`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, TrySendError};
use std::thread;
use std::time::Duration;

use anyhow::bail;

use shared::{join, join_scoped};

const PRODUCERS: usize = 3;
const MESSAGES_EACH: usize = 5;

/// Three producers send five messages each; then the forgotten-sender mistake,
/// bounded.
pub fn run() -> anyhow::Result<()> {
    // ANCHOR: producers
    let (tx, rx) = mpsc::channel();
    let mut producers = Vec::new();
    for producer in 0..PRODUCERS {
        // Each producer owns a clone of the sender (multi-producer: the "mp" of
        // mpsc).
        let tx = tx.clone();
        producers.push(thread::spawn(move || {
            for message in 0..MESSAGES_EACH {
                tx.send(format!("producer {producer}: message {message}"))
                    .expect("the receiver is alive");
            }
        }));
    }
    // Drop main's own sender: the loop below ends when the last sender is dropped.
    drop(tx);

    let mut received = 0;
    for message in rx {
        println!("got {message}");
        received += 1;
    }
    for producer in producers {
        join(producer)?;
    }
    println!(
        "received {received} of {} messages; the loop ended because every sender \
         was dropped",
        PRODUCERS * MESSAGES_EACH
    );
    // ANCHOR_END: producers
    assert_eq!(received, PRODUCERS * MESSAGES_EACH);

    // ANCHOR: forgotten
    let (tx, rx) = mpsc::channel::<String>();
    let producer = thread::spawn({
        let tx = tx.clone();
        move || tx.send("the only message".to_owned()).expect("the receiver is alive")
    });
    join(producer)?;
    // Main still holds `tx` (the forgotten drop), so `for message in rx` would wait
    // forever after the one message. A receive with a deadline turns the hang into an
    // answer.
    println!("got {:?}", rx.recv_timeout(Duration::from_secs(5))?);
    match rx.recv_timeout(Duration::from_millis(200)) {
        Err(RecvTimeoutError::Timeout) => {
            println!(
                "no message within 200 ms: a sender is still alive (the forgotten \
                 drop(tx))"
            )
        }
        other => {
            bail!("expected a timeout while main still holds a sender, got {other:?}")
        }
    }
    drop(tx);
    match rx.recv_timeout(Duration::from_millis(200)) {
        Err(RecvTimeoutError::Disconnected) => {
            println!("after drop(tx): disconnected, the loop would end")
        }
        other => bail!("expected a disconnected channel, got {other:?}"),
    }
    // ANCHOR_END: forgotten

    // ANCHOR: sync_channel
    // A bounded channel: `sync_channel(2)` holds at most two messages; `send` waits
    // for room.
    let (tx, rx) = mpsc::sync_channel(2);
    tx.send(1)?;
    tx.send(2)?;
    if let Err(TrySendError::Full(message)) = tx.try_send(3) {
        println!(
            "sync_channel(2): message {message} does not fit; `send` would wait for \
             room"
        );
    }
    println!("drained {:?}", rx.try_iter().collect::<Vec<_>>());
    // Capacity 0 is a rendezvous: `send` returns only once a `recv` has taken the
    // message.
    let (tx, rx) = mpsc::sync_channel(0);
    let send_returned = AtomicBool::new(false);
    thread::scope(|scope| {
        let sender = scope.spawn(|| {
            tx.send("the baton").expect("the receiver is alive");
            send_returned.store(true, Ordering::SeqCst);
        });
        // Time for the sender to block (not needed for the result).
        thread::sleep(Duration::from_millis(50));
        println!(
            "sync_channel(0): before recv, send has returned: {}",
            send_returned.load(Ordering::SeqCst)
        );
        println!("sync_channel(0): received {:?}", rx.recv()?);
        join_scoped(sender)
    })?;
    // ANCHOR_END: sync_channel
    Ok(())
}
