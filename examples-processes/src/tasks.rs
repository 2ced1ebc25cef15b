//! The tasks a process example can start in a fresh copy of this program: Python's `spawn`
//! start method, done the Rust way.
//!
//! The parent re-runs its own executable (`std::env::current_exe`) with a hidden argument
//! naming the task: `examples-processes __task numbers`. `main` checks for that argument
//! before anything else and runs only that task. Only the functions registered in [`TASKS`]
//! can be run this way; any other name is refused with exit code 2.

use std::process::{Command, ExitCode};

use anyhow::Context;
use shared::cli::UsageError;

/// The hidden first argument that marks a child started to run one task.
pub const TASK_ARG: &str = "__task";

/// A function a child process can be started to run.
pub struct Task {
    /// The name the parent passes after [`TASK_ARG`].
    pub name: &'static str,
    /// What the child runs: the task's own arguments follow its name.
    pub run: fn(&[String]) -> anyhow::Result<()>,
}

// ANCHOR: tasks
/// Every task a child can be asked to run. Nothing else can be run through the hidden argument.
pub const TASKS: &[Task] = &[
    Task { name: "numbers", run: |args| no_args(args, shared::print_numbers) },
    Task { name: "letters", run: |args| no_args(args, shared::print_letters) },
];
// ANCHOR_END: tasks

fn no_args(args: &[String], task: fn()) -> anyhow::Result<()> {
    if !args.is_empty() {
        return Err(shared::usage_error!("this task takes no arguments, got: {}", args.join(" ")));
    }
    task();
    Ok(())
}

/// A `Command` that runs `task` (with `args`) in a fresh copy of this program. It inherits
/// stdin, stdout, stderr and the environment, as `Command` does by default.
pub fn command(task: &str, args: &[&str]) -> anyhow::Result<Command> {
    let program = std::env::current_exe().context("finding this program's executable")?;
    let mut command = Command::new(program);
    command.arg(TASK_ARG).arg(task).args(args);
    Ok(command)
}

// ANCHOR: guard
/// If this process was started to run a task, runs it and returns the exit code to leave
/// with; `None` for an ordinary start (then `main` goes on to the example table).
///
/// This is Rust's counterpart of Python's `if __name__ == "__main__":` guard. Under the
/// `spawn` start method every Python child re-imports the main module; code at top level
/// without the guard runs again in every child (the seed article's program lacks it).
/// Here the child runs the same `main`, and this check, made first, sends it to its task.
pub fn run_if_requested() -> Option<ExitCode> {
    let mut args = std::env::args().skip(1);
    if args.next().as_deref() != Some(TASK_ARG) {
        return None;
    }
    shared::cli::restore_default_sigpipe();
    let name = args.next().unwrap_or_default();
    let task_args: Vec<String> = args.collect();
    let Some(task) = TASKS.iter().find(|task| task.name == name) else {
        let names: Vec<&str> = TASKS.iter().map(|task| task.name).collect();
        eprintln!("error: unknown hidden task '{name}'; the tasks are: {}", names.join(", "));
        return Some(ExitCode::from(2));
    };
    Some(match (task.run)(&task_args) {
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
