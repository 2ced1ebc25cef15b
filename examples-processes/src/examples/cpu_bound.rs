//! The same CPU-bound job split over 1, 2 and 4 processes, and over as many threads: in Rust
//! both scale with the cores; in Python only processes would, because of the GIL (claim C1).

use std::{ops::Range, process::Stdio, thread, time::Duration, time::Instant};

use anyhow::{Context, anyhow, ensure};
use shared::{trace, work::cpu_job, work::split_range};

use crate::{status::check_waited, sys, tasks};

const JOB: Range<u64> = 1..150_001;
const RUNS: usize = 3;

// ANCHOR: compare
/// Times the job sequentially, then split over workers, threads and processes side by side.
/// `--trace FILE` records each part as a slice, in the parent's threads and in the children.
pub fn run(args: &[String]) -> anyhow::Result<()> {
    let trace = trace::Trace::from_args(args)?;
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
    trace.finish()
}
// ANCHOR_END: compare

// ANCHOR: workers
/// The job split over `workers` threads: each returns its part's sum through `join`.
fn with_threads(workers: usize) -> anyhow::Result<u64> {
    thread::scope(|scope| {
        // Steps 1 to 3 in one call: `spawn` creates the thread, sets its target and starts it.
        let spawn = |part: Range<u64>| scope.spawn(move || trace::slice("part", || cpu_job(part)));
        let handles: Vec<_> = split_range(JOB, workers).into_iter().map(spawn).collect();
        // Step 4: join each; a panicked thread is an error, not a silent zero.
        handles.into_iter().map(|handle| handle.join().map_err(|_| anyhow!("a worker thread panicked"))).sum()
    })
}

/// The job split over `workers` processes, the spawn way (every platform has it): each is a
/// fresh run of this program on the `cpu-part` task and prints its part's sum on its stdout.
fn with_processes(workers: usize) -> anyhow::Result<u64> {
    let mut commands = Vec::new();
    for part in split_range(JOB, workers) {
        // Steps 1 and 2: a `Command` for the task and its part, its stdout piped to us.
        let mut command = tasks::command("cpu-part", &[&part.start.to_string(), &part.end.to_string()])?;
        command.stdout(Stdio::piped());
        commands.push(command);
    }
    // Step 3: start them all (if one cannot start, the others are stopped and reaped).
    let children = sys::spawn_all(commands)?;
    let mut total = 0;
    for mut child in children {
        // Step 4: join. Its one line fits in the pipe, so it never waits for us to read.
        check_waited("a worker process", sys::wait_or_kill(&mut child, Duration::from_secs(60))?)?;
        let sum = std::io::read_to_string(child.stdout.take().context("the worker's stdout is piped")?)?;
        total += sum.trim().parse::<u64>().with_context(|| format!("a worker printed {sum:?}"))?;
    }
    Ok(total)
}

/// The `cpu-part START END` task: prints the job's sum over `START..END`.
pub fn part(args: &[String]) -> anyhow::Result<()> {
    let [start, end] = args else {
        return Err(shared::usage_error!("expected START END, got: {}", args.join(" ")));
    };
    let parse =
        |bound: &String| bound.parse().map_err(|_| shared::usage_error!("expected a number, got '{bound}'"));
    let part = parse(start)?..parse(end)?;
    println!("{}", trace::slice(format_args!("{part:?}"), || cpu_job(part.clone())));
    Ok(())
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
