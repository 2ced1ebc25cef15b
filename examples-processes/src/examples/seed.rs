//! The seed article's process program (its section 4.2), ported the *spawn*
//! way: each child is a fresh run of this program, told by a hidden argument
//! which task to run.

// ANCHOR: seed
use std::process::Command;

use anyhow::{Context, ensure};

use crate::sys;

/// The article's `print_numbers`. Python's `print("Number: ", i)` puts a space
/// between its two arguments: hence the two spaces after the colon.
pub fn print_numbers() {
    for number in 0..5 {
        println!("Number:  {number}");
    }
}

/// The article's `print_letters`.
pub fn print_letters() {
    for letter in ['A', 'B', 'C', 'D', 'E'] {
        println!("Letter:  {letter}");
    }
}

/// The tasks a child can be started to run, by name: `main` looks for
/// `__task NAME` before anything else and runs only that task.
pub const TASKS: &[(&str, fn())] =
    &[("numbers", print_numbers), ("letters", print_letters)];

pub fn run() -> anyhow::Result<()> {
    let program = std::env::current_exe()?;
    // Steps 1 and 2: create, and set the target: this very program, sent to a
    // task by the hidden argument.
    let mut numbers_command = Command::new(&program);
    numbers_command.args(["__task", "numbers"]);
    let mut letters_command = Command::new(&program);
    letters_command.args(["__task", "letters"]);

    // Step 3: start. Children inherit our stdout, so their lines go where ours
    // go.
    let mut numbers_process =
        numbers_command.spawn().context("starting process 'numbers'")?;
    let mut letters_process = match letters_command.spawn() {
        Ok(process) => process,
        Err(error) => {
            // Leave no stray child behind: end and reap the one started.
            numbers_process.kill()?;
            numbers_process.wait()?;
            return Err(error).context("starting process 'letters'");
        }
    };

    // Step 4: join. `wait` reaps the child and returns its exit status.
    let numbers_status = numbers_process.wait()?;
    let letters_status = letters_process.wait()?;
    for (name, status) in
        [("numbers", numbers_status), ("letters", letters_status)]
    {
        // Killed by our closed stdout (`| head -1`)? Then end as quietly.
        sys::end_as_child_did_on_closed_stdout(status);
        ensure!(status.success(), "process '{name}': {status}");
    }

    println!("Done!");
    Ok(())
}
// ANCHOR_END: seed
