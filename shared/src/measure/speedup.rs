//! The CPU-bound speedup (claim C1), the same for threads and processes: the job calibrated,
//! then for 1, 2, 4 workers the sequential run and each parallel way in turns, every total
//! checked against the sequential one, each speedup the ratio of two medians of those rounds.

use std::hint::black_box;
use std::ops::Range;
use std::time::Duration;

use anyhow::ensure;
use serde_json::{Map, Value, json};

use super::driver::{Found, keys};
use super::options::Options;
use super::plot::{LineChart, Series, write_line_chart};
use super::timing::{Summary, calibrate_cpu_job, time_round_robin};
use crate::work::cpu_job;

/// The worker counts.
pub const WORKERS: [usize; 3] = [1, 2, 4];

/// One way to share the job among the workers.
pub struct Way {
    /// Its key in a JSON row (`threads_interleaved`).
    pub key: &'static str,
    /// Its line in the plot's legend.
    pub legend: &'static str,
}

/// One run of the job, split one way over the workers: returns the total.
pub type Job<'a> = Box<dyn FnMut() -> anyhow::Result<u64> + 'a>;

/// One row: how many workers, each way's times and its speedup over the sequential job.
pub struct Row {
    /// How many workers.
    pub workers: usize,
    /// Each way's samples, ms, in the order of the ways.
    pub times_ms: Vec<Summary>,
    /// Each way's sequential median over its median.
    pub speedups: Vec<f64>,
}

/// The speedup table.
pub struct CpuSpeedup {
    /// What the job was, in words.
    pub job: String,
    /// The sequential run, ms.
    pub sequential_ms: Summary,
    /// The ways, as given.
    pub ways: &'static [Way],
    /// One row per worker count.
    pub rows: Vec<Row>,
}

/// Measures the job over [`WORKERS`]: for each count, `jobs` gives
/// one [`Job`] per way, for the range and the count.
pub fn measure<'a>(
    options: &Options,
    ways: &'static [Way],
    mut jobs: impl FnMut(&Range<u64>, usize) -> anyhow::Result<Vec<Job<'a>>>,
) -> anyhow::Result<CpuSpeedup> {
    let range = calibrate_cpu_job(options.pick(Duration::from_millis(150), Duration::from_millis(25)));
    let expected = cpu_job(range.clone());
    let (warmup, samples) = options.cpu_speedup_rounds();
    let job = format!("the Collatz job over {}..{}", range.start, range.end);
    let mut all_sequential = Vec::new();
    let mut rows = Vec::new();
    for workers in WORKERS {
        let mut sequential = || -> anyhow::Result<()> {
            black_box(cpu_job(black_box(range.clone())));
            Ok(())
        };
        let mut checked: Vec<_> = jobs(&range, workers)?
            .into_iter()
            .zip(ways)
            .map(|(mut job, way)| {
                move || -> anyhow::Result<()> {
                    let total = job()?;
                    ensure!(
                        total == expected,
                        "{} with {workers} workers computed {total}, the sequential job {expected}",
                        way.key
                    );
                    Ok(())
                }
            })
            .collect();
        let mut all: Vec<&mut dyn FnMut() -> anyhow::Result<()>> = vec![&mut sequential];
        all.extend(checked.iter_mut().map(|job| job as &mut dyn FnMut() -> anyhow::Result<()>));
        let times = time_round_robin(warmup, samples, &mut all)?;
        let sequential_ms = Summary::millis(&times[0]);
        all_sequential.extend_from_slice(&times[0]);
        let times_ms: Vec<Summary> = times[1..].iter().map(|times| Summary::millis(times)).collect();
        let speedups = times_ms.iter().map(|times| sequential_ms.median / times.median).collect();
        rows.push(Row { workers, times_ms, speedups });
    }
    Ok(CpuSpeedup { job, sequential_ms: Summary::millis(&all_sequential), ways, rows })
}

impl CpuSpeedup {
    /// The section: `speedup_sequential_ms` and `speedup`, a row per worker count and a key per
    /// way (the text adds each way's times, `KEY_ms`), under `heading` with the job and `note`;
    /// its plot, `file`, draws the ways in `order` (indices into the ways) beside the ideal.
    pub fn found(
        self,
        heading: &str,
        note: &str,
        file: &'static str,
        x_label: &str,
        order: &[usize],
    ) -> Found {
        let cpus = super::machine::cpus();
        let mut series: Vec<Series> = order
            .iter()
            .map(|&way| {
                let points = self.rows.iter().map(|row| (row.workers as f64, row.speedups[way])).collect();
                Series::measured(self.ways[way].legend, points, vec![])
            })
            .collect();
        let ideal = self.rows.iter().map(|row| (row.workers as f64, (row.workers as f64).min(cpus as f64)));
        series.push(Series::reference("ideal: min(workers, CPUs)", ideal.collect()));
        let chart = LineChart {
            title: format!("{heading}, {cpus} CPUs"),
            x_label: x_label.into(),
            y_label: "speedup over sequential".into(),
            log_x: false,
            series,
        };
        Found {
            heading: format!(
                "{heading}: {}, sequential, then split; every parallel total equals the sequential one\n({note})",
                self.job
            ),
            keys: self.to_json(false),
            text: Some(self.to_json(true)),
            plot: Some(Box::new(move |dir| write_line_chart(dir, file, &chart))),
        }
    }

    fn to_json(&self, text: bool) -> Map<String, Value> {
        let row = |row: &Row| {
            let mut object = json!({ "workers": row.workers });
            for ((way, speedup), time) in self.ways.iter().zip(&row.speedups).zip(&row.times_ms) {
                object[way.key] = json!(speedup);
                if text {
                    object[format!("{}_ms", way.key)] = json!(time);
                }
            }
            object
        };
        let rows: Vec<Value> = self.rows.iter().map(row).collect();
        keys(json!({ "speedup_sequential_ms": self.sequential_ms, "speedup": rows }))
    }
}

/// The speedup of the way `key` with 2 workers, from the `speedup` rows in `found` (`NaN` if
/// there is none).
pub fn two_workers(found: &Map<String, Value>, key: &str) -> f64 {
    let rows = found.get("speedup").and_then(Value::as_array);
    let row = rows.and_then(|rows| rows.iter().find(|row| row["workers"] == 2));
    row.and_then(|row| row[key].as_f64()).unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WAYS: &[Way] =
        &[Way { key: "threads_contiguous", legend: "contiguous" }, Way { key: "rayon", legend: "rayon" }];

    #[test]
    fn rows_have_a_key_and_two_columns_per_way() {
        let time = Summary::of(&[2.0]);
        let speedup = CpuSpeedup {
            job: "the job".into(),
            sequential_ms: Summary::of(&[4.0]),
            ways: WAYS,
            rows: vec![Row { workers: 2, times_ms: vec![time, time], speedups: vec![2.0, 1.5] }],
        };
        let json = Value::Object(speedup.to_json(false));
        assert_eq!(json["speedup"], json!([{ "workers": 2, "threads_contiguous": 2.0, "rayon": 1.5 }]));
        assert_eq!(
            json.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["speedup_sequential_ms", "speedup"]
        );
        let found = json.as_object().unwrap();
        assert_eq!((two_workers(found, "rayon"), two_workers(found, "none").is_nan()), (1.5, true));
        let text = Value::Object(speedup.to_json(true));
        assert_eq!(text["speedup"][0]["rayon_ms"]["median"], json!(2.0));
    }
}
