//! The seed program the *fork* way: each child is a copy of this process that
//! runs one function and exits.

use anyhow::{Context, ensure};

use crate::sys::{self, fork_child};

fn print_numbers() {
    for number in 0..5 {
        println!("Number:  {number}");
    }
}

fn print_letters() {
    for letter in ['A', 'B', 'C', 'D', 'E'] {
        println!("Letter:  {letter}");
    }
}

pub fn run() -> anyhow::Result<()> {
    // Steps 1 to 3: create, set the target, start. `fork_child` does all three:
    // the kernel copies this process, and the copy runs the target, then exits.
    let mut numbers_process =
        fork_child(print_numbers).context("forking process 'numbers'")?;
    let mut letters_process =
        fork_child(print_letters).context("forking process 'letters'")?;

    // Step 4: join. `join` reaps the child and returns its exit status.
    let numbers_status = numbers_process.join()?;
    let letters_status = letters_process.join()?;
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
