//! rayon: a work-stealing pool. The same job sequentially and with `par_iter` (same
//! answer, faster), `rayon::join`, a pool of our own, and the size below which
//! parallel is slower.

use std::{ops::Range, time::Instant};

use rayon::prelude::*;
use shared::{trace, work::cpu_job, work::split_range};

const INPUT: Range<u64> = 1..200_001;

// ANCHOR: parallel
/// The CPU-bound job over `range`, cut into 64 pieces that rayon's threads share out:
/// a thread that runs out of pieces steals from one that still has some.
fn parallel_job(range: Range<u64>) -> u64 {
    let pieces = split_range(range, 64).into_par_iter().enumerate();
    pieces.map(trace::numbered("piece", cpu_job)).sum() // A slice per piece, traced.
}
// ANCHOR_END: parallel

/// Runs `job` three times; returns its result and its fastest time in milliseconds.
fn best_of_three(job: impl Fn() -> u64) -> (u64, f64) {
    let timed = (0..3).map(|_| {
        let started = Instant::now();
        (job(), started.elapsed().as_secs_f64() * 1e3)
    });
    timed.min_by(|(_, a), (_, b)| a.total_cmp(b)).expect("three runs")
}

/// The comparisons, each checked against the sequential one; `--trace FILE` too.
pub fn run(args: &[String]) -> anyhow::Result<()> {
    let trace = trace::Trace::from_args(args)?;
    if cfg!(debug_assertions) {
        println!("note: a debug build; `cargo run --release` times optimised code");
    }
    // ANCHOR: compare
    let (sequential, sequential_ms) = best_of_three(|| cpu_job(INPUT));
    let (parallel, parallel_ms) = best_of_three(|| parallel_job(INPUT));
    assert_eq!(
        sequential, parallel,
        "the parallel sum must equal the sequential one"
    );
    println!("sequential: {sequential} in {sequential_ms:.1} ms");
    println!(
        "par_iter:   {parallel} in {parallel_ms:.1} ms on {} threads",
        rayon::current_num_threads()
    );
    println!("speedup: {:.2}x", sequential_ms / parallel_ms);
    // ANCHOR_END: compare

    // ANCHOR: join
    // Two closures that may run in parallel; `join` returns when both have.
    let middle = (INPUT.start + INPUT.end) / 2;
    let (left, right) =
        rayon::join(|| cpu_job(INPUT.start..middle), || cpu_job(middle..INPUT.end));
    println!("rayon::join: {left} + {right} = {}", left + right);
    assert_eq!(left + right, sequential);
    // ANCHOR_END: join

    // ANCHOR: pool
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .thread_name(|index| format!("pool-{index}"));
    let pool = pool.build()?;
    // `install` runs the closure in our pool: `par_iter` in it uses our two threads.
    let pooled = pool.install(|| parallel_job(INPUT));
    println!("own pool of {} threads: {pooled}", pool.current_num_threads());
    assert_eq!(pooled, sequential);
    // ANCHOR_END: pool

    // ANCHOR: cutoff
    // Cutting up the work and waking threads costs; on small inputs, it is all cost.
    let mut faster_from = None;
    for size in [10, 100, 1_000, 10_000, 100_000] {
        let (sequential, sequential_ms) = best_of_three(|| cpu_job(1..size + 1));
        let (parallel, parallel_ms) = best_of_three(|| parallel_job(1..size + 1));
        assert_eq!(sequential, parallel);
        let (sequential_us, parallel_us) = (sequential_ms * 1e3, parallel_ms * 1e3);
        println!(
            "{size:>7} numbers: sequential {sequential_us:>8.1} µs, parallel \
             {parallel_us:>8.1} µs"
        );
        // The smallest size from which parallel wins at every larger size.
        faster_from = if parallel_ms < sequential_ms {
            faster_from.or(Some(size))
        } else {
            None
        };
    }
    match faster_from {
        Some(size) => {
            println!("parallel was slower below {size} numbers, faster from there on")
        }
        None => {
            println!("parallel was never faster here (one CPU, or a busy machine)")
        }
    }
    // ANCHOR_END: cutoff
    trace.finish()
}
