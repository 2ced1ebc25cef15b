//! The same eight tasks, CPU-bound and then waiting-bound (a sleep), on 1, 2, 4
//! and 8 threads: waiting overlaps on any number of cores; computing speeds up
//! only up to the core count.

use std::ops::Range;
use std::thread;
use std::time::{Duration, Instant};

use shared::work::{cpu_job, split_range};

use shared::{join_scoped, trace};

const TASKS: usize = 8;
const CPU_INPUT: Range<u64> = 1..200_001;
const WAIT: Duration = Duration::from_millis(25);

// ANCHOR: spread
/// Runs `tasks` on `threads` threads, task `i` on thread `i % threads`; returns
/// the time the whole batch took, the best of three runs (a busy machine only
/// ever makes a run slower).
fn run_on_threads<T: Sync>(
    threads: usize,
    tasks: &[T],
    task: impl Fn(&T) + Sync,
) -> anyhow::Result<Duration> {
    let task = &task;
    let mut best = Duration::MAX;
    for _ in 0..3 {
        let started = Instant::now();
        thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|first| {
                    scope.spawn(move || {
                        // The worker's lane in a `--trace` timeline.
                        trace::name_lane(format_args!("worker {first}"));
                        tasks.iter().skip(first).step_by(threads).for_each(task)
                    })
                })
                .collect();
            handles.into_iter().try_for_each(join_scoped)
        })?;
        best = best.min(started.elapsed());
    }
    Ok(best)
}
// ANCHOR_END: spread

/// Prints one table row per thread count: time and speedup for each kind of
/// task. `--trace FILE` records every task as a slice on its worker's lane.
pub fn run(args: &[String]) -> anyhow::Result<()> {
    let trace = trace::Trace::from_args(args)?;
    let cores = thread::available_parallelism().map_or(1, |cores| cores.get());
    println!("{TASKS} tasks; this machine runs {cores} threads at once");
    // ANCHOR: table
    // Each CPU task computes a slice of the job; each waiting task sleeps,
    // using no CPU.
    let cpu_tasks = split_range(CPU_INPUT, TASKS);
    let wait_tasks = vec![WAIT; TASKS];
    println!("threads | CPU-bound ms | speedup | waiting ms | speedup");
    let (mut cpu_one, mut wait_one) = (Duration::ZERO, Duration::ZERO);
    for threads in [1, 2, 4, 8] {
        let (cpu, wait) =
            (format!("CPU, {threads} threads"), format!("wait, {threads}"));
        let cpu_time = run_on_threads(threads, &cpu_tasks, |range| {
            trace::slice(&cpu, || {
                _ = std::hint::black_box(cpu_job(range.clone()))
            })
        })?;
        let wait_time = run_on_threads(threads, &wait_tasks, |&wait_for| {
            trace::slice(&wait, || thread::sleep(wait_for))
        })?;
        if threads == 1 {
            (cpu_one, wait_one) = (cpu_time, wait_time);
        }
        let speedup = |one: Duration, now: Duration| {
            one.as_secs_f64() / now.as_secs_f64()
        };
        println!(
            "{threads:>7} | {:>12.1} | {:>6.2}x | {:>10.1} | {:>6.2}x",
            cpu_time.as_secs_f64() * 1e3,
            speedup(cpu_one, cpu_time),
            wait_time.as_secs_f64() * 1e3,
            speedup(wait_one, wait_time),
        );
    }
    // ANCHOR_END: table
    trace.finish()
}
