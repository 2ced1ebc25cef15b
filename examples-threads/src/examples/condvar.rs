//! `Condvar`, Python's `threading.Condition`: consumers sleep until a producer
//! tells them the queue has changed, instead of polling it.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex};
use std::thread;
use std::time::Duration;

struct Queue {
    items: VecDeque<u32>,
    done: bool,
}

pub fn main() -> anyhow::Result<()> {
    let queue = Mutex::new(Queue { items: VecDeque::new(), done: false });
    let changed = Condvar::new();

    let consume = |name: &str| -> anyhow::Result<Vec<u32>> {
        let mut taken = Vec::new();
        loop {
            let queue =
                queue.lock().expect("no thread panics holding the queue");
            let (mut queue, waited) = changed
                .wait_timeout_while(queue, Duration::from_secs(5), |queue| {
                    queue.items.is_empty() && !queue.done
                })
                .expect("no thread panics holding the queue");
            anyhow::ensure!(!waited.timed_out(), "{name}: nothing for 5 s");
            match queue.items.pop_front() {
                Some(item) => taken.push(item),
                None => return Ok(taken), // Empty and done.
            }
        }
    };

    let (first, second) = thread::scope(|scope| {
        let first = scope.spawn(|| consume("consumer 1"));
        let second = scope.spawn(|| consume("consumer 2"));
        for item in 1..=10 {
            thread::sleep(Duration::from_millis(1)); // Making it takes a while.
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

    println!("consumer 1 took {first:?}");
    println!("consumer 2 took {second:?}");
    let mut all: Vec<u32> = first.into_iter().chain(second).collect();
    all.sort_unstable();
    let exact = all == (1..=10).collect::<Vec<u32>>();
    println!("together: {} items, each exactly once: {exact}", all.len());
    assert!(exact);
    Ok(())
}
