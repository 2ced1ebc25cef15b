//! Python's `threading.Timer`: run a function after a delay unless cancelled.
//! Std has none; a channel with a timeout makes one.

use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

// ANCHOR: timer
struct Timer {
    cancel: Sender<()>,
    thread: JoinHandle<bool>,
}

fn start_timer(
    delay: Duration,
    action: impl FnOnce() + Send + 'static,
) -> Timer {
    let (cancel, cancelled) = mpsc::channel();
    let thread = thread::spawn(move || match cancelled.recv_timeout(delay) {
        Err(RecvTimeoutError::Timeout) => {
            action();
            true
        }
        Ok(()) | Err(RecvTimeoutError::Disconnected) => false,
    });
    Timer { cancel, thread }
}

impl Timer {
    fn cancel(self) -> bool {
        drop(self.cancel); // The timer thread wakes at once.
        self.thread.join().expect("the timer thread panicked")
    }

    fn wait(self) -> bool {
        let Timer { cancel, thread } = self;
        let fired = thread.join().expect("the timer thread panicked");
        // Kept alive until here: dropping it earlier would cancel the timer.
        drop(cancel);
        fired
    }
}
// ANCHOR_END: timer

pub fn main() -> anyhow::Result<()> {
    // ANCHOR: use
    let started = Instant::now();
    let short = start_timer(Duration::from_millis(100), move || {
        println!(
            "short timer: fired after {} ms",
            started.elapsed().as_millis()
        );
    });
    let long = start_timer(Duration::from_secs(10), || {
        println!("long timer: fired (it should not have)")
    });

    let long_fired = long.cancel();
    println!(
        "long timer: cancelled after {} ms; it fired: {long_fired}",
        started.elapsed().as_millis()
    );
    let short_fired = short.wait();
    println!("short timer: it fired: {short_fired}");
    // ANCHOR_END: use
    assert!(short_fired && !long_fired);
    Ok(())
}
