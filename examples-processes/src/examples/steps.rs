//! The four steps of starting a process, with `std::process::Command`: create,
//! set the target, start, join; then `output()`, which starts and joins in one
//! call.

use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::Context;

use crate::sys::{self, Waited};

// ANCHOR: steps
pub fn run() -> anyhow::Result<()> {
    // Step 1: create. `Command::new` names the program: this very program,
    // which a hidden first argument sends to one task (see `tasks.rs`).
    let program =
        std::env::current_exe().context("finding this program's executable")?;
    let mut command = Command::new(&program);

    // Step 2: set the target: arguments, environment, where stdin, stdout
    // and stderr go. Nothing runs yet: a `Command` only describes.
    command.args(["__task", "greet", "step by step"]);
    command.env("GREETING", "Hello");
    command.stdin(Stdio::null());

    // Step 3: start. `spawn` returns at once; the child runs now.
    let mut child = command.spawn().context("starting the greet task")?;
    println!("parent {}: started child {}", std::process::id(), child.id());

    // Step 4: join. Waiting reaps the child and gives its exit status, which we
    // look at. The deadline is ours: `Child::wait` alone would wait for ever.
    match sys::wait_or_kill(&mut child, Duration::from_secs(5))? {
        Waited::Ended(exit_status) => {
            sys::check_exit("the greet task", exit_status)?
        }
        Waited::Killed(_) => {
            anyhow::bail!("the greet task did not end within 5 s; killed it")
        }
    }

    // Steps 3 and 4 in one call: `output` pipes stdout and stderr, waits
    // (no deadline: only for programs known to end) and collects both.
    let output = Command::new(&program)
        .args(["__task", "greet", "in one call"])
        .env("GREETING", "Hello")
        .output()
        .context("running the greet task")?;
    sys::check_exit("the greet task", output.status)?;
    print!("output() captured: {}", String::from_utf8_lossy(&output.stdout));
    Ok(())
}
// ANCHOR_END: steps

// ANCHOR: greet
/// The `greet` task.
pub fn greet(args: &[String]) -> anyhow::Result<()> {
    let greeting =
        std::env::var("GREETING").unwrap_or_else(|_| "Hi".to_owned());
    let parent = sys::parent_pid()
        .map_or_else(|_| "?".to_owned(), |pid| pid.to_string());
    println!(
        "{greeting}, {}! (child {}, parent {parent})",
        args.join(" "),
        std::process::id()
    );
    Ok(())
}
// ANCHOR_END: greet

type Task = fn(&[String]) -> anyhow::Result<()>;
pub const TASKS_WITH_ARGS: &[(&str, Task)] = &[("greet", greet)];
