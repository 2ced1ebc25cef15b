//! Eight tasks, CPU-bound then waiting, on 1, 2, 4 and 8 threads: waits
//! overlap on any number of cores; computing speeds up only up to the cores.

use std::thread;
use std::time::{Duration, Instant};

// ANCHOR: spread
/// Runs tasks 0 to 7 on `threads` threads, task `i` on thread `i % threads`;
/// returns the best time of three runs (a busy machine only slows a run).
fn run_on_threads(threads: usize, task: impl Fn(u64) + Sync) -> Duration {
    let task = &task;
    let mut best = Duration::MAX;
    for _ in 0..3 {
        let started = Instant::now();
        thread::scope(|scope| {
            // Steps 1 to 3: create, set the target and start, in one call.
            let workers: Vec<_> = (0..threads as u64)
                .map(|first| {
                    scope.spawn(move || {
                        (first..8).step_by(threads).for_each(task)
                    })
                })
                .collect();
            // Step 4: join every worker.
            for worker in workers {
                worker.join().expect("a worker panicked");
            }
        });
        best = best.min(started.elapsed());
    }
    best
}
// ANCHOR_END: spread

pub fn main() -> anyhow::Result<()> {
    let cores = thread::available_parallelism()?;
    println!("8 tasks; this machine runs {cores} threads at once");
    say_if_busy(cores.get(), cores.get());
    // ANCHOR: table
    let cpu_task = |i: u64| {
        let steps = (i * 25_000 + 1..=(i + 1) * 25_000).map(collatz_steps);
        std::hint::black_box(steps.sum::<u64>());
    };
    let wait_task = |_| thread::sleep(Duration::from_millis(25));
    let ms = |time: Duration| time.as_secs_f64() * 1e3;
    println!("threads | CPU-bound ms | speedup | waiting ms | speedup");
    let (mut cpu_one, mut wait_one) = (0.0, 0.0);
    for threads in [1, 2, 4, 8] {
        let cpu = ms(run_on_threads(threads, cpu_task));
        let wait = ms(run_on_threads(threads, wait_task));
        if threads == 1 {
            (cpu_one, wait_one) = (cpu, wait);
        }
        let (cpu_speedup, wait_speedup) = (cpu_one / cpu, wait_one / wait);
        println!(
            "{threads:>7} | {cpu:>12.1} | {cpu_speedup:>6.2}x | {wait:>10.1} \
             | {wait_speedup:>6.2}x"
        );
    }
    // ANCHOR_END: table
    Ok(())
}

fn collatz_steps(mut n: u64) -> u64 {
    let mut steps = 0;
    while n > 1 {
        n = if n.is_multiple_of(2) { n / 2 } else { 3 * n + 1 };
        steps += 1;
    }
    steps
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
