//! The seed article's process program, ported the spawn way.

use std::process::Command;

use anyhow::{Context, ensure};

use crate::sys;

/// Python's `print("Number: ", i)` puts a space between its two arguments:
/// hence the two spaces after the colon.
pub fn print_numbers() {
    for number in 0..5 {
        println!("Number:  {number}");
    }
}

pub fn print_letters() {
    for letter in ['A', 'B', 'C', 'D', 'E'] {
        println!("Letter:  {letter}");
    }
}

pub const TASKS: &[(&str, fn())] =
    &[("numbers", print_numbers), ("letters", print_letters)];

pub fn run() -> anyhow::Result<()> {
    let program = std::env::current_exe()?;
    // Steps 1 and 2: create, and set the target: a task of this program.
    let mut numbers_command = Command::new(&program);
    numbers_command.args(["__task", "numbers"]);
    let mut letters_command = Command::new(&program);
    letters_command.args(["__task", "letters"]);

    // Step 3: start. The children print to our stdout.
    let mut numbers_process =
        numbers_command.spawn().context("starting process 'numbers'")?;
    let mut letters_process = match letters_command.spawn() {
        Ok(process) => process,
        Err(error) => {
            numbers_process.kill()?; // Leave no stray child behind.
            numbers_process.wait()?;
            return Err(error).context("starting process 'letters'");
        }
    };

    // Step 4: join. `wait` reaps the child and returns its exit status.
    let statuses = [numbers_process.wait()?, letters_process.wait()?];
    for (name, status) in ["numbers", "letters"].into_iter().zip(statuses) {
        // Killed by our closed stdout (`| head -1`)? Then end as quietly.
        sys::end_as_child_did_on_closed_stdout(status);
        ensure!(status.success(), "process '{name}': {status}");
    }

    println!("Done!");
    Ok(())
}
