//! `thread_local!`: one static name, a separate value in every thread.

use std::cell::{Cell, RefCell};
use std::thread;

// ANCHOR: declare
thread_local! {
    static CALLS: Cell<u32> = const { Cell::new(0) };
    static LOG: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

fn record_call(what: &str) {
    CALLS.with(|calls| calls.set(calls.get() + 1));
    LOG.with_borrow_mut(|log| log.push(what.to_owned()));
}
// ANCHOR_END: declare

pub fn main() -> anyhow::Result<()> {
    // ANCHOR: threads
    let handles: Vec<_> = (1..=3)
        .map(|calls| {
            thread::spawn(move || {
                for call in 0..calls {
                    record_call(&format!("call {call}"));
                }
                (CALLS.get(), LOG.with_borrow(Vec::len))
            })
        })
        .collect();
    for (index, handle) in handles.into_iter().enumerate() {
        let (calls, logged) = handle.join().expect("a thread panicked");
        println!("thread {}: made {calls} calls, logged {logged}", index + 1);
    }
    let (calls, logged) = (CALLS.get(), LOG.with_borrow(Vec::len));
    println!("main: made {calls} calls, logged {logged}");
    // ANCHOR_END: threads
    Ok(())
}
