//! The CPU-bound job over 1, 2, 4 forked processes (claim C1), the range split two
//! ways (contiguous parts, unequal work; interleaved parts, nearly equal): each child
//! computes its part of the range and sends the partial sum back through a pipe; the
//! total is checked against the sequential one.

use std::io::{self, Read, Write};
use std::ops::Range;
use std::time::Duration;

use anyhow::Context;
use shared::measure::speedup::{self, Job, Labels, Way};
use shared::measure::{Found, Options};
use shared::work::{cpu_job, cpu_job_interleaved, split_range};

use super::join_within;
use crate::sys::fork_child_with_code;

/// How long a worker may take after it sent its result (it only has to exit).
const EXIT_DEADLINE: Duration = Duration::from_secs(10);

/// The two ways to share the job among the processes.
const WAYS: &[Way] = &[
    // Fork, compute, send back, join, each child one contiguous part of the range.
    Way { key: "processes_contiguous", legend: "processes, contiguous parts" },
    // The same, each child every `workers`-th block (nearly equal parts): the headline.
    Way { key: "processes_interleaved", legend: "processes, interleaved parts" },
];

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

/// Measures the job over 1, 2, 4 processes, both splits.
pub fn measure(options: &Options) -> anyhow::Result<Found> {
    let note = format!(
        "contiguous: each child one run of the range; interleaved: blocks of {} numbers \
         dealt round robin",
        shared::work::INTERLEAVE_BLOCK
    );
    let labels = Labels {
        heading: "CPU-bound speedup over forked processes",
        note,
        ways: WAYS,
        plot: ("processes-speedup.svg", "worker processes", &[1, 0]),
    };
    speedup::measure(options, labels, |range, workers| {
        let jobs: Vec<Job> = [Split::Contiguous, Split::Interleaved]
            .map(|split| {
                let range = range.clone();
                Box::new(move || with_processes(&range, workers, split)) as Job
            })
            .into();
        Ok(jobs)
    })
}
