//! Atomics: a stop flag and a progress counter shared by worker threads.

use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::thread;
use std::time::{Duration, Instant};

const ENOUGH: u64 = 200; // Units of work.

pub fn main() -> anyhow::Result<()> {
    let (stop, progress) = (AtomicBool::new(false), AtomicU64::new(0));
    let work = || {
        let mut units: u64 = 0;
        while !stop.load(Relaxed) {
            black_box(
                (1..black_box(2_000u64)).map(u64::count_ones).sum::<u32>(),
            );
            units += 1;
            progress.fetch_add(1, Relaxed);
        }
        units
    };
    let done_by_each = thread::scope(|scope| {
        let workers = [scope.spawn(work), scope.spawn(work)];
        let deadline = Instant::now() + Duration::from_secs(5);
        while progress.load(Relaxed) < ENOUGH && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(1));
        }
        stop.store(true, Relaxed);
        workers.map(|worker| worker.join().expect("a worker panicked"))
    });
    let total = progress.into_inner();
    println!(
        "stopped at {total} units (asked for {ENOUGH}); each worker did \
         {done_by_each:?}"
    );
    let adds_up = done_by_each.iter().sum::<u64>() == total;
    println!("the workers' own counts add up to the shared counter: {adds_up}");
    assert!(adds_up);
    Ok(())
}
