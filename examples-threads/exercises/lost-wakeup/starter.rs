// Exercise `lost-wakeup`: a producer puts numbered items in a queue, two
// consumers take them, and `finish` tells the consumers that no more will
// come. Now and then a consumer waits for ever. Find the lost wake-up; fix it.
//
// The check runs `Queue` under loom, every interleaving, the rare one too,
// then the program with a deadline. loom's Condvar has `wait` but no
// `wait_while`: keep the loop.
#[cfg(loom)]
use loom::sync::atomic::{AtomicBool, Ordering};
#[cfg(loom)]
use loom::sync::{Condvar, Mutex};
use std::collections::VecDeque;
#[cfg(not(loom))]
use std::sync::atomic::{AtomicBool, Ordering};
#[cfg(not(loom))]
use std::sync::{Condvar, Mutex};
use std::thread;

struct Queue {
    items: Mutex<VecDeque<u32>>,
    // No more items will come. An atomic: `finish` needs no lock.
    done: AtomicBool,
    changed: Condvar,
}

impl Queue {
    fn new() -> Queue {
        let items = Mutex::new(VecDeque::new());
        Queue { items, done: AtomicBool::new(false), changed: Condvar::new() }
    }

    fn put(&self, item: u32) {
        self.items.lock().expect("no panic holding the queue").push_back(item);
        self.changed.notify_one(); // One new item: wake one consumer.
    }

    fn finish(&self) {
        self.done.store(true, Ordering::SeqCst);
        self.changed.notify_all(); // The end: wake every consumer.
    }

    /// The next item; `None` once the queue is finished and empty.
    fn take(&self) -> Option<u32> {
        let mut items = self.items.lock().expect("no panic holding the queue");
        while items.is_empty() && !self.done.load(Ordering::SeqCst) {
            items = self.changed.wait(items).expect("no panic holding it");
        }
        items.pop_front()
    }
}

fn main() {
    let queue = Queue::new();
    let taken = thread::scope(|scope| {
        let consume = || {
            let mut taken = Vec::new();
            while let Some(item) = queue.take() {
                taken.push(item);
            }
            taken
        };
        let first = scope.spawn(consume);
        let second = scope.spawn(consume);
        for item in 1..=1000 {
            queue.put(item);
        }
        queue.finish();
        let first = first.join().expect("consumer 1 panicked");
        let second = second.join().expect("consumer 2 panicked");
        [first, second]
    });
    let mut all: Vec<u32> = taken.concat();
    all.sort_unstable();
    println!("consumers took {} and {} items", taken[0].len(), taken[1].len());
    assert!(all == (1..=1000).collect::<Vec<u32>>(), "not every item once");
    println!("1000 items, each taken once");
}
