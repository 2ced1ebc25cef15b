//! rayon's work-stealing pool: `par_iter`, `rayon::join` and a pool of our own.

use std::time::Instant;

use rayon::prelude::*;

const N: u64 = 200_000;

pub fn main() -> anyhow::Result<()> {
    let cpus = std::thread::available_parallelism()?.get();
    say_if_busy(cpus, cpus);
    if cfg!(debug_assertions) {
        println!(
            "note: a debug build; `cargo run --release` times optimised code"
        );
    }
    // ANCHOR: compare
    let (sequential, sequential_ms) =
        best_of_three(|| (1..=N).map(collatz_steps).sum());
    let (parallel, parallel_ms) =
        best_of_three(|| (1..=N).into_par_iter().map(collatz_steps).sum());
    assert_eq!(
        sequential, parallel,
        "the parallel sum must equal the sequential"
    );
    println!("sequential: {sequential} in {sequential_ms:.1} ms");
    let threads = rayon::current_num_threads();
    println!(
        "par_iter:   {parallel} in {parallel_ms:.1} ms on {threads} threads"
    );
    println!("speedup: {:.2}x", sequential_ms / parallel_ms);
    // ANCHOR_END: compare

    // ANCHOR: join
    let (left, right) = rayon::join(
        || (1..=N / 2).map(collatz_steps).sum::<u64>(),
        || (N / 2 + 1..=N).map(collatz_steps).sum::<u64>(),
    );
    println!("rayon::join: {left} + {right} = {}", left + right);
    assert_eq!(left + right, sequential);
    // ANCHOR_END: join

    // ANCHOR: pool
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .thread_name(|index| format!("pool-{index}"))
        .build()?;
    let pooled: u64 =
        pool.install(|| (1..=N).into_par_iter().map(collatz_steps).sum());
    println!("own pool of {} threads: {pooled}", pool.current_num_threads());
    assert_eq!(pooled, sequential);
    // ANCHOR_END: pool
    Ok(())
}

fn best_of_three(job: impl Fn() -> u64) -> (u64, f64) {
    let timed = (0..3).map(|_| {
        let started = Instant::now();
        (job(), started.elapsed().as_secs_f64() * 1e3)
    });
    timed.min_by(|(_, a), (_, b)| a.total_cmp(b)).expect("three runs")
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
