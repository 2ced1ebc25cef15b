//! The fix for the pipe deadlock: a thread writes while this one reads.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::thread;
use std::time::Duration;

use anyhow::{Context, ensure};

use crate::sys::{self, check_waited};

const BIG: usize = 1 << 20; // Far more than a pipe holds (64 KiB on Linux).

pub fn run() -> anyhow::Result<()> {
    // Steps 1 to 3: the `echo` task of `pipes`, its stdin and stdout piped.
    let mut child = Command::new(std::env::current_exe()?)
        .args(["__task", "echo"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let writer = thread::spawn(move || -> std::io::Result<()> {
        // Should the child die, the write fails here: no SIGPIPE.
        sys::block_sigpipe_in_this_thread()?;
        stdin.write_all(&vec![b'x'; BIG]) // Then `stdin` is dropped: EOF.
    });
    let mut echoed = Vec::new();
    child.stdout.take().expect("stdout is piped").read_to_end(&mut echoed)?;
    writer.join().expect("the writer panicked").context("writing")?;
    // Step 4: join, with a deadline.
    check_waited(
        "the echo child",
        sys::wait_or_kill(&mut child, Duration::from_secs(2))?,
    )?;
    let n = echoed.len();
    ensure!(n == BIG, "sent {BIG} bytes, {n} came back");
    println!(
        "fixed: a writer thread sent {BIG} bytes while this one read {n} back"
    );
    Ok(())
}
