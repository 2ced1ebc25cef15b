//! The seed article's process program the *fork* way (Python's start method on Linux
//! up to 3.13): each child is a copy of this process that runs one function and
//! exits.

// ANCHOR: seed_fork
// The article's step "import the module": `fork_child` comes from `sys`, our one
// module of `unsafe` libc calls (fork itself comes from the `libc` crate).
use anyhow::Context;
use shared::{print_letters, print_numbers};

use crate::status;
use crate::sys::fork_child;

/// Forks two children, joins both, checks how they ended, prints `Done!`.
pub fn run() -> anyhow::Result<()> {
    // Steps 1 to 3: create, set the target, start. `fork_child` does all three: the
    // kernel copies this process, and the copy runs the target, then exits.
    let mut numbers_process =
        fork_child(print_numbers).context("forking process 'numbers'")?;
    // If this fork fails, `numbers_process` is dropped: its handle kills and reaps
    // the child.
    let mut letters_process =
        fork_child(print_letters).context("forking process 'letters'")?;

    // Step 4: join. `join` reaps the child (no zombie is left) and returns its exit
    // status.
    let numbers_status =
        numbers_process.join().context("joining process 'numbers'")?;
    let letters_status =
        letters_process.join().context("joining process 'letters'")?;
    status::check("process 'numbers'", numbers_status)?;
    status::check("process 'letters'", letters_status)?;

    println!("Done!");
    Ok(())
}
// ANCHOR_END: seed_fork
