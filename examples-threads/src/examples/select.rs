//! crossbeam channels: a bounded channel holds back a fast producer
//! (back-pressure), and `select!` waits on two channels and a timeout at once.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use anyhow::bail;
use crossbeam::channel::{TrySendError, bounded, never, select, unbounded};

const CAPACITY: usize = 2;
const STUCK: Duration = Duration::from_secs(5);
const QUIET: Duration = Duration::from_millis(100);

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

    // ANCHOR: select
    let (numbers_tx, mut numbers_rx) = unbounded();
    let (letters_tx, mut letters_rx) = unbounded();
    let numbers = thread::spawn(move || {
        (0..5).try_for_each(|number| numbers_tx.send(number))
    });
    let letters = thread::spawn(move || {
        ('A'..='E').try_for_each(|letter| letters_tx.send(letter))
    });
    let (mut received, mut open) = (0, 2);
    while open > 0 {
        select! {
            recv(numbers_rx) -> number => match number {
                Ok(number) => {
                    println!("select: number {number}");
                    received += 1;
                }
                // Closed: swap in a channel that never delivers, so select
                // stops picking it.
                Err(_) => { numbers_rx = never(); open -= 1 }
            },
            recv(letters_rx) -> letter => match letter {
                Ok(letter) => {
                    println!("select: letter {letter}");
                    received += 1;
                }
                Err(_) => { letters_rx = never(); open -= 1 }
            },
            default(STUCK) => bail!("a producer is stuck ({STUCK:?})"),
        }
    }
    numbers.join().expect("the numbers producer panicked")?;
    letters.join().expect("the letters producer panicked")?;
    println!("select received {received} messages from two channels");
    // A channel whose sender is alive but silent: the timeout case of `select!`
    // fires.
    let (_silent_tx, silent_rx) = unbounded::<()>();
    select! {
        recv(silent_rx) -> _ => bail!("the silent channel delivered something"),
        default(QUIET) => {
            println!("select: timed out after {} ms", QUIET.as_millis())
        }
    }
    // ANCHOR_END: select
    Ok(())
}
