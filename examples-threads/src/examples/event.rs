//! `Event`, Python's `threading.Event`: threads wait until another thread sets
//! a flag. Std has none; here is one, from a `Mutex` and a `Condvar`.

use std::sync::{Condvar, Mutex, MutexGuard};
use std::thread;
use std::time::Duration;

// ANCHOR: event
#[derive(Default)]
pub struct Event {
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Default)]
struct State {
    is_set: bool,
    // A waiter that sees this move was set free, even if `clear` came next.
    sets: u64,
}

impl Event {
    pub fn set(&self) {
        let mut state = self.lock();
        state.is_set = true;
        state.sets += 1;
        self.changed.notify_all();
    }

    pub fn clear(&self) {
        self.lock().is_set = false;
    }

    pub fn is_set(&self) -> bool {
        self.lock().is_set
    }

    pub fn wait(&self) {
        let mut state = self.lock();
        let sets_at_start = state.sets;
        while !state.is_set && state.sets == sets_at_start {
            state = self.changed.wait(state).expect("no panic holding it");
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().expect("no thread panics holding the lock")
    }
}
// ANCHOR_END: event
// ANCHOR: wait_timeout
impl Event {
    pub fn wait_timeout(&self, timeout: Duration) -> bool {
        let state = self.lock();
        let sets_at_start = state.sets;
        let (state, _) = self
            .changed
            .wait_timeout_while(state, timeout, |state| {
                !state.is_set && state.sets == sets_at_start
            })
            .expect("no thread panics holding the lock");
        state.is_set || state.sets != sets_at_start
    }
}
// ANCHOR_END: wait_timeout

pub fn main() -> anyhow::Result<()> {
    // ANCHOR: main
    let start = &Event::default();
    let waited = start.wait_timeout(Duration::from_millis(50));
    println!("before set: wait_timeout(50 ms) returned {waited}");
    thread::scope(|scope| {
        let workers = [0, 1, 2].map(|worker| {
            scope.spawn(move || {
                let started = start.wait_timeout(Duration::from_secs(5));
                assert!(started, "worker {worker}: no start signal in 5 s");
                println!("worker {worker}: started");
            })
        });
        println!("main: setting the event");
        start.set();
        for worker in workers {
            worker.join().expect("a worker panicked");
        }
    });
    println!("all 3 workers started after the event was set");
    start.wait(); // Set, so it returns at once, until a `clear`.
    println!("after set: wait() returned at once; is_set = {}", start.is_set());
    start.clear();
    println!("after clear: is_set = {}", start.is_set());
    // ANCHOR_END: main
    Ok(())
}
