//! A join with a timeout, Python's `join(timeout)`: std has none; a channel
//! on which the thread sends its result makes one.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

pub fn main() -> anyhow::Result<()> {
    let (go_tx, go_rx) = mpsc::channel();
    let (result_tx, result_rx) = mpsc::channel();
    let worker = thread::spawn(move || {
        // Still running at the first join.
        go_rx.recv().expect("main sends go");
        result_tx.send(6 * 7).expect("main keeps the receiver");
    });
    let first = result_rx.recv_timeout(Duration::from_millis(50));
    assert_eq!(first, Err(RecvTimeoutError::Timeout), "it waits for go");
    println!(
        "join with 50 ms timeout: still running (is_finished = {})",
        worker.is_finished()
    );
    go_tx.send(())?;
    let answer = result_rx.recv_timeout(Duration::from_secs(5))?;
    println!("join with 5 s timeout: finished with {answer}");
    worker.join().expect("the worker panicked"); // Its result is already in.
    Ok(())
}
