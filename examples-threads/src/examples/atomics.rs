//! Atomics: a stop flag and a progress counter shared by worker threads.

use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

const ENOUGH_UNITS: u64 = 200;

pub fn main() -> anyhow::Result<()> {
    let stop = AtomicBool::new(false);
    let progress = AtomicU64::new(0);
    let done_by_each = thread::scope(|scope| {
        let workers: Vec<_> = (0..2)
            .map(|_| {
                scope.spawn(|| {
                    let mut units: u64 = 0;
                    // Relaxed: the flag carries no other data; the join below
                    // is what makes each worker's work visible to main.
                    while !stop.load(Ordering::Relaxed) {
                        let work =
                            (1..black_box(2_000u64)).map(u64::count_ones);
                        black_box(work.sum::<u32>());
                        units += 1;
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
    let total = progress.into_inner();
    println!(
        "stopped at {total} units (asked for {ENOUGH_UNITS}); each worker did \
         {done_by_each:?}"
    );
    let sum_of_own: u64 = done_by_each.iter().sum();
    println!(
        "the workers' own counts add up to the shared counter: {}",
        sum_of_own == total
    );
    assert_eq!(sum_of_own, total);
    Ok(())
}
