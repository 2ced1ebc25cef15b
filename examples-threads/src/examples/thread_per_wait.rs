//! One OS thread per wait (sleeps stand in for I/O), 10,000 of them: the cost.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::Context;

const WAIT: Duration = Duration::from_secs(1);
// 10,000 default stacks would reserve 20 GiB; a sleeping thread needs little.
const STACK: usize = 64 * 1024;

pub fn main() -> anyhow::Result<()> {
    let waits = match std::env::args().skip_while(|a| a != "--waits").nth(1) {
        Some(n) => n.parse::<NonZeroUsize>().context("--waits N, N > 0")?.get(),
        None => 10_000,
    };
    println!("{waits} concurrent waits of {} ms each", WAIT.as_millis());
    say_if_busy(1, thread::available_parallelism()?.get());
    let kib = || Some(memory_stats::memory_stats()?.physical_mem / 1024);
    let (before, clock, running) = (kib(), Instant::now(), AtomicUsize::new(0));
    thread::scope(|scope| {
        let mut threads = Vec::with_capacity(waits);
        for number in 0..waits {
            // Step 1: create a thread with a small stack.
            let builder = thread::Builder::new().stack_size(STACK);
            // Steps 2 and 3: set the target and start, in one call.
            let spawned = builder.spawn_scoped(scope, || {
                running.fetch_add(1, Ordering::Relaxed);
                thread::sleep(WAIT); // Blocks this OS thread until then.
            });
            match spawned {
                Ok(thread) => threads.push(thread),
                Err(error) => {
                    println!("thread {number} did not start: {error}");
                    break; // The system's limit: measure those that did.
                }
            }
        }
        while running.load(Ordering::Relaxed) < threads.len() {
            thread::sleep(Duration::from_millis(1));
        }
        let (started, after, done) = (clock.elapsed(), kib(), threads.len());
        // Step 4: join every thread.
        for thread in threads {
            thread.join().expect("a waiting thread panicked");
        }
        let memory = match after.zip(before) {
            Some((after, before)) => {
                let kib = after.saturating_sub(before);
                format!(
                    "memory +{kib} KiB ({} bytes per wait)",
                    kib * 1024 / done.max(1)
                )
            }
            None => "memory not measured on this platform".to_owned(),
        };
        let total = clock.elapsed().as_millis();
        println!(
            "threads: {done} waits; all started after {} ms, \
             done after {total} ms; {memory}",
            started.as_millis(),
        );
    });
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
