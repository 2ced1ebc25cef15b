//! Speedups: the CPU-bound job over 1, 2, 4 workers (claim C1) and a waiting-bound
//! job over 1 … 64 threads (claim C9). Every parallel result is checked against the
//! sequential one.

use std::hint::black_box;
use std::thread;
use std::time::Duration;

use anyhow::{Context, ensure};
use rayon::prelude::*;
use serde_json::{Value, json};
use shared::measure::{
    Options, Progress, Summary, calibrate_cpu_job, time_round_robin, time_samples,
};
use shared::work::{cpu_job, cpu_job_interleaved, split_range};

/// The worker counts of the CPU-bound speedup.
pub const CPU_WORKERS: [usize; 3] = [1, 2, 4];

/// One row of the CPU-bound speedup: sequential median time over parallel median
/// time, for three ways to share the job among `workers` threads.
pub struct CpuRow {
    /// How many workers.
    pub workers: usize,
    /// `std::thread`, each thread one contiguous part of the range: the parts with
    /// larger numbers take longer, and the others finish early and wait.
    pub threads_contiguous: f64,
    /// `std::thread`, the range interleaved: each thread every `workers`-th block of numbers,
    /// so the parts are nearly equal work. The headline figure.
    pub threads_interleaved: f64,
    /// rayon (a pool of `workers` threads) over the same blocks of numbers: an idle
    /// thread steals blocks from a busy one.
    pub rayon: f64,
    /// The samples behind each, ms: contiguous, interleaved, rayon.
    pub times_ms: [Summary; 3],
}

impl CpuRow {
    /// `{"workers", "threads_contiguous", "threads_interleaved", "rayon"}`.
    pub fn to_json(&self) -> Value {
        json!({ "workers": self.workers, "threads_contiguous": self.threads_contiguous, "threads_interleaved": self.threads_interleaved, "rayon": self.rayon })
    }
}

/// The CPU-bound speedup table.
pub struct CpuSpeedup {
    /// What the job was, in words.
    pub job: String,
    /// The sequential run, ms.
    pub sequential_ms: Summary,
    /// One row per worker count.
    pub rows: Vec<CpuRow>,
}

/// Runs `part(index)` for each of `workers` scoped threads and adds up their results;
/// each thread's panic is reported.
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
        let mut total = 0;
        for handle in handles {
            total += shared::join_scoped(handle)?;
        }
        Ok(total)
    })
}

/// Measures the CPU-bound job with 1, 2, 4 workers: threads on contiguous parts,
/// threads on interleaved parts, and rayon. For each worker count, the sequential run
/// and the three parallel ones alternate (round robin), and each speedup is the ratio
/// of the medians from those same rounds.
pub fn cpu(options: &Options, progress: &Progress) -> anyhow::Result<CpuSpeedup> {
    let range = calibrate_cpu_job(
        options.pick(Duration::from_millis(150), Duration::from_millis(25)),
    );
    let expected = cpu_job(range.clone());
    let (warmup, samples) = options.cpu_speedup_rounds();
    let job = format!("the Collatz job over {}..{}", range.start, range.end);

    let mut all_sequential = Vec::new();
    let mut rows = Vec::new();
    for (index, workers) in CPU_WORKERS.into_iter().enumerate() {
        progress.item(
            &format!(
                "sequential, std::thread two ways and rayon with {workers} workers"
            ),
            index,
            CPU_WORKERS.len(),
        );
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(workers)
            .build()
            .with_context(|| format!("building a rayon pool of {workers} threads"))?;
        let check = |way: &str, total: u64| -> anyhow::Result<()> {
            ensure!(
                total == expected,
                "{way} with {workers} workers computed {total}, the sequential job {expected}"
            );
            Ok(())
        };
        let mut sequential = || -> anyhow::Result<()> {
            black_box(cpu_job(black_box(range.clone())));
            Ok(())
        };
        let parts = split_range(range.clone(), workers);
        // rayon gets the blocks the interleaved split deals, and steals them: every way
        // runs the same `cpu_job` loop, so the figures compare splits, not code.
        let blocks: Vec<_> = shared::work::blocks(range.clone()).collect();
        let mut contiguous = || -> anyhow::Result<()> {
            check(
                "contiguous threads",
                with_threads(workers, |index| cpu_job(parts[index].clone()))?,
            )
        };
        let mut interleaved = || -> anyhow::Result<()> {
            let total = with_threads(workers, |index| {
                cpu_job_interleaved(range.clone(), index, workers)
            })?;
            check("interleaved threads", total)
        };
        let mut rayon = || -> anyhow::Result<()> {
            check(
                "rayon",
                pool.install(|| {
                    blocks.par_iter().map(|block| cpu_job(block.clone())).sum()
                }),
            )
        };
        let times = time_round_robin(
            warmup,
            samples,
            &mut [&mut sequential, &mut contiguous, &mut interleaved, &mut rayon],
        )?;
        let [sequential_ms, contiguous_ms, interleaved_ms, rayon_ms] =
            [0, 1, 2, 3].map(|job| Summary::millis(&times[job]));
        all_sequential.extend_from_slice(&times[0]);
        rows.push(CpuRow {
            workers,
            threads_contiguous: sequential_ms.median / contiguous_ms.median,
            threads_interleaved: sequential_ms.median / interleaved_ms.median,
            rayon: sequential_ms.median / rayon_ms.median,
            times_ms: [contiguous_ms, interleaved_ms, rayon_ms],
        });
    }
    Ok(CpuSpeedup { job, sequential_ms: Summary::millis(&all_sequential), rows })
}

