//! The same CPU-bound job split over 1, 2 and 4 processes, and over as many threads: in Rust
//! both scale with the cores; in Python only processes would, because of the GIL (claim C1).

use std::ops::Range;
use std::sync::atomic::Ordering;
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{anyhow, ensure};
use shared::work::{cpu_job, split_range};

use crate::status::check_waited;
use crate::sys::{AtomicCells, Sharing, fork_child};

const JOB: Range<u64> = 1..150_001;
const RUNS: usize = 3;

// ANCHOR: compare
/// Times the job sequentially, then split over workers, threads and processes side by side.
pub fn run() -> anyhow::Result<()> {
    let (expected, sequential) = timed(|| Ok(cpu_job(JOB)))?;
    println!("sequential: {sequential:.2?} (result {expected}); each time is the best of {RUNS} runs");
    println!("workers   threads: time, speedup   processes: time, speedup");
    for workers in [1, 2, 4] {
        let (by_threads, thread_time) = timed(|| with_threads(workers))?;
        let (by_processes, process_time) = timed(|| with_processes(workers))?;
        ensure!(by_threads == expected, "{workers} threads computed {by_threads}, expected {expected}");
        ensure!(by_processes == expected, "{workers} processes computed {by_processes}, expected {expected}");
        let speedup = |time: Duration| sequential.as_secs_f64() / time.as_secs_f64();
        println!(
            "{workers:>7}   {thread_time:>9.2?}, {:>5.2}x   {process_time:>9.2?}, {:>5.2}x",
            speedup(thread_time),
            speedup(process_time)
        );
    }
    let cores = thread::available_parallelism().map_or(1, |cores| cores.get());
    println!("every result equals the sequential one; {cores} cores available to this process");
    Ok(())
}
// ANCHOR_END: compare

// ANCHOR: workers
/// The job split over `workers` threads: each returns its part's sum through `join`.
fn with_threads(workers: usize) -> anyhow::Result<u64> {
    thread::scope(|scope| {
        // Steps 1 to 3 in one call: `spawn` creates the thread, sets its target and starts it.
        let handles: Vec<_> =
            split_range(JOB, workers).into_iter().map(|part| scope.spawn(move || cpu_job(part))).collect();
        // Step 4: join each; a panicked thread is an error, not a silent zero.
        handles.into_iter().map(shared::join_scoped).sum()
    })
}

/// The job split over `workers` forked processes: each writes its part's sum into its own
/// cell of a shared mapping, which the parent reads after joining them all.
fn with_processes(workers: usize) -> anyhow::Result<u64> {
    let sums = AtomicCells::new(workers, Sharing::Shared)?;
    let mut children = Vec::new();
    for (index, part) in split_range(JOB, workers).into_iter().enumerate() {
        // Steps 1 to 3: `fork_child` creates the process, gives it its target, starts it.
        let sums = &sums;
        children.push(fork_child(move || sums[index].store(cpu_job(part), Ordering::SeqCst))?);
    }
    for mut child in children {
        check_waited("a worker process", child.join_or_kill(Duration::from_secs(60))?)?;
    }
    Ok(sums.iter().map(|sum| sum.load(Ordering::SeqCst)).sum())
}
// ANCHOR_END: workers

/// Runs `work` [`RUNS`] times: its result (the same every time, checked) and its best time,
/// the run least disturbed by whatever else the machine was doing.
fn timed(mut work: impl FnMut() -> anyhow::Result<u64>) -> anyhow::Result<(u64, Duration)> {
    let mut best: Option<(u64, Duration)> = None;
    for _ in 0..RUNS {
        let started = Instant::now();
        let result = work()?;
        let time = started.elapsed();
        ensure!(best.is_none_or(|(first, _)| first == result), "two runs gave different results");
        best = Some((result, best.map_or(time, |(_, best_time)| best_time.min(time))));
    }
    best.ok_or_else(|| anyhow!("no run"))
}
