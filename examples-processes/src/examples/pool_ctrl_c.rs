//! Ctrl-C ends a process pool and all its workers: 150 inputs, 0.1 s each,
//! leave about five seconds to press it.

use std::io::{self, BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::{iter, thread, time::Duration};

use anyhow::{Result, bail, ensure};

use crate::sys;

const WORKERS: usize = 3;
const INPUTS: u64 = 150;

pub fn run() -> Result<()> {
    let interrupted = sys::catch_interrupt()?;
    // Steps 1 to 3: this program again, sent to the `slow-square` task.
    let start = || -> Result<Child> {
        let mut command = Command::new(std::env::current_exe()?);
        command.args(["__task", "slow-square"]);
        Ok(command.stdin(Stdio::piped()).stdout(Stdio::piped()).spawn()?)
    };
    let mut workers =
        (0..WORKERS).map(|_| start()).collect::<Result<Vec<_>>>()?;
    println!(
        "pool: {WORKERS} worker processes started, {INPUTS} inputs, \
         0.1 s each: press Ctrl-C"
    );
    let next = AtomicU64::new(0);
    let done: Result<u64> = thread::scope(|scope| {
        let feeders: Vec<_> = (workers.iter_mut())
            .map(|worker| scope.spawn(|| feed(worker, &next, &interrupted)))
            .collect();
        let joined = feeders.into_iter().map(|feeder| feeder.join());
        joined.map(|done| done.expect("a feeder panicked")).sum()
    });
    // Step 4, whatever happened: every worker is ended and reaped.
    let was_interrupted = interrupted.load(Ordering::SeqCst);
    let deadline = Duration::from_secs(if was_interrupted { 0 } else { 5 });
    for mut worker in workers {
        drop(worker.stdin.take()); // End of file: its loop ends.
        let waited = sys::wait_or_kill(&mut worker, deadline)?;
        if !was_interrupted {
            sys::check_waited("a worker", waited)?;
        }
    }
    if was_interrupted {
        let signal = sys::INTERRUPT;
        eprintln!(
            "pool: interrupted by {signal}; every worker ended and reaped"
        );
        sys::die_of_interrupt();
    }
    println!("pool: all {} inputs done without a Ctrl-C", done?);
    Ok(())
}

fn feed(
    worker: &mut Child,
    next: &AtomicU64,
    stop: &AtomicBool,
) -> Result<u64> {
    let mut results = BufReader::new(worker.stdout.as_mut().expect("piped"));
    let inputs = iter::repeat_with(|| next.fetch_add(1, Ordering::SeqCst));
    let mut done = 0;
    for input in inputs.take_while(|&input| input < INPUTS) {
        // Before any write: a worker that Ctrl-C ended is never written to.
        if stop.load(Ordering::SeqCst) {
            bail!("interrupted");
        }
        writeln!(worker.stdin.as_mut().expect("piped"), "{input}")?;
        ensure!(results.read_line(&mut String::new())? > 0, "a worker died");
        done += 1;
    }
    Ok(done)
}

fn slow_square() -> Result<()> {
    for line in io::stdin().lines() {
        let input: u64 = line?.parse()?;
        thread::sleep(Duration::from_millis(100));
        println!("{}", input * input);
    }
    Ok(())
}

pub const TASKS: &[(&str, fn())] =
    &[("slow-square", || slow_square().expect("the worker failed"))];
