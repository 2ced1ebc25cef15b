//! Atomics: a stop flag (`AtomicBool`) and a progress counter (`AtomicU64`)
//! shared by worker threads, and a value published with Release/Acquire. Each
//! ordering is explained once.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::bail;

const WORKERS: u64 = 2;
const ENOUGH_UNITS: u64 = 200;

pub fn main() -> anyhow::Result<()> {
    // ANCHOR: stop
    let stop = AtomicBool::new(false);
    let progress = AtomicU64::new(0);
    let done_by_each = thread::scope(|scope| {
        let workers: Vec<_> = (0..WORKERS)
            .map(|_| {
                scope.spawn(|| {
                    let mut units = 0;
                    // Relaxed: the flag carries no other data, it only says
                    // "stop"; the join below is what makes each worker's work
                    // visible to main.
                    while !stop.load(Ordering::Relaxed) {
                        // A unit of work the compiler cannot fold away.
                        let bound = std::hint::black_box(2_000u64);
                        std::hint::black_box(
                            (1..bound).map(u64::count_ones).sum::<u32>(),
                        );
                        units += 1;
                        // Relaxed: a plain count. `fetch_add` never loses an
                        // increment, whatever the ordering; ordering is about
                        // *other* memory.
                        progress.fetch_add(1, Ordering::Relaxed);
                    }
                    units
                })
            })
            .collect();
        let deadline = Instant::now() + Duration::from_secs(5);
        while progress.load(Ordering::Relaxed) < ENOUGH_UNITS
            && Instant::now() < deadline
        {
            thread::sleep(Duration::from_millis(1));
        }
        stop.store(true, Ordering::Relaxed);
        workers
            .into_iter()
            .map(|worker| worker.join().expect("a worker panicked"))
            .collect::<Vec<_>>()
    });
    let (total, sum_of_own) =
        (progress.into_inner(), done_by_each.iter().sum::<u64>());
    println!(
        "stopped at {total} units (asked for {ENOUGH_UNITS}); each worker did \
         {done_by_each:?}"
    );
    println!(
        "the workers' own counts add up to the shared counter: {}",
        sum_of_own == total
    );
    // ANCHOR_END: stop
    assert_eq!(sum_of_own, total);

    // ANCHOR: publish
    let data = AtomicU64::new(0);
    let ready = AtomicBool::new(false);
    let seen = thread::scope(|scope| {
        let reader = scope.spawn(|| {
            let deadline = Instant::now() + Duration::from_secs(5);
            // Acquire pairs with the Release below: once `ready` reads true,
            // everything the writer did before setting it (storing 42) is
            // visible here too.
            while !ready.load(Ordering::Acquire) {
                if Instant::now() > deadline {
                    bail!("the data was not published within 5 s");
                }
                thread::yield_now();
            }
            Ok(data.load(Ordering::Relaxed))
        });
        data.store(42, Ordering::Relaxed);
        ready.store(true, Ordering::Release);
        reader.join().expect("the reader panicked")
    })?;
    println!(
        "published with Release, read with Acquire: the reader saw {seen}"
    );
    // ANCHOR_END: publish
    assert_eq!(seen, 42);
    Ok(())
}
