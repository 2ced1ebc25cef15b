//! A process pool, Python's `Pool.map`: a crashed worker is replaced.

use std::io::{self, BufRead, BufReader, Write};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::{iter, thread, time::Duration};

use anyhow::{Context, Result, ensure};

use crate::sys;

const WORKERS: usize = 3;
const INPUTS: u64 = 12;
const CRASHING_INPUT: u64 = 7;
const DEADLINE: Duration = Duration::from_secs(5);

pub fn run() -> Result<()> {
    let next_input = AtomicU64::new(0);
    let mut lines = Vec::new();
    thread::scope(|scope| {
        let feeders: Vec<_> =
            (0..WORKERS).map(|_| scope.spawn(|| feed(&next_input))).collect();
        for feeder in feeders {
            lines.extend(feeder.join().expect("a feeder panicked")?);
        }
        anyhow::Ok(())
    })?;
    lines.sort(); // By input: the order the inputs came in.
    for (_, line) in &lines {
        println!("{line}");
    }
    let failed = lines.iter().filter(|(_, l)| l.contains("failed")).count();
    let ok = lines.len() - failed;
    println!("{ok} of {INPUTS} in input order, checked; {failed} failed");
    Ok(())
}

/// Feeds one worker process an input at a time; replaces it if it dies.
fn feed(next_input: &AtomicU64) -> Result<Vec<(u64, String)>> {
    let mut lines = Vec::new();
    let (mut worker, mut results) = start_worker()?;
    let inputs =
        iter::repeat_with(|| next_input.fetch_add(1, Ordering::SeqCst));
    for input in inputs.take_while(|&input| input < INPUTS) {
        writeln!(worker.stdin.as_mut().expect("piped"), "{input}")?;
        let mut result = String::new();
        let line = if results.read_line(&mut result)? > 0 {
            let value: u64 = result.trim().parse()?;
            ensure!(value == input * input, "input {input}: got {value}");
            format!("input {input:>2} -> {value}")
        } else {
            // End of file: the worker died. Reap it, say how, replace it.
            let ended = sys::wait_or_kill(&mut worker, DEADLINE)?.status();
            let dead =
                format!("worker {} {}", worker.id(), sys::describe(ended));
            (worker, results) = start_worker()?;
            format!("input {input:>2} -> failed: {dead}; replaced")
        };
        lines.push((input, line));
    }
    // Step 4: join. End of file on its stdin ends the worker's loop.
    drop(worker.stdin.take());
    sys::check_waited("a worker", sys::wait_or_kill(&mut worker, DEADLINE)?)?;
    Ok(lines)
}

/// Steps 1 to 3: this program again, sent to the `pool-worker` task.
fn start_worker() -> Result<(Child, BufReader<ChildStdout>)> {
    let mut worker = Command::new(std::env::current_exe()?)
        .args(["__task", "pool-worker"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .context("starting a worker")?;
    let results = BufReader::new(worker.stdout.take().expect("piped"));
    Ok((worker, results))
}

fn pool_worker() -> Result<()> {
    for line in io::stdin().lines() {
        let input: u64 = line?.parse()?;
        if input == CRASHING_INPUT {
            sys::disable_core_dumps()?;
            sys::crash_invalid_memory_access();
        }
        println!("{}", input * input);
    }
    Ok(())
}

pub const TASKS: &[(&str, fn())] =
    &[("pool-worker", || pool_worker().expect("the pool worker failed"))];
