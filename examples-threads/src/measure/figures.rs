//! The figures of three examples: `async-vs-threads` (waits as tokio tasks and as
//! threads), `false-sharing`, and `contention` (one count three ways on 1 … 8 threads).

use std::time::Duration;

use anyhow::Result;
use serde_json::{Map, Value, json};
use shared::measure::{Found, Options, Summary};

use crate::examples::async_vs_threads::{self, Figures};
use crate::examples::contention::{self, Way};
use crate::examples::false_sharing::{self, Padded, SameLine};

/// The `async-vs-threads` example's two runs: 10,000 waits (1,000 with `--quick`).
pub fn waits(options: &Options, _: &Map<String, Value>) -> Result<Found> {
    let count = options.pick(10_000, 1_000);
    let ms = |time: Duration| time.as_secs_f64() * 1e3;
    let figures = |(started, total, memory_kib): Figures| {
        json!({
            "done": count,
            "start_ms": ms(started),
            "total_ms": ms(total),
            "memory_kib": memory_kib,
        })
    };
    // Tasks first, as in the example: memory the threads free would make tasks look free.
    let tasks = figures(async_vs_threads::with_tasks(count)?);
    let threads = figures(async_vs_threads::with_threads(count)?);
    let wait_ms = async_vs_threads::WAIT.as_millis() as u64;
    Ok(Found::new(
        "Concurrent waits (async-vs-threads; memory is resident-memory growth)",
        json!({ "waits": {
            "count": count, "wait_ms": wait_ms, "tokio_tasks": tasks, "threads": threads,
        }}),
    ))
}

/// The same increments on two counters in one cache line, then padded apart: the two
/// layouts alternate, `samples` times each, so that both see the same machine.
pub fn false_sharing(options: &Options, _: &Map<String, Value>) -> Result<Found> {
    let (increments, samples) = options.pick((20_000_000, 5), (2_000_000, 2));
    let (mut one_line, mut padded) = (Vec::new(), Vec::new());
    for _ in 0..samples {
        let (same_line, apart) = (SameLine::default(), Padded::default());
        let ([a, b], [c, d]) = (&same_line.counters, &apart.counters);
        one_line.push(false_sharing::increment_both([a, b], increments)?);
        padded.push(false_sharing::increment_both([&**c, &**d], increments)?);
    }
    let (one_line_ms, padded_ms) =
        (Summary::millis(&one_line), Summary::millis(&padded));
    Ok(Found::new(
        "False sharing: two threads, one cache line against padded apart",
        json!({ "false_sharing": {
            "increments_per_thread": increments,
            "one_line_ms": one_line_ms,
            "padded_ms": padded_ms,
            // How much slower false sharing made the same work.
            "ratio": one_line_ms.median / padded_ms.median,
        }}),
    ))
}

/// The three ways on each thread count, in turns: a row of times per thread count.
pub fn contention(options: &Options, _: &Map<String, Value>) -> Result<Found> {
    let (increments, samples) = options.pick((1 << 23, 7), (1 << 18, 2));
    let mut rows = Vec::new();
    for threads in [1, 2, 4, 8] {
        let mut times =
            [Way::Mutex, Way::Atomic, Way::Sharded].map(|way| (way, vec![]));
        for _ in 0..samples {
            for (way, times) in &mut times {
                times.push(contention::count(*way, threads, increments)?);
            }
        }
        let [mutex, atomic, sharded] =
            times.map(|(_, times)| Summary::millis(&times));
        rows.push(json!({
            "threads": threads, "mutex_ms": mutex, "atomic_ms": atomic, "sharded_ms": sharded,
        }));
    }
    Ok(Found::new(
        "Contention (contention): one count, split over the threads",
        json!({ "contention": { "increments": increments, "rows": rows } }),
    ))
}
