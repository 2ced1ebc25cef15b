//! The classic pipe deadlock: writing more than a pipe holds (64 KiB) to a child's
//! stdin before reading its stdout, bounded by a deadline; and its fix, a writer
//! thread.

use std::io::{self, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::thread;
use std::time::Duration;

use anyhow::{Context, bail, ensure};

use crate::sys::{self, Pid, check_waited, describe};

const DEADLINE: Duration = Duration::from_secs(2);
/// Far more than a pipe holds (64 KiB on Linux by default).
const BIG: usize = 1 << 20;

/// The naive order, which deadlocks, then the fix.
pub fn run() -> anyhow::Result<()> {
    deadlock()?;
    writer_thread()
}

// ANCHOR: deadlock
fn deadlock() -> anyhow::Result<()> {
    let (mut child, mut stdin, mut stdout) = start_echo()?;
    // The naive order: write everything, then read. On a thread of its own, so that
    // this thread can watch the clock.
    let naive = thread::spawn(move || -> io::Result<usize> {
        // A write to the child once it is killed fails in this thread, not the whole
        // program.
        sys::block_sigpipe_in_this_thread()?;
        stdin.write_all(&vec![b'x'; BIG])?;
        drop(stdin);
        let mut echoed = Vec::new();
        stdout.read_to_end(&mut echoed)
    });
    if let Some(status) = sys::wait_timeout(&mut child, DEADLINE)? {
        bail!("expected a deadlock, but the echo child {}", describe(status));
    }
    // Where the child is stuck (the kernel function it sleeps in), then end it.
    let blocked_in = sys::blocked_in(child.id() as Pid)
        .unwrap_or_else(|| "? (shown on Linux only)".to_owned());
    child.kill()?;
    let ending = describe(child.wait()?);
    println!(
        "deadlock: after {DEADLINE:?} the child was blocked in {blocked_in}: its \
         stdout pipe"
    );
    println!(
        "  was full and nobody read it, while we were blocked writing to its full \
         stdin pipe"
    );
    println!("killed the child: {ending}");
    match naive.join().expect("the naive writer panicked") {
        Err(error) => println!("the naive writer gave up: {error}"),
        Ok(echoed) => {
            bail!("the naive writer finished ({echoed} bytes echoed)")
        }
    }
    Ok(())
}
// ANCHOR_END: deadlock

// ANCHOR: writer_thread
fn writer_thread() -> anyhow::Result<()> {
    let (mut child, mut stdin, mut stdout) = start_echo()?;
    // The fix: a thread writes while this thread reads, so neither pipe stays full.
    let writer = thread::spawn(move || -> io::Result<()> {
        sys::block_sigpipe_in_this_thread()?;
        // `stdin` is dropped at the end: end of file.
        stdin.write_all(&vec![b'x'; BIG])
    });
    let mut echoed = Vec::new();
    stdout.read_to_end(&mut echoed)?;
    writer.join().expect("the writer panicked").context("writing")?;
    check_waited("the echo child", sys::wait_or_kill(&mut child, DEADLINE)?)?;
    ensure!(
        echoed.len() == BIG,
        "sent {BIG} bytes, {} came back",
        echoed.len()
    );
    println!(
        "fixed: a writer thread sent {BIG} bytes while this thread read {} back",
        echoed.len()
    );
    Ok(())
}
// ANCHOR_END: writer_thread

/// The `echo` task (the `pipes` example's), its stdin and stdout piped to us.
fn start_echo() -> io::Result<(Child, ChildStdin, ChildStdout)> {
    let mut child = Command::new(std::env::current_exe()?)
        .args(["__task", "echo"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let (stdin, stdout) = (child.stdin.take(), child.stdout.take());
    Ok((child, stdin.expect("piped"), stdout.expect("piped")))
}
