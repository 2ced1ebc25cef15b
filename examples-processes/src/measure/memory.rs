//! What idle forked children cost in memory, as the threads' figure: the growth
//! per child of the total proportional set size (PSS: a page shared by k processes
//! counts 1/k in each, so the sum over them counts it once) of the parent and its
//! children. Page tables (`VmPTE`), kernel memory that PSS does not count, are
//! reported beside it. Kernel stacks are in neither.

use std::io::{self, Read, Write};
use std::time::Duration;

use anyhow::Context;
use serde_json::{Map, Value, json};
use shared::measure::{Found, Options, pss_and_page_tables_kib, skipped};

use crate::{status, sys::fork_child_fallible};

pub fn measure(options: &Options, _: &Map<String, Value>) -> anyhow::Result<Found> {
    let (children, pss, page_tables) = if cfg!(target_os = "linux") {
        let count = options.pick(100, 20);
        let (pss, page_tables) = idle_children(count)?;
        (count, json!(pss), json!(page_tables))
    } else {
        let reason = "the proportional set size is read from /proc/PID/smaps_rollup: \
                      Linux only";
        (0, skipped(reason), skipped(reason))
    };
    let heading = format!(
        "Memory of idle forked children ({children} at once), growth of the total over \
         parent and children, per child"
    );
    let keys = json!({
        "pss_per_process_kib": pss, "page_tables_per_process_kib": page_tables,
    });
    Ok(Found::new(heading, keys))
}

/// The growth per child of PSS and page tables with `count` idle forked children.
fn idle_children(count: usize) -> anyhow::Result<(f64, f64)> {
    let read = |pid: &str| pss_and_page_tables_kib(pid).map_err(anyhow::Error::msg);
    let before = read("self")?;
    // One byte to each child, through one pipe, lets it go.
    let (release_reader, mut release) = io::pipe().context("creating a pipe")?;
    let mut children = Vec::with_capacity(count);
    for index in 0..count {
        let (mut ready, mut ready_writer) = io::pipe().context("creating a pipe")?;
        let mut release_reader = release_reader.try_clone()?;
        children.push(fork_child_fallible(move || {
            ready_writer.write_all(&[1])?;
            release_reader.read_exact(&mut [0u8])
        })?);
        // The child holds the only writer: if it dies, this read ends.
        let waited = ready.read_exact(&mut [0u8]);
        waited.with_context(|| format!("waiting for idle child {index}"))?;
    }
    let mut after = read("self")?;
    for child in &children {
        let (pss, page_tables) = read(&child.pid().to_string())?;
        after = (after.0 + pss, after.1 + page_tables);
    }
    release.write_all(&vec![1u8; count]).context("letting the children go")?;
    for mut child in children {
        let waited = child.join_or_kill(Duration::from_secs(10))?;
        status::check_waited("an idle child", waited)?;
    }
    let per_child =
        |before: u64, after: u64| after.saturating_sub(before) as f64 / count as f64;
    Ok((per_child(before.0, after.0), per_child(before.1, after.1)))
}
