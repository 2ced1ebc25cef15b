//! `Semaphore`, Python's `threading.Semaphore` and `BoundedSemaphore`: at most
//! N threads in a section at once. Std has none; `shared::sync::Semaphore` is
//! one, from `Mutex` + `Condvar`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use anyhow::Context;
use shared::sync::Semaphore;

use shared::join_scoped;

const PERMITS: usize = 2;
const WORKERS: usize = 6;

/// Six workers share two permits; then a bounded semaphore refuses an extra
/// release.
pub fn run() -> anyhow::Result<()> {
    // ANCHOR: semaphore
    let slots = Semaphore::new(PERMITS);
    let inside = AtomicUsize::new(0);
    let most_inside = AtomicUsize::new(0);

    thread::scope(|scope| {
        let workers: Vec<_> = (0..WORKERS)
            .map(|worker| {
                let (slots, inside, most_inside) =
                    (&slots, &inside, &most_inside);
                scope.spawn(move || {
                    // Takes a permit, waiting while both are taken (Python's
                    // `with slots:`).
                    let permit = slots
                        .acquire_timeout(Duration::from_secs(5))
                        .context("no permit within 5 s")?;
                    let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                    most_inside.fetch_max(now, Ordering::SeqCst);
                    println!(
                        "worker {worker}: inside, {now} of at most {PERMITS}"
                    );
                    thread::sleep(Duration::from_millis(20));
                    inside.fetch_sub(1, Ordering::SeqCst);
                    // Gives the permit back: one waiting worker goes in.
                    drop(permit);
                    anyhow::Ok(())
                })
            })
            .collect();
        workers.into_iter().try_for_each(|worker| join_scoped(worker)?)
    })?;
    let most_inside = most_inside.into_inner();
    println!(
        "at most {most_inside} workers were inside at once (permits: {PERMITS})"
    );
    assert!(most_inside <= PERMITS);
    // ANCHOR_END: semaphore

    // ANCHOR: bounded
    // A bounded semaphore catches a `release` without a matching `acquire`.
    let bounded = Semaphore::bounded(1);
    match bounded.release() {
        Err(error) => println!("bounded: an extra release is refused: {error}"),
        Ok(()) => {
            anyhow::bail!(
                "a bounded semaphore accepted a release beyond its bound"
            )
        }
    }
    // ANCHOR_END: bounded
    Ok(())
}
