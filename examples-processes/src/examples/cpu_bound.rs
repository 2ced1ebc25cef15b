//! One CPU-bound job over 1, 2 and 4 threads and over 1, 2 and 4 processes.

use std::process::{Command, Stdio};
use std::{io, thread, time::Duration, time::Instant};

use anyhow::{Context, Result, bail, ensure};

use crate::sys;

const N: u64 = 150_000; // The job: Collatz steps summed over 1..=N.
const RUNS: usize = 3;

pub fn run() -> Result<()> {
    sys::say_if_busy(4); // Up to 4 workers at once.
    let (sum, alone) = timed(|| Ok(part(0, 1)))?;
    println!("sequential: {alone:.2?} (result {sum}); best of {RUNS} runs");
    println!("workers   threads: time, speedup   processes: time, speedup");
    for workers in [1, 2, 4] {
        let (by_threads, thread_time) = timed(|| Ok(with_threads(workers)))?;
        let (by_processes, process_time) = timed(|| with_processes(workers))?;
        let results = [by_threads, by_processes];
        ensure!(results == [sum; 2], "{results:?} differ from {sum}");
        let speedup = |t: Duration| alone.as_secs_f64() / t.as_secs_f64();
        let [threads, processes] = [thread_time, process_time].map(speedup);
        println!(
            "{workers:>7}   {thread_time:>9.2?}, {threads:>5.2}x   \
             {process_time:>9.2?}, {processes:>5.2}x"
        );
    }
    let cores = thread::available_parallelism().map_or(1, |cores| cores.get());
    println!("every result equals the sequential one; {cores} cores available");
    Ok(())
}

fn with_threads(workers: u64) -> u64 {
    thread::scope(|scope| {
        // Steps 1 to 3 in one call: `spawn` creates, sets the target, starts.
        let handles: Vec<_> = (0..workers)
            .map(|i| scope.spawn(move || part(i, workers)))
            .collect();
        // Step 4: join each, and add up the parts.
        let parts = handles.into_iter().map(|handle| handle.join());
        parts.map(|part| part.expect("a worker thread panicked")).sum()
    })
}

fn with_processes(workers: u64) -> Result<u64> {
    let mut commands = Vec::new();
    for i in 0..workers {
        // Steps 1 and 2: this program on the `cpu-part` task, stdout piped.
        let mut command = Command::new(std::env::current_exe()?);
        command.args(["__task", "cpu-part"]).stdout(Stdio::piped());
        command.args([i, workers].map(|number| number.to_string()));
        commands.push(command);
    }
    // Step 3: start them all.
    let mut total = 0;
    for mut child in sys::spawn_all(commands)? {
        // Step 4: join. A line fits in a pipe: no child waits for our read.
        let waited = sys::wait_or_kill(&mut child, Duration::from_secs(60))?;
        sys::check_waited("a worker process", waited)?;
        let sum = io::read_to_string(child.stdout.take().expect("piped"))?;
        total += sum.trim().parse::<u64>().context("a worker's sum")?;
    }
    Ok(total)
}

type Task = fn(&[String]) -> Result<()>;
pub const TASKS_WITH_ARGS: &[(&str, Task)] = &[("cpu-part", |args| {
    let [i, parts] = args else { bail!("expected I PARTS") };
    println!("{}", part(i.parse()?, parts.parse()?));
    Ok(())
})];

fn part(i: u64, parts: u64) -> u64 {
    (i * N / parts + 1..=(i + 1) * N / parts).map(collatz_steps).sum()
}

fn collatz_steps(mut n: u64) -> u64 {
    let mut steps = 0;
    while n > 1 {
        n = if n.is_multiple_of(2) { n / 2 } else { 3 * n + 1 };
        steps += 1;
    }
    steps
}

fn timed(mut work: impl FnMut() -> Result<u64>) -> Result<(u64, Duration)> {
    let mut runs = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        runs.push((work()?, started.elapsed()));
    }
    ensure!(runs.iter().all(|run| run.0 == runs[0].0), "two runs disagree");
    Ok(runs.into_iter().min_by_key(|run| run.1).expect("RUNS > 0"))
}
