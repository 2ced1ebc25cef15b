//! The check of `race-channel`: calls the reader's `count` with several
//! numbers of threads, each call on a thread of its own with a deadline, and
//! wants the exact count; then looks for a counter still shared in the file.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use super::count;

/// How long one call of `count` may take: a few milliseconds are enough.
const DEADLINE: Duration = Duration::from_secs(20);

/// `count(threads, increments)`, or why it did not return.
fn call(threads: u64, increments: u64) -> Result<u64, String> {
    let (result_tx, result_rx) = mpsc::channel();
    let caller = thread::spawn(move || {
        let counted = count(threads, increments);
        let _ = result_tx.send(counted); // The check may have stopped waiting.
    });
    match result_rx.recv_timeout(DEADLINE) {
        Ok(counted) => Ok(counted),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(format!(
            "count({threads}, {increments}) did not return within {} s: a \
             deadlock? The owner receives until every sender is gone; one still \
             alive (the first one, not dropped before waiting for the owner?) \
             keeps it waiting for ever",
            DEADLINE.as_secs()
        )),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            let payload = caller.join().err();
            let message = payload.as_ref().and_then(|payload| {
                let text = payload.downcast_ref::<&str>().copied();
                text.or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            });
            Err(format!(
                "count({threads}, {increments}) panicked ({}): did the owner \
                 stop before every increment had come? Once it has ended, its \
                 receiver is gone, and every `send` fails. `try_recv` and \
                 `try_iter` stop when the channel is empty for now; `recv` and \
                 `iter` wait until every sender is gone",
                message.unwrap_or("no message")
            ))
        }
    }
}

#[test]
fn every_increment_is_counted() {
    let mut calls = vec![(4, 10_000); 5];
    calls.extend([(16, 1_000), (1, 1_000), (3, 0), (0, 10)]);
    for (threads, increments) in calls {
        let expected = threads * increments;
        let counted = call(threads, increments).unwrap_or_else(|why| panic!("{why}"));
        assert!(
            counted == expected,
            "count({threads}, {increments}) returned {counted}, not {expected}: \
             {} increments lost. A shared counter loses them; an owner that \
             stops before every sender is gone misses them (`try_recv` and \
             `try_iter` stop when the channel is empty for now; `recv` and \
             `iter` wait until every sender is gone)",
            expected.abs_diff(counted)
        );
    }
}

/// The reader's file, without its comments.
fn code() -> String {
    let file = include_str!("exercise.rs");
    let lines = file.lines().map(|line| line.split("//").next().unwrap_or(""));
    lines.collect::<Vec<_>>().join("\n")
}

#[test]
fn no_counter_is_shared() {
    let code = code();
    let shared = ["Atomic", "Mutex", "RwLock", "UnsafeCell"];
    let words = code.split(|c: char| !c.is_alphanumeric() && c != '_');
    let found = words
        .clone()
        .find(|word| shared.iter().any(|kind| word.contains(kind)))
        .or_else(|| code.contains("static mut").then_some("static mut"));
    if let Some(word) = found {
        panic!(
            "the count is still shared: your file uses `{word}`. Give the count \
             one owner, a thread that receives the increments over a channel; \
             the other threads only send"
        );
    }
}
