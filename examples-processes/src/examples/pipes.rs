//! Parent and child talk over pipes: a pipe made before a fork, then a `Command` child's stdin
//! and stdout. Then the classic deadlock, writing more than a pipe holds (64 KiB) to a child's
//! stdin before reading its stdout, bounded by a deadline; and its fix, a writer thread.

use std::io::{self, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Stdio};
use std::thread;
use std::time::Duration;

use anyhow::{Context, anyhow, bail, ensure};

use crate::status::{check_waited, describe};
use crate::sys::{self, Pid, current_pid, fork_child_fallible};
use crate::tasks;

const DEADLINE: Duration = Duration::from_secs(2);
/// Far more than a pipe holds (64 KiB on Linux by default).
const BIG: usize = 1 << 20;

/// The four conversations, one after the other.
pub fn run() -> anyhow::Result<()> {
    fork_pipe()?;
    child_stdio()?;
    deadlock()?;
    writer_thread()
}

// ANCHOR: fork_pipe
fn fork_pipe() -> anyhow::Result<()> {
    // A pipe: a one-way channel in the kernel, with a read end and a write end.
    let (mut reader, mut writer) = io::pipe()?;
    // Steps 1 to 3: the child gets copies of both ends, and writes.
    let mut child = fork_child_fallible(move || writeln!(writer, "hello from child {}", current_pid()))?;
    // The parent's `writer` went away with the closure, so end of file comes when the child's
    // copy closes: when it exits.
    let mut message = String::new();
    reader.read_to_string(&mut message)?;
    // Step 4: join.
    check_waited("the child", child.join_or_kill(DEADLINE)?)?;
    print!("pipe made before fork, parent read: {message}");
    Ok(())
}
// ANCHOR_END: fork_pipe

// ANCHOR: child_stdio
fn child_stdio() -> anyhow::Result<()> {
    // Steps 1 to 3: `start_echo` (below) creates the command, pipes its stdin and stdout, starts it.
    let (mut child, mut stdin, mut stdout) = start_echo()?;
    stdin.write_all(b"hello through the child's stdin and stdout\n")?;
    drop(stdin); // End of file for the child: it has all its input.
    let mut echoed = String::new();
    stdout.read_to_string(&mut echoed)?;
    // Step 4: join, with a deadline.
    check_waited("the echo child", sys::wait_or_kill(&mut child, DEADLINE)?)?;
    print!("Command with piped stdin and stdout, child echoed: {echoed}");
    Ok(())
}
// ANCHOR_END: child_stdio

// ANCHOR: deadlock
fn deadlock() -> anyhow::Result<()> {
    let (mut child, mut stdin, mut stdout) = start_echo()?;
    // The naive order: write everything, then read. On a thread of its own, so that this
    // thread can watch the clock.
    let naive = thread::spawn(move || -> io::Result<usize> {
        // A write to the child once it is killed fails in this thread, not the whole program.
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
    let blocked_in = sys::blocked_in(child.id() as Pid).unwrap_or_else(|| "?".to_owned());
    child.kill()?;
    let ending = describe(child.wait()?);
    println!("deadlock: after {DEADLINE:?} the child was blocked in {blocked_in}: its stdout pipe");
    println!("  was full and nobody read it, while we were blocked writing to its full stdin pipe");
    println!("killed the child: {ending}");
    match naive.join() {
        Ok(Err(error)) => println!("the naive writer gave up: {error}"),
        Ok(Ok(echoed)) => bail!("the naive writer finished ({echoed} bytes echoed)"),
        Err(_) => bail!("the naive writer thread panicked"),
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
        stdin.write_all(&vec![b'x'; BIG]) // `stdin` is dropped at the end: end of file.
    });
    let mut echoed = Vec::new();
    stdout.read_to_end(&mut echoed)?;
    writer.join().map_err(|_| anyhow!("the writer thread panicked"))?.context("writing to the child")?;
    check_waited("the echo child", sys::wait_or_kill(&mut child, DEADLINE)?)?;
    ensure!(echoed.len() == BIG, "sent {BIG} bytes, {} came back", echoed.len());
    println!("fixed: a writer thread sent {BIG} bytes while this thread read {} back", echoed.len());
    Ok(())
}
// ANCHOR_END: writer_thread

/// Starts the `echo` task with its stdin and stdout piped to us.
fn start_echo() -> anyhow::Result<(Child, ChildStdin, ChildStdout)> {
    let mut command = tasks::command("echo", &[])?;
    let mut child = command.stdin(Stdio::piped()).stdout(Stdio::piped()).spawn()?;
    let stdin = child.stdin.take().context("the child's stdin is piped")?;
    let stdout = child.stdout.take().context("the child's stdout is piped")?;
    Ok((child, stdin, stdout))
}

// ANCHOR: echo
/// The `echo` task: copies its stdin to its stdout as it comes, like `cat`.
pub fn echo() -> anyhow::Result<()> {
    let mut stdout = io::stdout().lock();
    io::copy(&mut io::stdin().lock(), &mut stdout)?;
    stdout.flush()?;
    Ok(())
}
// ANCHOR_END: echo
