//! Detached threads, Python's `daemon=True`: a thread nobody joins is killed
//! when `main` returns.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

pub fn main() -> anyhow::Result<()> {
    let (first_beat_tx, first_beat_rx) = mpsc::channel();
    let heartbeat = thread::spawn(move || {
        for beat in 1.. {
            println!("heartbeat {beat}");
            if beat == 1 {
                first_beat_tx.send(()).expect("main waits for the first beat");
            }
            thread::sleep(Duration::from_millis(40));
        }
    });
    drop(heartbeat); // Nobody can join it now; it ends with the process.
    first_beat_rx.recv_timeout(Duration::from_secs(5))?;
    thread::sleep(Duration::from_millis(100));
    println!(
        "main returns now; the heartbeat thread is still running and ends \
         with the process"
    );
    Ok(())
}
