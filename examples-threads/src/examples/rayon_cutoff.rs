//! When rayon is slower: on small inputs, splitting costs more than the work.

use std::time::Instant;

use rayon::prelude::*;

pub fn main() -> anyhow::Result<()> {
    let cpus = std::thread::available_parallelism()?.get();
    say_if_busy(cpus, cpus);
    if cfg!(debug_assertions) {
        println!(
            "note: a debug build; `cargo run --release` times optimised code"
        );
    }
    // ANCHOR: cutoff
    let mut faster_from = None;
    for size in [10, 100, 1_000, 10_000, 100_000] {
        let (sequential, sequential_us) =
            best_of_three(|| (1..=size).map(collatz_steps).sum());
        let (parallel, parallel_us) = best_of_three(|| {
            (1..=size).into_par_iter().map(collatz_steps).sum()
        });
        assert_eq!(sequential, parallel, "the parallel sum must be the same");
        println!(
            "{size:>7} numbers: sequential {sequential_us:>8.1} µs, \
             parallel {parallel_us:>8.1} µs"
        );
        // The smallest size from which parallel wins at every larger size.
        faster_from = if parallel_us < sequential_us {
            faster_from.or(Some(size))
        } else {
            None
        };
    }
    match faster_from {
        Some(size) => {
            println!(
                "parallel was slower below {size} numbers, faster from there on"
            )
        }
        None => {
            println!(
                "parallel was never faster here (one CPU, or a busy machine)"
            )
        }
    }
    // ANCHOR_END: cutoff
    Ok(())
}

fn best_of_three(job: impl Fn() -> u64) -> (u64, f64) {
    let timed = (0..3).map(|_| {
        let started = Instant::now();
        (job(), started.elapsed().as_secs_f64() * 1e6)
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
