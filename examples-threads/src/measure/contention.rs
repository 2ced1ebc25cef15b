//! The `contention` example's figure, in `measure`: one count on 1, 2, 4 and 8
//! threads, three ways (a `Mutex`, one atomic, a sharded counter), each way timed in
//! turn with the others so that all three see the same machine.

use serde_json::{Value, json};
use shared::measure::{Options, Summary, Table};

use crate::examples::contention::{self, THREADS, Way};

/// One thread count's times, in ms: `[Mutex, atomic, sharded]`.
pub struct Row {
    threads: usize,
    times_ms: [Summary; 3],
}

/// Every thread count, and how many increments each run made in all.
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
        rows.push(Row {
            threads,
            times_ms: times.map(|times| Summary::millis(&times)),
        });
    }
    Ok(Contention { increments, rows })
}

impl Contention {
    /// `{"increments": …, "rows": [{"threads": …, "mutex_ms": {…}, "atomic_ms": {…},
    /// "sharded_ms": {…}}, …]}`.
    pub fn to_json(&self) -> Value {
        let rows: Vec<Value> = self
            .rows
            .iter()
            .map(|row| {
                let [mutex, atomic, sharded] = &row.times_ms;
                json!({ "threads": row.threads, "mutex_ms": mutex.to_json(), "atomic_ms": atomic.to_json(), "sharded_ms": sharded.to_json() })
            })
            .collect();
        json!({ "increments": self.increments, "rows": rows })
    }

    /// A heading and a table.
    pub fn to_text(&self) -> String {
        let mut out = format!(
            "Contention (contention): {} increments of one count in all, split over the threads\n",
            self.increments
        );
        out += &Table::timings(
            &["threads", "Mutex, ms", "atomic, ms", "sharded, ms"],
            self.rows.iter().map(|row| (row.threads.to_string(), row.times_ms)),
        );
        out
    }
}
