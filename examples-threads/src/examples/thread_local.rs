//! `thread_local!`, Python's `threading.local`: one static name, a separate
//! value in every thread.

use std::cell::{Cell, RefCell};
use std::thread;

// ANCHOR: declare
thread_local! {
    // Each thread that touches `CALLS` gets its own counter, starting at 0.
    static CALLS: Cell<u32> = const { Cell::new(0) };
    // `RefCell` for a value that is changed in place rather than replaced.
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
                // No lock: no other thread can see this thread's values.
                (CALLS.get(), LOG.with_borrow(Vec::len))
            })
        })
        .collect();
    for (index, handle) in handles.into_iter().enumerate() {
        let (calls, logged) = handle.join().expect("a thread panicked");
        println!("thread {}: made {calls} calls, logged {logged}", index + 1);
        assert_eq!((calls, logged), (index as u32 + 1, index + 1));
    }
    println!(
        "main: made {} calls, logged {}",
        CALLS.get(),
        LOG.with_borrow(Vec::len)
    );
    // ANCHOR_END: threads
    assert_eq!(CALLS.get(), 0);
    Ok(())
}
