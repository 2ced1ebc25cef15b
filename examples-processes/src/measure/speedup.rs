//! The CPU-bound job over 1, 2, 4 forked processes (claim C1), the range split two
//! ways (contiguous parts, unequal work; interleaved parts, nearly equal): each child
//! computes its part of the range and sends the partial sum back through a pipe; the
//! total is checked against the sequential one.

use std::hint::black_box;
use std::io::{self, Read, Write};
use std::ops::Range;
use std::time::Duration;

use anyhow::{Context, ensure};
use shared::measure::{
    Options, Progress, Summary, calibrate_cpu_job, time_round_robin,
};
use shared::work::{cpu_job, cpu_job_interleaved, split_range};

use super::join_within;
use crate::sys::fork_child_with_code;

/// How long a worker may take after it sent its result (it only has to exit).
const EXIT_DEADLINE: Duration = Duration::from_secs(10);

/// The worker counts.
pub const WORKERS: [usize; 3] = [1, 2, 4];

/// One row: how many processes, their times, and the speedups over the sequential
/// job.
pub struct Row {
    /// How many worker processes.
    pub workers: usize,
    /// Fork, compute, send back, join, each child one contiguous part of the range:
    /// ms.
    pub contiguous_ms: Summary,
    /// The same, each child every `workers`-th block of the range (nearly equal parts): ms.
    pub interleaved_ms: Summary,
    /// Sequential median over the contiguous median.
    pub contiguous: f64,
    /// Sequential median over the interleaved median: the headline figure.
    pub interleaved: f64,
}

/// The speedup table.
pub struct ProcessSpeedup {
    /// What the job was, in words.
    pub job: String,
    /// The sequential run, ms.
    pub sequential_ms: Summary,
    /// One row per worker count.
    pub rows: Vec<Row>,
}

/// How the range is shared among the workers.
#[derive(Clone, Copy)]
enum Split {
    /// Each one contiguous part.
    Contiguous,
    /// Each every `workers`-th block (`shared::work::cpu_job_interleaved`).
    Interleaved,
}

/// The job split over `workers` forked children; returns the total of their partial
/// sums.
fn with_processes(
    range: &Range<u64>,
    workers: usize,
    split: Split,
) -> anyhow::Result<u64> {
    let mut children = Vec::with_capacity(workers);
    let parts = split_range(range.clone(), workers);
    for (index, part) in parts.into_iter().enumerate() {
        let whole = range.clone();
        let (result_reader, mut result_writer) =
            io::pipe().context("creating a result pipe")?;
        // The child computes its part and writes 8 bytes. The writer is moved into
        // the target, so the parent's copy closes when `fork_child` returns.
        let child = fork_child_with_code(move || {
            let partial = match split {
                Split::Contiguous => cpu_job(part),
                Split::Interleaved => cpu_job_interleaved(whole, index, workers),
            };
            match result_writer.write_all(&partial.to_le_bytes()) {
                Ok(()) => 0,
                Err(_) => 1,
            }
        })?;
        children.push((child, result_reader));
    }
    // If anything below fails, the handles still in `children` are dropped: each
    // kills and reaps its child, so none is left behind.
    let mut total = 0;
    for (index, (mut child, mut result_reader)) in children.into_iter().enumerate() {
        let mut bytes = [0u8; 8];
        let read = result_reader.read_exact(&mut bytes);
        join_within(&mut child, EXIT_DEADLINE, &format!("worker process {index}"))?;
        read.with_context(|| format!("reading worker process {index}'s result"))?;
        total += u64::from_le_bytes(bytes);
    }
    Ok(total)
}

/// Measures the job over 1, 2, 4 processes, both splits. For each count, sequential
/// and forked runs alternate, and the speedup is the ratio of the medians from those
/// same rounds.
pub fn measure(
    options: &Options,
    progress: &Progress,
) -> anyhow::Result<ProcessSpeedup> {
    let range = calibrate_cpu_job(
        options.pick(Duration::from_millis(150), Duration::from_millis(25)),
    );
    let expected = cpu_job(range.clone());
    let (warmup, samples) = options.cpu_speedup_rounds();
    let job = format!("the Collatz job over {}..{}", range.start, range.end);

    let mut all_sequential = Vec::new();
    let mut rows = Vec::new();
    for (index, workers) in WORKERS.into_iter().enumerate() {
        progress.item(
            &format!("sequential and {workers} processes"),
            index,
            WORKERS.len(),
        );
        let mut sequential = || -> anyhow::Result<()> {
            black_box(cpu_job(black_box(range.clone())));
            Ok(())
        };
        let forked = |split: Split| -> anyhow::Result<()> {
            let total = with_processes(&range, workers, split)?;
            ensure!(
                total == expected,
                "{workers} processes computed {total}, the sequential job {expected}"
            );
            Ok(())
        };
        let mut contiguous = || forked(Split::Contiguous);
        let mut interleaved = || forked(Split::Interleaved);
        let times = time_round_robin(
            warmup,
            samples,
            &mut [&mut sequential, &mut contiguous, &mut interleaved],
        )?;
        let [sequential_ms, contiguous_ms, interleaved_ms] =
            [0, 1, 2].map(|job| Summary::millis(&times[job]));
        all_sequential.extend_from_slice(&times[0]);
        rows.push(Row {
            workers,
            contiguous: sequential_ms.median / contiguous_ms.median,
            interleaved: sequential_ms.median / interleaved_ms.median,
            contiguous_ms,
            interleaved_ms,
        });
    }
    Ok(ProcessSpeedup { job, sequential_ms: Summary::millis(&all_sequential), rows })
}
