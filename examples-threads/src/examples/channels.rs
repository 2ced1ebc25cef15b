//! `mpsc`: several producers, one receiver, and a loop that ends with them.

use std::sync::mpsc;
use std::thread;

const PRODUCERS: usize = 3;
const MESSAGES_EACH: usize = 5;

pub fn main() -> anyhow::Result<()> {
    let (tx, rx) = mpsc::channel();
    let mut producers = Vec::new();
    for producer in 0..PRODUCERS {
        let tx = tx.clone();
        // Steps 1 to 3: create, set the target and start, in one call.
        producers.push(thread::spawn(move || {
            for message in 0..MESSAGES_EACH {
                tx.send(format!("producer {producer}: message {message}"))
                    .expect("the receiver is alive");
            }
        }));
    }
    drop(tx); // Otherwise the loop below never ends: see forgotten-drop.
    let mut received = 0;
    for message in rx {
        println!("got {message}");
        received += 1;
    }
    // Step 4: join every producer.
    for producer in producers {
        producer.join().expect("a producer panicked");
    }
    let total = PRODUCERS * MESSAGES_EACH;
    println!(
        "received {received} of {total} messages, until no sender was left"
    );
    assert_eq!(received, total);
    Ok(())
}
