//! What an idle forked child costs in memory: its proportional set size (PSS), where
//! each page shared with the parent counts half, from `/proc/PID/smaps_rollup`.

use std::io::{self, PipeReader, PipeWriter, Read, Write};
use std::time::Duration;

use anyhow::Context;
use shared::measure::{read_kib_field, rss_kib};

use super::join_within;
use crate::sys::fork_child_with_code;

/// The figures of an idle forked child.
pub struct ProcessMemory {
    /// Its PSS, KiB.
    pub pss_kib: f64,
    /// Its RSS (shared pages counted whole), KiB.
    pub rss_kib: u64,
    /// Its private pages (clean and dirty), KiB.
    pub private_kib: u64,
    /// The parent's RSS, KiB.
    pub parent_rss_kib: u64,
}

/// Forks a child that says it is ready and waits; reads its memory; lets it go.
pub fn pss_of_idle_child() -> anyhow::Result<ProcessMemory> {
    let (mut ready_reader, ready_writer) =
        io::pipe().context("creating the ready pipe")?;
    let (release_reader, mut release_writer) =
        io::pipe().context("creating the release pipe")?;
    let mut child =
        fork_child_with_code(move || idle_child(ready_writer, release_reader))?;
    let figures = (|| -> anyhow::Result<ProcessMemory> {
        ready_reader
            .read_exact(&mut [0u8])
            .context("waiting for the idle child to be ready")?;
        let rollup = format!("/proc/{}/smaps_rollup", child.pid());
        let private = read_kib_field(&rollup, "Private_Clean")?
            + read_kib_field(&rollup, "Private_Dirty")?;
        Ok(ProcessMemory {
            pss_kib: read_kib_field(&rollup, "Pss")? as f64,
            rss_kib: read_kib_field(&rollup, "Rss")?,
            private_kib: private,
            parent_rss_kib: rss_kib()?,
        })
    })();
    if figures.is_ok() {
        release_writer.write_all(&[1]).context("releasing the idle child")?;
        join_within(&mut child, Duration::from_secs(10), "the idle child")?;
    } else {
        // The error worth reporting is the one reading the figures; the child just
        // goes.
        child.kill()?;
        child.join()?;
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
