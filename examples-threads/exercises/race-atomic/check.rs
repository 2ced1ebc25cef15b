//! The check of `race-atomic`, under loom: two threads call the reader's
//! `increment` twice each, and loom runs every interleaving of them (up to
//! `LOOM_MAX_PREEMPTIONS` preemptions), not only the few a real run happens
//! to take. One interleaving that loses an increment fails the check.

#![cfg(loom)]

use loom::sync::Arc;
use loom::sync::atomic::{AtomicU64, Ordering::SeqCst};
use loom::thread;

use super::increment;

#[test]
fn no_interleaving_loses_an_increment() {
    loom::model(|| {
        let counter = Arc::new(AtomicU64::new(0));
        let threads: Vec<_> = (0..2)
            .map(|_| {
                let counter = Arc::clone(&counter);
                thread::spawn(move || {
                    increment(&counter); // Takes a `&AtomicU64`, as in the starter.
                    increment(&counter);
                })
            })
            .collect();
        for thread in threads {
            thread.join().expect("a thread panicked");
        }
        let counted = counter.load(SeqCst);
        assert!(
            counted == 4,
            "two threads each called `increment` twice, and the counter says \
             {counted}: an increment was lost. Two increments read the same \
             value, and only one of them counted. The read, the add and the \
             write must be one indivisible step (or, with `compare_exchange`, \
             retried until it succeeds): no ordering, fence or pause makes two \
             steps one"
        );
    });
}
