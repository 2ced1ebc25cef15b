//! Speedups: the CPU-bound job over 1, 2, 4 workers (claim C1) and a waiting-bound
//! job over 1 … 64 threads (claim C9), each result checked against the sequential one.

use std::thread;
use std::time::Duration;

use anyhow::{Context, ensure};
use rayon::prelude::*;
use serde_json::json;
use shared::measure::plot::{LineChart, Series, write_line_chart};
use shared::measure::speedup::{self, Job, Labels, Way};
use shared::measure::{Found, Options, Summary, time_samples};
use shared::work::{cpu_job, cpu_job_interleaved, split_range};

/// The three ways to share the job among the threads.
const WAYS: &[Way] = &[
    // One contiguous part each: larger numbers take longer, so the others wait.
    Way { key: "threads_contiguous", legend: "std::thread, contiguous parts" },
    // Each thread every `workers`-th block of numbers, nearly equal parts: the headline.
    Way { key: "threads_interleaved", legend: "std::thread, interleaved parts" },
    // A pool over the same blocks: an idle thread steals from a busy one.
    Way { key: "rayon", legend: "rayon" },
];

/// Runs `part(index)` on each of `workers` scoped threads; the sum of their results.
fn with_threads(
    workers: usize,
    part: impl Fn(usize) -> u64 + Sync,
) -> anyhow::Result<u64> {
    let part = &part;
    thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|index| {
                thread::Builder::new().spawn_scoped(scope, move || part(index))
            })
            .collect::<Result<_, _>>()
            .context("spawning a worker thread")?;
        handles.into_iter().map(shared::join_scoped).sum()
    })
}

/// Measures the CPU-bound job with 1, 2, 4 workers, the three `WAYS`.
pub fn cpu(options: &Options) -> anyhow::Result<Found> {
    let note = format!(
        "contiguous: each thread one run of the range; interleaved: blocks of {} \
         numbers dealt round robin; rayon: work stealing",
        shared::work::INTERLEAVE_BLOCK
    );
    let labels = Labels {
        heading: "CPU-bound speedup",
        note,
        ways: WAYS,
        plot: ("threads-speedup.svg", "workers", &[1, 0, 2]),
    };
    speedup::measure(options, labels, |range, workers| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(workers)
            .build()
            .with_context(|| format!("building a rayon pool of {workers} threads"))?;
        let parts = split_range(range.clone(), workers);
        // rayon gets the blocks the interleaved split deals, and steals them: every way
        // runs the same `cpu_job` loop, so the figures compare splits, not code.
        let blocks: Vec<_> = shared::work::blocks(range.clone()).collect();
        let range = range.clone();
        let jobs: Vec<Job> = vec![
            Box::new(move || {
                with_threads(workers, |index| cpu_job(parts[index].clone()))
            }),
            Box::new(move || {
                with_threads(workers, |index| {
                    cpu_job_interleaved(range.clone(), index, workers)
                })
            }),
            Box::new(move || {
                Ok(pool.install(|| {
                    blocks.par_iter().map(|block| cpu_job(block.clone())).sum()
                }))
            }),
        ];
        Ok(jobs)
    })
}

const WAITS: u64 = 64;

/// 64 waits one after another, then shared by 1 … 64 threads: median over median.
pub fn io(options: &Options) -> anyhow::Result<Found> {
    let wait = options.pick(Duration::from_millis(10), Duration::from_millis(2));
    let samples = options.pick(5, 2);
    let counts: &[usize] = options.pick(&[1, 2, 4, 8, 16, 32, 64], &[1, 4, 16, 64]);
    let expected: u64 = (0..WAITS).sum();
    let job = format!(
        "{WAITS} waits of {} ms (sleeps), one after another vs shared by N threads",
        wait.as_millis()
    );
    // A sleep stands in for a network or disk wait; the task's number checks the total.
    let wait_task = |task: u64| {
        thread::sleep(wait);
        task
    };

    let sequential =
        time_samples(0, samples, || Ok((0..WAITS).map(wait_task).sum::<u64>()))?;
    let sequential_ms = Summary::millis(&sequential);

    let (mut rows, mut json_rows) = (Vec::new(), Vec::new());
    for &workers in counts {
        let parts = split_range(0..WAITS, workers);
        let threaded = time_samples(0, samples, || {
            let total = with_threads(workers, |index| {
                parts[index].clone().map(wait_task).sum()
            })?;
            ensure!(
                total == expected,
                "{workers} threads computed {total}, the sequential job {expected}"
            );
            Ok(total)
        })?;
        let speedup = sequential_ms.median / Summary::millis(&threaded).median;
        rows.push((workers as f64, speedup));
        json_rows.push(json!({ "workers": workers, "speedup": speedup }));
    }
    let ideal = rows.iter().map(|&(n, _)| (n, n)).collect();
    let chart = LineChart {
        title: "Waiting-bound speedup (sleeps)".into(),
        x_label: "threads (log scale)".into(),
        y_label: "speedup over sequential".into(),
        log_x: true,
        series: vec![
            Series::measured("threads", rows, vec![]),
            Series::reference("ideal: threads", ideal),
        ],
    };
    Ok(Found {
        plot: Some(Box::new(move |dir| {
            write_line_chart(dir, "threads-io-speedup.svg", &chart)
        })),
        ..Found::new(
            format!("Waiting-bound speedup: {job}"),
            json!({ "io_speedup": json_rows }),
        )
    })
}
