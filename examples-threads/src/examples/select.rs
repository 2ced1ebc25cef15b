//! crossbeam's `select!`: two channels and a timeout at once (std has none).

use std::thread;
use std::time::Duration;

use anyhow::bail;
use crossbeam::channel::{never, select, unbounded};

const QUIET: Duration = Duration::from_millis(100);

pub fn main() -> anyhow::Result<()> {
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
                // Closed: ready for ever, so swap in a channel that never is.
                Err(_) => { numbers_rx = never(); open -= 1 }
            },
            recv(letters_rx) -> letter => match letter {
                Ok(letter) => {
                    println!("select: letter {letter}");
                    received += 1;
                }
                Err(_) => { letters_rx = never(); open -= 1 }
            },
            default(Duration::from_secs(5)) => bail!("a producer is stuck"),
        }
    }
    numbers.join().expect("the numbers producer panicked")?;
    letters.join().expect("the letters producer panicked")?;
    println!("select received {received} messages from two channels");

    let (_silent_tx, silent_rx) = unbounded::<()>();
    select! {
        recv(silent_rx) -> _ => bail!("the silent channel delivered something"),
        default(QUIET) => {
            println!("select: timed out after {} ms", QUIET.as_millis())
        }
    }
    Ok(())
}
