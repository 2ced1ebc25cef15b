//! What idle forked children cost in memory, measured as the threads' figure is: the
//! growth of the total proportional set size (PSS, where a page shared by k processes
//! counts 1/k in each) of the parent and its children, per child, from
//! `/proc/PID/smaps_rollup`. Summing PSS over every process that shares a page counts
//! that page once, so the growth is what the children added. Page tables (`VmPTE` in
//! `/proc/PID/status`) are kernel memory that PSS does not count; their growth is
//! reported beside it. Kernel stacks are in neither.

use std::io::{self, PipeReader, PipeWriter, Read, Write};
use std::time::Duration;

use anyhow::Context;
use serde_json::json;
use shared::measure::{Found, Options, pss_and_page_tables_kib};

use super::join_within;
use crate::sys::{ForkedChild, fork_child_with_code};

/// The figures of N idle forked children: their PSS and page tables per child (KiB),
/// or, off Linux, why there are none.
pub fn measure(options: &Options) -> anyhow::Result<Found> {
    let (children, keys) = if cfg!(target_os = "linux") {
        let (children, pss, page_tables) = pss_of_idle_children(options)?;
        let keys = json!({
            "pss_per_process_kib": pss, "page_tables_per_process_kib": page_tables,
        });
        (children, keys)
    } else {
        let reason = "the proportional set size is read from /proc/PID/smaps_rollup: \
                      Linux only";
        let skipped = json!({ "skipped": reason });
        let keys = json!({
            "pss_per_process_kib": skipped, "page_tables_per_process_kib": skipped,
        });
        (0, keys)
    };
    let heading = format!(
        "Memory of idle forked children ({children} at once), growth of the total over \
         parent and children, per child"
    );
    Ok(Found::new(heading, keys))
}

/// PSS and VmPTE of process `pid` (`self` for this one), KiB.
fn pss_and_page_tables(pid: &str) -> anyhow::Result<(u64, u64)> {
    pss_and_page_tables_kib(pid).map_err(anyhow::Error::msg)
}

/// Forks N children that say they are ready and wait; reads every process's memory;
/// lets them go and reaps them. How many, and the growth per child of PSS and page
/// tables.
fn pss_of_idle_children(options: &Options) -> anyhow::Result<(usize, f64, f64)> {
    let count = options.pick(100, 20);
    let (parent_pss, parent_page_tables) = pss_and_page_tables("self")?;
    let mut children: Vec<(ForkedChild, PipeWriter)> = Vec::with_capacity(count);
    let figures = (|| -> anyhow::Result<(usize, f64, f64)> {
        for index in 0..count {
            let (mut ready_reader, ready_writer) =
                io::pipe().context("creating a ready pipe")?;
            let (release_reader, release_writer) =
                io::pipe().context("creating a release pipe")?;
            let child = fork_child_with_code(move || {
                idle_child(ready_writer, release_reader)
            })?;
            children.push((child, release_writer));
            ready_reader
                .read_exact(&mut [0u8])
                .with_context(|| format!("waiting for idle child {index}"))?;
        }
        let (mut pss, mut page_tables) = pss_and_page_tables("self")?;
        for (child, _) in &children {
            let (child_pss, child_page_tables) =
                pss_and_page_tables(&child.pid().to_string())?;
            pss += child_pss;
            page_tables += child_page_tables;
        }
        let per_child = |before: u64, after: u64| {
            after.saturating_sub(before) as f64 / count as f64
        };
        let page_tables = per_child(parent_page_tables, page_tables);
        Ok((count, per_child(parent_pss, pss), page_tables))
    })();
    for (mut child, mut release) in children {
        if figures.is_ok() && release.write_all(&[1]).is_ok() {
            join_within(&mut child, Duration::from_secs(10), "an idle child")?;
        } else {
            // The error worth reporting is the one reading the figures; the child
            // just goes.
            child.kill()?;
            child.join()?;
        }
    }
    figures
}

/// The child: say "ready", then wait for one byte. Its exit code.
fn idle_child(mut ready: PipeWriter, mut release: PipeReader) -> i32 {
    if ready.write_all(&[1]).is_err() {
        return 1;
    }
    match release.read_exact(&mut [0u8]) {
        Ok(()) => 0,
        Err(_) => 1,
    }
}
