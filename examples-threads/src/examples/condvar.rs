//! `Condvar`, Python's `threading.Condition`: consumers sleep until a producer
//! tells them the queue has changed, instead of polling it.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex};
use std::thread;
use std::time::Duration;

use anyhow::bail;

const ITEMS: u32 = 10;

struct Queue {
    items: VecDeque<u32>,
    done: bool,
}

pub fn main() -> anyhow::Result<()> {
    // ANCHOR: condvar
    let queue = Mutex::new(Queue { items: VecDeque::new(), done: false });
    let changed = Condvar::new();

    let consume = |name: &str| -> anyhow::Result<Vec<u32>> {
        let mut taken = Vec::new();
        loop {
            let queue =
                queue.lock().expect("no thread panics holding the queue");
            // Unlocks, sleeps, and rechecks after every wake-up (Python's
            // `wait_for(predicate, timeout)`).
            let (mut queue, waited) = changed
                .wait_timeout_while(queue, Duration::from_secs(5), |queue| {
                    queue.items.is_empty() && !queue.done
                })
                .expect("no thread panics holding the queue");
            if waited.timed_out() {
                bail!("{name}: no item and no end for 5 s");
            }
            match queue.items.pop_front() {
                Some(item) => taken.push(item),
                None => return Ok(taken), // Empty and done.
            }
        }
    };

    let (first, second) = thread::scope(|scope| {
        let first = scope.spawn(|| consume("consumer 1"));
        let second = scope.spawn(|| consume("consumer 2"));
        for item in 1..=ITEMS {
            // As if making the item took a while.
            thread::sleep(Duration::from_millis(1));
            queue
                .lock()
                .expect("no thread panics holding the queue")
                .items
                .push_back(item);
            changed.notify_one(); // One new item: wake one consumer.
        }
        queue.lock().expect("no thread panics holding the queue").done = true;
        changed.notify_all(); // The end: wake every consumer.
        let first = first.join().expect("consumer 1 panicked");
        let second = second.join().expect("consumer 2 panicked");
        anyhow::Ok((first?, second?))
    })?;
    // ANCHOR_END: condvar

    println!("consumer 1 took {first:?}");
    println!("consumer 2 took {second:?}");
    let mut all: Vec<u32> = first.into_iter().chain(second).collect();
    all.sort_unstable();
    let every_item: Vec<u32> = (1..=ITEMS).collect();
    let (count, exact) = (all.len(), all == every_item);
    println!("together: {count} items, each exactly once: {exact}");
    assert_eq!(all, every_item);
    Ok(())
}
