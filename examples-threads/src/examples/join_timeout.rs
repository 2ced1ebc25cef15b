//! A join with a timeout, Python's `join(timeout)`: std has none; a channel
//! on which the thread sends its result makes one.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

use anyhow::bail;

pub fn main() -> anyhow::Result<()> {
    // The worker waits for main's go-ahead, so it is certainly still running
    // at the first join.
    let (go_tx, go_rx) = mpsc::channel();
    let (result_tx, result_rx) = mpsc::channel();
    let worker = thread::spawn(move || {
        go_rx.recv().expect("main sends go");
        result_tx.send(6 * 7).expect("main keeps the receiver");
    });
    match result_rx.recv_timeout(Duration::from_millis(50)) {
        Err(RecvTimeoutError::Timeout) => println!(
            "join with 50 ms timeout: still running (is_finished = {})",
            worker.is_finished()
        ),
        other => bail!("the worker was meant to be still running: {other:?}"),
    }
    go_tx.send(())?;
    let answer = result_rx.recv_timeout(Duration::from_secs(5))?;
    println!("join with 5 s timeout: finished with {answer}");
    // Its result is sent: this join waits only for its last instructions.
    worker.join().expect("the worker panicked");
    Ok(())
}
