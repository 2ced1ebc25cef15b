//! The four steps of starting a process with `std::process::Command`.

use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::Context;

use crate::sys::{self, check_exit, check_waited};

pub fn run() -> anyhow::Result<()> {
    // Step 1: create. This very program, which `__task` sends to one task.
    let program = std::env::current_exe()?;
    let mut command = Command::new(&program);

    // Step 2: set the target. Nothing runs yet: a `Command` only describes.
    command.args(["__task", "greet", "step by step"]);
    command.env("GREETING", "Hello");
    command.stdin(Stdio::null());

    // Step 3: start. `spawn` returns at once; the child runs now.
    let mut child = command.spawn().context("starting the greet task")?;
    println!("parent {}: started child {}", std::process::id(), child.id());

    // Step 4: join. `Child::wait` has no deadline; this kills after 5 s.
    let waited = sys::wait_or_kill(&mut child, Duration::from_secs(5))?;
    check_waited("the greet task", waited)?;

    // Steps 3 and 4 in one call, with no deadline: for programs known to end.
    let output = Command::new(&program)
        .args(["__task", "greet", "in one call"])
        .env("GREETING", "Hello")
        .output()?;
    check_exit("the greet task", output.status)?;
    print!("output() captured: {}", String::from_utf8_lossy(&output.stdout));
    Ok(())
}

/// The `greet` task.
pub fn greet(args: &[String]) -> anyhow::Result<()> {
    let greeting = std::env::var("GREETING").unwrap_or("Hi".to_owned());
    let parent = sys::parent_pid().map_or("?".to_owned(), |p| p.to_string());
    let child = std::process::id();
    println!(
        "{greeting}, {}! (child {child}, parent {parent})",
        args.join(" ")
    );
    Ok(())
}

type Task = fn(&[String]) -> anyhow::Result<()>;
pub const TASKS_WITH_ARGS: &[(&str, Task)] = &[("greet", greet)];
