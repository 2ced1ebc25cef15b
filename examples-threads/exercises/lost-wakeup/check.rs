//! `lost-wakeup`, under loom: every interleaving of a producer and its
//! consumers, the rare one in which a wake-up is lost too.
#![cfg(loom)]

use std::sync::{Arc, Once};

use loom::sync::atomic::{AtomicBool, Ordering};
use loom::thread;

use super::Queue;

/// Runs `model` under loom. loom fails a model whose threads all wait, none
/// able to run, with `deadlock`: said here in the exercise's words.
fn every_interleaving(model: impl Fn() + Sync + Send + 'static) {
    // loom's own panic message is replaced by ours, not printed before it.
    static QUIET: Once = Once::new();
    QUIET.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let text = info.payload().downcast_ref::<String>();
            if !text.is_some_and(|text| text.starts_with("deadlock;")) {
                previous(info);
            }
        }));
    });
    let model = std::panic::AssertUnwindSafe(|| loom::model(model));
    let Err(panic) = std::panic::catch_unwind(model) else {
        return;
    };
    let found = panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|text| text.to_string()))
        .unwrap_or_default();
    if found.starts_with("deadlock") {
        panic!(
            "a lost wake-up: a consumer still waits after `finish`, and \
             nothing will wake it (loom found the interleaving; under loom a \
             timed wait never times out: a timeout only hides a lost wake-up)"
        );
    }
    std::panic::resume_unwind(panic);
}

/// A consumer thread takes items until `None`: what it took.
fn consumer(
    queue: &Arc<Queue>,
    finishing: &Arc<AtomicBool>,
) -> thread::JoinHandle<Vec<u32>> {
    let (queue, finishing) = (Arc::clone(queue), Arc::clone(finishing));
    thread::spawn(move || {
        let mut taken = Vec::new();
        while let Some(item) = queue.take() {
            taken.push(item);
        }
        // A `None` that saw `finish` under the lock sees `finishing` too.
        assert!(
            finishing.load(Ordering::SeqCst),
            "`take` returned None before the queue was finished: a consumer \
             woken for an item that was already taken did not wait again"
        );
        taken
    })
}

#[test]
fn one_consumer() {
    every_interleaving(|| {
        let queue = Arc::new(Queue::new());
        let finishing = Arc::new(AtomicBool::new(false));
        let taking = consumer(&queue, &finishing);
        queue.put(1);
        finishing.store(true, Ordering::SeqCst);
        queue.finish();
        let taken = taking.join().expect("the consumer panicked");
        assert!(taken == [1], "the consumer took {taken:?}, not [1]");
    });
}

#[test]
fn two_consumers() {
    every_interleaving(|| {
        let queue = Arc::new(Queue::new());
        let finishing = Arc::new(AtomicBool::new(false));
        let first = consumer(&queue, &finishing);
        let second = consumer(&queue, &finishing);
        queue.put(1);
        queue.put(2);
        finishing.store(true, Ordering::SeqCst);
        queue.finish();
        let mut taken = first.join().expect("a consumer panicked");
        taken.extend(second.join().expect("a consumer panicked"));
        taken.sort_unstable();
        assert!(taken == [1, 2], "the consumers took {taken:?}, not 1 and 2");
    });
}
