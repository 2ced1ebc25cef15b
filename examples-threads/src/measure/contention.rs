//! The `contention` example's figure, in `measure`: one count on 1, 2, 4 and 8
//! threads, three ways (a `Mutex`, one atomic, a sharded counter), each way timed in
//! turn with the others so that all three see the same machine.

use serde_json::json;
use shared::measure::{Found, Options, Summary};

use crate::examples::contention::{self, Way};

/// The example's thread counts.
const THREADS: [usize; 4] = [1, 2, 4, 8];

/// Times the three ways on each thread count, `samples` times each, in turns: a row
/// of times in ms per thread count, and how many increments each run made in all.
pub fn measure(options: &Options) -> anyhow::Result<Found> {
    let (increments, samples) = options.pick((1 << 23, 7), (1 << 18, 2));
    let mut rows = Vec::new();
    for threads in THREADS {
        let mut times = [Vec::new(), Vec::new(), Vec::new()];
        for _ in 0..samples {
            for (way, samples) in
                [Way::Mutex, Way::Atomic, Way::Sharded].into_iter().zip(&mut times)
            {
                samples.push(contention::count(way, threads, increments)?);
            }
        }
        let [mutex, atomic, sharded] = times.map(|times| Summary::millis(&times));
        rows.push(json!({
            "threads": threads, "mutex_ms": mutex, "atomic_ms": atomic, "sharded_ms": sharded,
        }));
    }
    Ok(Found::new(
        "Contention (contention): one count, split over the threads",
        json!({ "contention": { "increments": increments, "rows": rows } }),
    ))
}
