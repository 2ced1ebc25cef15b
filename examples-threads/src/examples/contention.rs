//! One count on 1 to 8 threads, three ways: a `Mutex`, one atomic, shards.

use std::sync::{Mutex, atomic::AtomicU64, atomic::Ordering::Relaxed};
use std::{thread, time::Duration, time::Instant};

use crossbeam::utils::CachePadded;

pub const TOTAL: u64 = 1 << 20;

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
    shards: Vec<CachePadded<AtomicU64>>,
}

fn add(counters: &Counters, way: Way, index: usize, ones: u64) {
    for _ in 0..ones {
        match way {
            Way::Mutex => *counters.mutex.lock().expect("not poisoned") += 1,
            Way::Atomic => _ = counters.atomic.fetch_add(1, Relaxed),
            Way::Sharded => _ = counters.shards[index].fetch_add(1, Relaxed),
        }
    }
}
// ANCHOR_END: counters

// ANCHOR: count
/// Times `threads` threads adding `total` ones, the `way` way; checks the sum.
pub fn count(way: Way, threads: usize, total: u64) -> anyhow::Result<Duration> {
    let each = total / threads as u64;
    let shards = (0..threads).map(|_| Default::default()).collect();
    let counters = &Counters { shards, ..Counters::default() };
    let started = Instant::now();
    // Steps 1 to 3: create, set the target and start, in one call per thread.
    thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|i| scope.spawn(move || add(counters, way, i, each)))
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
    anyhow::ensure!(counted == each * threads as u64, "{way:?}: {counted}");
    Ok(elapsed)
}
// ANCHOR_END: count

pub fn main() -> anyhow::Result<()> {
    let cpus = thread::available_parallelism()?.get();
    println!("CPUs this process may use: {cpus}");
    say_if_busy(cpus, cpus);
    println!(
        "{TOTAL} increments in all, split over the threads; every count exact"
    );
    println!("threads | Mutex, ms | atomic, ms | sharded, ms");
    for threads in [1, 2, 4, 8] {
        let mut row = format!("{threads}");
        for way in [Way::Mutex, Way::Atomic, Way::Sharded] {
            let ms = count(way, threads, TOTAL)?.as_secs_f64() * 1e3;
            row += &format!(" | {ms:.1}");
        }
        println!("{row}");
    }
    Ok(())
}

/// Says when the load average (LOADAVG in the tests) leaves too few CPUs free.
fn say_if_busy(needs: usize, cpus: usize) {
    let read =
        std::env::var("LOADAVG").or(std::fs::read_to_string("/proc/loadavg"));
    match read.ok().and_then(|t| t.split(' ').next()?.parse::<f64>().ok()) {
        Some(load) if load + needs as f64 > cpus as f64 + 1.0 => println!(
            "note: busy machine: load average {load:.2} on {cpus} CPUs; \
             these figures need {needs} free"
        ),
        Some(_) => {}
        None => println!("note: no load average read here (Linux only)"),
    }
}
