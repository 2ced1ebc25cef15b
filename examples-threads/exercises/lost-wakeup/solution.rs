// Exercise `lost-wakeup`: a producer puts numbered items in a queue, two
// consumers take them, and `finish` tells the consumers that no more will
// come. Now and then a consumer waits for ever. Find the lost wake-up; fix it.
//
// The check runs `Queue` under loom, every interleaving, the rare one too,
// then the program with a deadline. loom's Condvar has `wait` but no
// `wait_while`: keep the loop.
#[cfg(loom)]
use loom::sync::{Condvar, Mutex};
use std::collections::VecDeque;
#[cfg(not(loom))]
use std::sync::{Condvar, Mutex};
use std::thread;

// What the consumers wait for, all of it under one lock.
struct State {
    items: VecDeque<u32>,
    done: bool, // No more items will come.
}

struct Queue {
    state: Mutex<State>,
    changed: Condvar,
}

impl Queue {
    fn new() -> Queue {
        let state = State { items: VecDeque::new(), done: false };
        Queue { state: Mutex::new(state), changed: Condvar::new() }
    }

    fn put(&self, item: u32) {
        let mut state = self.state.lock().expect("no panic holding the queue");
        state.items.push_back(item);
        drop(state); // Unlocked first: the woken consumer finds it free.
        self.changed.notify_one(); // One new item: wake one consumer.
    }

    fn finish(&self) {
        // Under the lock: not between a consumer's check and its wait.
        self.state.lock().expect("no panic holding the queue").done = true;
        self.changed.notify_all(); // The end: wake every consumer.
    }

    /// The next item; `None` once the queue is finished and empty.
    fn take(&self) -> Option<u32> {
        let mut state = self.state.lock().expect("no panic holding the queue");
        while state.items.is_empty() && !state.done {
            state = self.changed.wait(state).expect("no panic holding it");
        }
        state.items.pop_front()
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