/// One row of the waiting-bound speedup.
pub struct IoRow {
    /// How many threads share the waits.
    pub workers: usize,
    /// Sequential median time over threaded median time.
    pub speedup: f64,
}

impl IoRow {
    /// `{"workers": …, "speedup": …}`.
    pub fn to_json(&self) -> Value {
        json!({ "workers": self.workers, "speedup": self.speedup })
    }
}

/// The waiting-bound speedup table.
pub struct IoSpeedup {
    /// What the job was, in words.
    pub job: String,
    /// One row per thread count.
    pub rows: Vec<IoRow>,
}

/// The number of waits in the waiting-bound job.
const WAITS: u64 = 64;

/// One waiting task: sleep (standing in for a network or disk wait), then return the
/// task's number, so the total can be checked.
fn wait_task(task: u64, wait: Duration) -> u64 {
    thread::sleep(wait);
    task
}

/// Measures 64 waits run one after another, then shared by 1 … 64 threads.
pub fn io(options: &Options, progress: &Progress) -> anyhow::Result<IoSpeedup> {
    let wait = options.pick(Duration::from_millis(10), Duration::from_millis(2));
    let samples = options.pick(5, 2);
    let counts: Vec<usize> =
        options.pick(vec![1, 2, 4, 8, 16, 32, 64], vec![1, 4, 16, 64]);
    let expected: u64 = (0..WAITS).sum();
    let job = format!(
        "{WAITS} waits of {} ms (sleeps), one after another vs shared by N threads",
        wait.as_millis()
    );

    progress.item("sequential", 0, counts.len() + 1);
    let sequential = time_samples(0, samples, || {
        Ok((0..WAITS).map(|task| wait_task(task, wait)).sum::<u64>())
    })?;
    let sequential_ms = Summary::millis(&sequential);

    let mut rows = Vec::new();
    for (index, &workers) in counts.iter().enumerate() {
        progress.item(
            &format!("shared by {workers} threads"),
            index + 1,
            counts.len() + 1,
        );
        let threaded = time_samples(0, samples, || {
            let total = thread::scope(|scope| -> anyhow::Result<u64> {
                let handles: Vec<_> = split_range(0..WAITS, workers)
                    .into_iter()
                    .map(|tasks| {
                        thread::Builder::new().spawn_scoped(scope, move || {
                            tasks.map(|task| wait_task(task, wait)).sum::<u64>()
                        })
                    })
                    .collect::<Result<_, _>>()
                    .context("spawning a waiting thread")?;
                let mut total = 0;
                for handle in handles {
                    total += shared::join_scoped(handle)?;
                }
                Ok(total)
            })?;
            ensure!(
                total == expected,
                "{workers} threads computed {total}, the sequential job {expected}"
            );
            Ok(total)
        })?;
        rows.push(IoRow {
            workers,
            speedup: sequential_ms.median / Summary::millis(&threaded).median,
        });
    }
    Ok(IoSpeedup { job, rows })
}
