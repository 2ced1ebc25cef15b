//! The `contention` example's figure, in `measure`: one count on 1, 2, 4 and 8
//! threads, three ways (a `Mutex`, one atomic, a sharded counter), each way timed in
//! turn with the others so that all three see the same machine.

use shared::measure::{Options, Summary};

use crate::examples::contention::{self, Way};

/// The example's thread counts.
const THREADS: [usize; 4] = [1, 2, 4, 8];

/// One thread count's times, in ms.
#[derive(serde::Serialize)]
pub struct Row {
    threads: usize,
    mutex_ms: Summary,
    atomic_ms: Summary,
    sharded_ms: Summary,
}

/// Every thread count, and how many increments each run made in all.
#[derive(serde::Serialize)]
pub struct Contention {
    increments: u64,
    rows: Vec<Row>,
}

/// Times the three ways on each thread count, `samples` times each, in turns.
pub fn measure(options: &Options) -> anyhow::Result<Contention> {
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
        let [mutex_ms, atomic_ms, sharded_ms] =
            times.map(|times| Summary::millis(&times));
        rows.push(Row { threads, mutex_ms, atomic_ms, sharded_ms });
    }
    Ok(Contention { increments, rows })
}
