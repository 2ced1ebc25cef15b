//! One CPU-bound job over 1, 2 and 4 processes and threads: speedups (claim C1).

use std::time::{Duration, Instant};
use std::{io, ops::Range, process::Stdio, thread};

use anyhow::{Context, Result, bail, ensure};
use shared::{trace, work::cpu_job, work::split_range};

use crate::{sys, tasks};

const JOB: Range<u64> = 1..150_001;
const RUNS: usize = 3;

// ANCHOR: compare
/// Times the job alone, then over threads and processes (`--trace FILE`: parts).
pub fn run(args: &[String]) -> Result<()> {
    let trace = trace::Trace::from_args(args)?;
    let (expected, sequential) = timed(|| Ok(cpu_job(JOB)))?;
    println!(
        "sequential: {sequential:.2?} (result {expected}); best of {RUNS} runs"
    );
    println!("workers   threads: time, speedup   processes: time, speedup");
    for workers in [1, 2, 4] {
        let (by_threads, thread_time) = timed(|| with_threads(workers))?;
        let (by_processes, process_time) = timed(|| with_processes(workers))?;
        let results = format!("threads {by_threads}, processes {by_processes}");
        ensure!([by_threads, by_processes] == [expected; 2], "{results}");
        let speedup = |t: Duration| sequential.as_secs_f64() / t.as_secs_f64();
        println!(
            "{workers:>7}   {thread_time:>9.2?}, {:>5.2}x   {process_time:>9.2?}, \
             {:>5.2}x",
            speedup(thread_time),
            speedup(process_time)
        );
    }
    let cores = thread::available_parallelism().map_or(1, |cores| cores.get());
    println!("every result equals the sequential one; {cores} cores available");
    trace.finish()
}
// ANCHOR_END: compare
// ANCHOR: workers
/// The job split over `workers` threads: each returns its part's sum through `join`.
fn with_threads(workers: usize) -> Result<u64> {
    thread::scope(|scope| {
        // Steps 1 to 3 in one call: `spawn` creates, sets the target, starts.
        let handles: Vec<_> = split_range(JOB, workers)
            .into_iter()
            .map(|part| {
                scope.spawn(move || trace::slice("part", || cpu_job(part)))
            })
            .collect();
        // Step 4: join each; a panicked thread is an error, not a silent zero.
        handles.into_iter().map(shared::join_scoped).sum()
    })
}

/// The job over `workers` processes (the spawn way), each printing its sum.
fn with_processes(workers: usize) -> Result<u64> {
    let mut commands = Vec::new();
    for part in split_range(JOB, workers) {
        // Steps 1 and 2: a `Command` for the task and its part, stdout piped to us.
        let [start, end] = [part.start.to_string(), part.end.to_string()];
        let mut command = tasks::command("cpu-part", &[&start, &end])?;
        command.stdout(Stdio::piped());
        commands.push(command);
    }
    // Step 3: start them all (if one cannot start, the others are reaped).
    let mut total = 0;
    for mut child in sys::spawn_all(commands)? {
        // Step 4: join. One line fits in the pipe: it never waits for us to read.
        let waited = sys::wait_or_kill(&mut child, Duration::from_secs(60))?;
        sys::check_waited("a worker process", waited)?;
        let sum = io::read_to_string(child.stdout.take().expect("piped"))?;
        total += sum.trim().parse::<u64>().context("a worker's sum")?;
    }
    Ok(total)
}

/// The workers' task, `cpu-part START END`: prints its part's sum.
fn cpu_part(args: &[String]) -> Result<()> {
    let [start, end] = args else { bail!("expected START END") };
    let part = start.parse()?..end.parse()?;
    println!("{}", trace::slice("part", || cpu_job(part)));
    Ok(())
}
pub const TASKS_WITH_ARGS: &[tasks::TaskWithArgs] = &[("cpu-part", cpu_part)];
// ANCHOR_END: workers

/// `work`'s result (the same in each of [`RUNS`] runs) and best time.
fn timed(mut work: impl FnMut() -> Result<u64>) -> Result<(u64, Duration)> {
    let mut runs = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        runs.push((work()?, started.elapsed()));
    }
    let (result, _) = runs[0];
    ensure!(runs.iter().all(|&(r, _)| r == result), "two runs disagree");
    let best = runs.into_iter().map(|(_, time)| time).min().expect("RUNS > 0");
    Ok((result, best))
}
