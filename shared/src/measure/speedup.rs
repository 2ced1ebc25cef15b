//! The CPU-bound speedup (claim C1), the same for threads and processes: for 1, 2, 4 workers
//! the sequential job and each parallel way in turns, each speedup the ratio of two medians.

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

/// How a binary's speedup section reads and plots.
pub struct Labels {
    /// The text report's heading, and the plot's title.
    pub heading: &'static str,
    /// How the ways split the job, in words.
    pub note: String,
    /// The ways, in the order of the jobs.
    pub ways: &'static [Way],
    /// The plot's file, its x axis, and the ways it draws, in order (indices into `ways`).
    pub plot: (&'static str, &'static str, &'static [usize]),
}

/// Measures the job over [`WORKERS`]: for each count, `jobs` gives one [`Job`] per way. The
/// `speedup` rows have a key per way, its speedup (the text adds its times, `KEY_ms`).
pub fn measure<'a>(
    options: &Options,
    labels: Labels,
    mut jobs: impl FnMut(&Range<u64>, usize) -> anyhow::Result<Vec<Job<'a>>>,
) -> anyhow::Result<Found> {
    let range = calibrate_cpu_job(options.pick(Duration::from_millis(150), Duration::from_millis(25)));
    let expected = cpu_job(range.clone());
    // 15 rounds: the median of each way stays put when the machine's other tenants take a
    // core for a few rounds (7 moved a 2-worker speedup between 1.83x and 1.96x).
    let (warmup, samples) = options.pick((1, 15), (1, 3));
    let ways = labels.ways;
    let (mut all_sequential, mut rows, mut text_rows) = (Vec::new(), Vec::new(), Vec::new());
    let mut lines = vec![Vec::new(); ways.len()];
    for workers in WORKERS {
        // The sequential job first, then each way's; every total is checked.
        let mut all: Vec<Job> = vec![Box::new(|| Ok(cpu_job(black_box(range.clone()))))];
        all.extend(jobs(&range, workers)?);
        let keys = std::iter::once("sequential").chain(ways.iter().map(|way| way.key));
        let mut checked: Vec<_> = (all.iter_mut().zip(keys))
            .map(|(job, key)| {
                move || -> anyhow::Result<()> {
                    let total = job()?;
                    ensure!(total == expected, "{key}, {workers} workers: total {total}, not {expected}");
                    Ok(())
                }
            })
            .collect();
        let mut all: Vec<&mut dyn FnMut() -> anyhow::Result<()>> =
            checked.iter_mut().map(|job| job as _).collect();
        let times = time_round_robin(warmup, samples, &mut all)?;
        let sequential_ms = Summary::millis(&times[0]);
        all_sequential.extend_from_slice(&times[0]);
        let (mut row, mut text_row) = (json!({ "workers": workers }), json!({ "workers": workers }));
        for (way, (times, line)) in ways.iter().zip(times[1..].iter().zip(&mut lines)) {
            let time_ms = Summary::millis(times);
            let speedup = sequential_ms.median / time_ms.median;
            line.push((workers as f64, speedup));
            row[way.key] = json!(speedup);
            (text_row[way.key], text_row[format!("{}_ms", way.key)]) = (json!(speedup), json!(time_ms));
        }
        rows.push(row);
        text_rows.push(text_row);
    }
    let sequential_ms = Summary::millis(&all_sequential);
    let (file, x_label, order) = labels.plot;
    let cpus = super::machine::cpus();
    let measured = order.iter().map(|&way| Series::measured(ways[way].legend, lines[way].clone(), vec![]));
    let ideal = WORKERS.map(|workers| (workers as f64, workers.min(cpus) as f64));
    let chart = LineChart {
        title: format!("{}, {cpus} CPUs", labels.heading),
        x_label: x_label.into(),
        y_label: "speedup over sequential".into(),
        log_x: false,
        series: measured.chain([Series::reference("ideal: min(workers, CPUs)", ideal.into())]).collect(),
    };
    Ok(Found {
        heading: format!(
            "{}: the Collatz job over {}..{}, sequential, then split; every parallel total equals the \
             sequential one\n({})",
            labels.heading, range.start, range.end, labels.note
        ),
        keys: keys(json!({ "speedup_sequential_ms": sequential_ms, "speedup": rows })),
        text: Some(keys(json!({ "speedup_sequential_ms": sequential_ms, "speedup": text_rows }))),
        plot: Some(Box::new(move |dir| write_line_chart(dir, file, &chart))),
    })
}

/// The speedup of the way `key` with 2 workers in `found` (`NaN` if there is none).
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
    fn rows_have_a_key_per_way_and_the_text_its_times() {
        let options = Options { quick: true, ..Options::default() };
        let labels = Labels { heading: "Speedup", note: String::new(), ways: WAYS, plot: ("", "", &[]) };
        let found = measure(&options, labels, |range, _| {
            let job = |range: Range<u64>| Box::new(move || Ok(cpu_job(range.clone()))) as Job;
            Ok(vec![job(range.clone()), job(range.clone())])
        })
        .unwrap();
        assert_eq!(found.keys.keys().collect::<Vec<_>>(), ["speedup_sequential_ms", "speedup"]);
        let rows = found.keys["speedup"].as_array().unwrap();
        assert_eq!(rows.iter().map(|row| row["workers"].clone()).collect::<Vec<_>>(), [1, 2, 4]);
        assert_eq!(
            rows[1].as_object().unwrap().keys().collect::<Vec<_>>(),
            ["workers", "threads_contiguous", "rayon"]
        );
        assert!(found.text.unwrap()["speedup"][0]["rayon_ms"]["median"].as_f64().unwrap() > 0.0);
        let speedup = rows[1]["rayon"].as_f64().unwrap();
        assert_eq!(
            (two_workers(&found.keys, "rayon"), two_workers(&found.keys, "none").is_nan()),
            (speedup, true)
        );
    }
}
