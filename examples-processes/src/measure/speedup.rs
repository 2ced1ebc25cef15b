//! The CPU-bound job over 1, 2, 4 forked processes (claim C1), the range split two
//! ways (contiguous parts, unequal work; interleaved parts, nearly equal): each
//! child sends its partial sum back through a pipe.

use std::io::{self, Write};
use std::time::Duration;

use anyhow::Context;
use serde_json::{Map, Value};
use shared::measure::speedup::{self, Job, Labels, Way};
use shared::measure::{Found, Options};
use shared::work::{INTERLEAVE_BLOCK, cpu_job, cpu_job_interleaved, split_range};

use crate::{measure::handoff::read_word, status, sys::fork_child_fallible};

/// In the order of the jobs; interleaved (nearly equal parts) is the headline.
const WAYS: &[Way] = &[
    Way { key: "processes_contiguous", legend: "processes, contiguous parts" },
    Way { key: "processes_interleaved", legend: "processes, interleaved parts" },
];

/// The total of `part(index)` over `workers` forked children, one part each.
fn in_children(workers: usize, part: impl Fn(usize) -> u64) -> anyhow::Result<u64> {
    let part = &part;
    let mut children = Vec::with_capacity(workers);
    for index in 0..workers {
        let (reader, mut writer) = io::pipe().context("creating a result pipe")?;
        // The writer is moved into the target, so the parent's copy closes when
        // `fork_child_fallible` returns: a child that dies is an end of file.
        let child = fork_child_fallible(move || {
            writer.write_all(&part(index).to_le_bytes())
        })?;
        children.push((child, reader));
    }
    let mut total = 0;
    for (index, (mut child, reader)) in children.into_iter().enumerate() {
        let read = read_word(reader);
        let what = format!("worker process {index}");
        // It only has to exit after sending its result.
        status::check_waited(&what, child.join_or_kill(Duration::from_secs(10))?)?;
        total += read.with_context(|| format!("reading {what}'s result"))?;
    }
    Ok(total)
}

pub fn measure(options: &Options, _: &Map<String, Value>) -> anyhow::Result<Found> {
    let labels = Labels {
        heading: "CPU-bound speedup over forked processes",
        note: format!(
            "contiguous: each child one run of the range; interleaved: blocks of \
             {INTERLEAVE_BLOCK} numbers dealt round robin"
        ),
        ways: WAYS,
        plot: ("processes-speedup.svg", "worker processes", &[1, 0]),
    };
    speedup::measure(options, labels, |range, workers| {
        let (parts, whole) = (split_range(range.clone(), workers), range.clone());
        let contiguous = move || in_children(workers, |i| cpu_job(parts[i].clone()));
        let interleaved = move || {
            in_children(workers, |i| cpu_job_interleaved(whole.clone(), i, workers))
        };
        Ok(vec![Box::new(contiguous) as Job, Box::new(interleaved)])
    })
}
