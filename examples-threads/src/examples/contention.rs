//! Contention: threads adding to one count three ways, a `Mutex`, one atomic
//! and a sharded counter, timed on 1 to 8 threads.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::thread;
use std::time::{Duration, Instant};

use crossbeam::utils::CachePadded;

/// Increments in all, split evenly over the threads.
pub const TOTAL: u64 = 1 << 20;
pub const THREADS: [usize; 4] = [1, 2, 4, 8];

#[derive(Clone, Copy, Debug)]
pub enum Way {
    Mutex,
    Atomic,
    Sharded,
}

// ANCHOR: counters
#[derive(Default)]
struct Counters {
    mutex: Mutex<u64>,
    atomic: AtomicU64,
    /// One cell per thread, each on its own cache lines: no two threads write
    /// to one line, and reading the total means summing every cell.
    shards: Vec<CachePadded<AtomicU64>>,
}

/// Adds one to the count, the `way` way; `index` is the calling thread's
/// number.
fn add_one(counters: &Counters, way: Way, index: usize) {
    match way {
        // Every thread wants the one lock: they queue, one at a time.
        Way::Mutex => *counters.mutex.lock().expect("no thread panics") += 1,
        // No queue, but every write needs the one cache line, owned
        // exclusively.
        Way::Atomic => _ = counters.atomic.fetch_add(1, Relaxed),
        // Each thread its own line: nothing is shared until the sum.
        Way::Sharded => _ = counters.shards[index].fetch_add(1, Relaxed),
    }
}
// ANCHOR_END: counters

// ANCHOR: count
/// `threads` threads add `total` ones in all, the `way` way; returns how long
/// they took, after checking that the count is exact.
pub fn count(way: Way, threads: usize, total: u64) -> anyhow::Result<Duration> {
    let per_thread = total / threads as u64;
    let mut counters = Counters::default();
    counters.shards.resize_with(threads, Default::default);
    let started = Instant::now();
    // Steps 1 to 3: create, set the target and start, in one call per thread.
    thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|index| {
                let counters = &counters;
                scope.spawn(move || {
                    (0..per_thread).for_each(|_| add_one(counters, way, index))
                })
            })
            .collect();
        // Step 4: join every thread.
        for worker in workers {
            worker.join().expect("a counting thread panicked");
        }
    });
    let elapsed = started.elapsed();
    let counted = match way {
        Way::Mutex => *counters.mutex.lock().expect("no thread panicked"),
        Way::Atomic => counters.atomic.load(Relaxed),
        Way::Sharded => counters.shards.iter().map(|s| s.load(Relaxed)).sum(),
    };
    anyhow::ensure!(
        counted == per_thread * threads as u64,
        "{way:?}: {counted}"
    );
    Ok(elapsed)
}
// ANCHOR_END: count

pub fn main() -> anyhow::Result<()> {
    let cpus = thread::available_parallelism().map_or(1, |cpus| cpus.get());
    println!("CPUs this process may use: {cpus}");
    println!(
        "{TOTAL} increments in all, split over the threads; every count exact"
    );
    println!("threads | Mutex, ms | atomic, ms | sharded, ms");
    for threads in THREADS {
        let mut row = format!("{threads}");
        for way in [Way::Mutex, Way::Atomic, Way::Sharded] {
            let ms = count(way, threads, TOTAL)?.as_secs_f64() * 1e3;
            row += &format!(" | {ms:.1}");
        }
        println!("{row}");
    }
    Ok(())
}
