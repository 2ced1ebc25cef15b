//! `Event`, Python's `threading.Event`: threads wait until another thread sets
//! a flag. Std has none; `shared::sync::Event` is one, built from a `Mutex` and
//! a `Condvar`.

use std::thread;
use std::time::Duration;

use anyhow::bail;
use shared::sync::Event;

use shared::join_scoped;

const WORKERS: usize = 3;

/// Three workers wait for a start signal that main gives; then a set event,
/// cleared.
pub fn run() -> anyhow::Result<()> {
    // ANCHOR: event
    let start = Event::new();
    // Nobody has set it: a wait with a timeout gives up and says so (Python's
    // `wait(0.05)`).
    println!(
        "before set: wait_timeout(50 ms) returned {}",
        start.wait_timeout(Duration::from_millis(50))
    );

    thread::scope(|scope| {
        let workers: Vec<_> = (0..WORKERS)
            .map(|worker| {
                let start = &start;
                scope.spawn(move || {
                    // Bounded, so a bug here fails the example instead of
                    // hanging it.
                    if !start.wait_timeout(Duration::from_secs(5)) {
                        bail!("worker {worker}: no start signal within 5 s");
                    }
                    println!("worker {worker}: started");
                    Ok(())
                })
            })
            .collect();
        // Whether a worker is already waiting or not yet: the flag is what it
        // checks, so it cannot miss the signal.
        println!("main: setting the event");
        start.set();
        workers.into_iter().try_for_each(|worker| join_scoped(worker)?)
    })?;
    // ANCHOR_END: event
    println!("all {WORKERS} workers started after the event was set");

    // ANCHOR: after
    // A set event lets every later waiter straight through, until it is
    // cleared.
    start.wait();
    println!("after set: wait() returned at once; is_set = {}", start.is_set());
    start.clear();
    println!("after clear: is_set = {}", start.is_set());
    // ANCHOR_END: after
    Ok(())
}
