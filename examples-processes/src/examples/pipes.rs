//! A child's stdin and stdout as pipes, through the `echo` task.

use std::io::{self, Read, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::sys::{self, check_waited};

pub fn run() -> anyhow::Result<()> {
    // Steps 1 to 3: the `echo` task, its stdin and stdout piped to us.
    let mut child = Command::new(std::env::current_exe()?)
        .args(["__task", "echo"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    stdin.write_all(b"hello through the child's stdin and stdout\n")?;
    drop(stdin); // End of file for the child: it has all its input.
    let mut echoed = String::new();
    let mut stdout = child.stdout.take().expect("stdout is piped");
    stdout.read_to_string(&mut echoed)?;
    // Step 4: join, with a deadline.
    check_waited(
        "the echo child",
        sys::wait_or_kill(&mut child, Duration::from_secs(2))?,
    )?;
    print!("Command with piped stdin and stdout, child echoed: {echoed}");
    Ok(())
}

/// The `echo` task: copies its stdin to its stdout, like `cat`.
pub fn echo() {
    let mut stdout = io::stdout().lock();
    io::copy(&mut io::stdin().lock(), &mut stdout).expect("echoing stdin");
    stdout.flush().expect("flushing stdout");
}

pub const TASKS: &[(&str, fn())] = &[("echo", echo)];
