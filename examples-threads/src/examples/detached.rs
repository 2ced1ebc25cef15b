//! Detached threads, Python's `daemon=True`: a thread nobody joins is killed
//! when `main` returns. And a join with a timeout, which std does not have,
//! made from a channel.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

use anyhow::bail;

pub fn main() -> anyhow::Result<()> {
    // ANCHOR: daemon
    let (first_beat_tx, first_beat_rx) = mpsc::channel();
    let heartbeat =
        thread::Builder::new().name("heartbeat".into()).spawn(move || {
            for beat in 1.. {
                println!("heartbeat {beat}");
                if beat == 1 {
                    first_beat_tx
                        .send(())
                        .expect("main waits for the first beat");
                }
                thread::sleep(Duration::from_millis(40));
            }
        })?;
    // Dropping the handle detaches the thread: nobody can join it any more. It
    // runs until the process ends, and the process ends when `main` returns,
    // whatever it is doing.
    drop(heartbeat);
    // ANCHOR_END: daemon
    // It has certainly started.
    first_beat_rx.recv_timeout(Duration::from_secs(5))?;

    // ANCHOR: timeout
    // The worker sends its result on a channel as its last act; the receiver
    // can wait with a deadline, which `JoinHandle::join` cannot (Python's
    // `join(timeout)`). Its "work" is to wait for main's go-ahead, so it is
    // certainly still running at the first join.
    let (go_tx, go_rx) = mpsc::channel();
    let (result_tx, result_rx) = mpsc::channel();
    let worker = thread::spawn(move || {
        go_rx.recv().expect("main sends go");
        result_tx.send(6 * 7).expect("main keeps the receiver");
    });
    match result_rx.recv_timeout(Duration::from_millis(50)) {
        Err(RecvTimeoutError::Timeout) => {
            println!(
                "join with 50 ms timeout: still running (is_finished = {})",
                worker.is_finished()
            )
        }
        other => {
            bail!("the worker was meant to be still running, got {other:?}")
        }
    }
    go_tx.send(())?;
    let answer = result_rx.recv_timeout(Duration::from_secs(5))?;
    println!("join with 5 s timeout: finished with {answer}");
    // It has sent its result, so this join waits at most for the thread's last
    // instructions.
    worker.join().expect("the worker panicked");
    // ANCHOR_END: timeout

    println!(
        "main returns now; the heartbeat thread is still running and ends \
         with the process"
    );
    Ok(())
}
