//! Parent and child talk over pipes: a pipe made before a fork, then a
//! `Command` child's stdin and stdout, echoed back by the `echo` task.

use std::io::{self, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::Duration;

use anyhow::Context;

use crate::sys::{self, check_waited};
#[cfg(unix)]
use crate::sys::{current_pid, fork_child_fallible};

const DEADLINE: Duration = Duration::from_secs(2);

// Windows has no fork: the second conversation only.
pub fn run() -> anyhow::Result<()> {
    #[cfg(unix)]
    fork_pipe()?;
    child_stdio()
}

// ANCHOR: fork_pipe
#[cfg(unix)]
fn fork_pipe() -> anyhow::Result<()> {
    // A pipe: a one-way channel in the kernel, with a read end and a write end.
    let (mut reader, mut writer) = io::pipe()?;
    // Steps 1 to 3: the child gets copies of both ends, and writes.
    let mut child = fork_child_fallible(move || {
        writeln!(writer, "hello from child {}", current_pid())
    })?;
    // The parent's `writer` went away with the closure, so end of file comes
    // when the child's copy closes: when it exits.
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
    // Steps 1 to 3: `start_echo` (below) creates the command, pipes its stdin
    // and stdout, starts it.
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

pub fn start_echo() -> anyhow::Result<(Child, ChildStdin, ChildStdout)> {
    let mut child = Command::new(std::env::current_exe()?)
        .args(["__task", "echo"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let stdin = child.stdin.take().context("the child's stdin is piped")?;
    let stdout = child.stdout.take().context("the child's stdout is piped")?;
    Ok((child, stdin, stdout))
}

// ANCHOR: echo
/// The `echo` task: copies its stdin to its stdout as it comes, like `cat`.
pub fn echo() {
    let mut stdout = io::stdout().lock();
    io::copy(&mut io::stdin().lock(), &mut stdout).expect("echoing stdin");
    stdout.flush().expect("flushing stdout");
}
// ANCHOR_END: echo

pub const TASKS: &[(&str, fn())] = &[("echo", echo)];
