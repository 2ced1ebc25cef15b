//! The tasks a process example can start in a fresh copy of this program: Python's
//! `spawn` start method, done the Rust way.
//!
//! The parent re-runs its own executable (`std::env::current_exe`) with a hidden
//! argument naming the task: `examples-processes __task numbers`. `main` checks for
//! that argument before anything else and runs only that task. Each example that
//! starts children this way registers their tasks itself, in a `TASKS` constant
//! (tasks without arguments, `(name, fn())`) or a `TASKS_WITH_ARGS` one; `main.rs`
//! collects those lists, and no name outside them can be run: any other is refused
//! with exit code 2. This module holds the mechanism and the tasks that are no one
//! example's own ([`COMMON`]); it imports no example.

use std::process::{Command, ExitCode};
use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use shared::cli::UsageError;

/// The hidden first argument that marks a child started to run one task.
pub const TASK_ARG: &str = "__task";

/// A task without arguments, as an example registers it: its name (what the
/// parent passes after [`TASK_ARG`]) and the function the child runs. Any argument
/// after the name is a usage error (exit 2).
pub type Task = (&'static str, fn());

/// A task that takes arguments (they follow its name) and can fail; a
/// [`UsageError`] among its errors exits 2, any other error 1.
pub type TaskWithArgs = (&'static str, fn(&[String]) -> anyhow::Result<()>);

/// The tasks that are no one example's own: several examples (and `measure`)
/// start them.
#[rustfmt::skip]
pub const COMMON: &[TaskWithArgs] = &[
    ("nothing", |args| no_args_fallible(args, || Ok(()))),
    ("sleep", sleep),
];

/// Adapts a task that takes no arguments; any argument is a usage error (exit 2).
pub fn no_args(args: &[String], task: fn()) -> anyhow::Result<()> {
    no_args_fallible(args, || {
        task();
        Ok(())
    })
}

/// Adapts a fallible task that takes no arguments.
pub fn no_args_fallible(
    args: &[String],
    task: impl FnOnce() -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    if !args.is_empty() {
        return Err(shared::usage_error!(
            "this task takes no arguments, got: {}",
            args.join(" ")
        ));
    }
    task()
}

/// The one argument of a task, parsed: a usage error (exit 2) if missing, extra or
/// bad.
pub fn one_arg<T: FromStr>(args: &[String], what: &str) -> anyhow::Result<T> {
    match args {
        [arg] => arg
            .parse()
            .map_err(|_| shared::usage_error!("expected {what}, got '{arg}'")),
        _ => Err(shared::usage_error!(
            "expected one argument, {what}; got {}",
            args.len()
        )),
    }
}

/// `sleep SECONDS`: sleeps, then exits 0; for children that are meant to be signalled
/// first.
pub fn sleep(args: &[String]) -> anyhow::Result<()> {
    let seconds: u64 = one_arg(args, "a number of seconds")?;
    std::thread::sleep(Duration::from_secs(seconds));
    Ok(())
}

/// A `Command` that runs `task` (with `args`) in a fresh copy of this program. It
/// inherits stdin, stdout, stderr and the environment, as `Command` does by default.
pub fn command(task: &str, args: &[&str]) -> anyhow::Result<Command> {
    let program =
        std::env::current_exe().context("finding this program's executable")?;
    let mut command = Command::new(program);
    // With `--trace`, the child records into the parent's trace (otherwise: no-op).
    command.arg(TASK_ARG).arg(task).args(args).envs(shared::trace::child_env());
    Ok(command)
}

// ANCHOR: guard
/// If this process was started to run a task, runs it and returns the exit code to
/// leave with; `None` for an ordinary start (then `main` goes on to the example
/// table).
///
/// This is Rust's counterpart of Python's `if __name__ == "__main__":` guard. Under
/// the `spawn` start method every Python child re-imports the main module; code at
/// top level without the guard runs again in every child (the seed article's program
/// lacks it). Here the child runs the same `main`, and this check, made first, sends
/// it to its task.
pub fn run_if_requested(
    tasks: &[&[Task]],
    tasks_with_args: &[&[TaskWithArgs]],
) -> Option<ExitCode> {
    let mut args = std::env::args().skip(1);
    if args.next().as_deref() != Some(TASK_ARG) {
        return None;
    }
    // Process-wide, until this task's process ends, as in `shared::cli::main`.
    shared::cli::end_quietly_on_closed_stdout();
    let name = args.next().unwrap_or_default();
    let task_args: Vec<String> = args.collect();
    let tasks = tasks.iter().flat_map(|list| list.iter());
    let tasks_with_args = tasks_with_args.iter().flat_map(|list| list.iter());
    let result = if let Some((_, task)) = tasks.clone().find(|(n, _)| *n == name) {
        no_args(&task_args, *task)
    } else if let Some((_, task)) = tasks_with_args.clone().find(|(n, _)| *n == name)
    {
        task(&task_args)
    } else {
        let names: Vec<&str> =
            tasks.map(|(n, _)| *n).chain(tasks_with_args.map(|(n, _)| *n)).collect();
        eprintln!(
            "error: unknown hidden task '{name}'; the tasks are: {}",
            names.join(", ")
        );
        return Some(ExitCode::from(2));
    };
    Some(match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.is::<UsageError>() => {
            eprintln!("error: task '{name}': {error}");
            ExitCode::from(2)
        }
        Err(error) => {
            eprintln!("error: task '{name}' failed: {error:#}");
            ExitCode::FAILURE
        }
    })
}
// ANCHOR_END: guard
