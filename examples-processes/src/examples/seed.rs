//! The seed article's process program (its section 4.2), ported the *spawn* way: each
//! child is a fresh run of this program, told by a hidden argument which task to run.

// ANCHOR: seed
// The article's step "import the module": `Command` comes from `std::process`, part
// of the standard library; `tasks.rs` imports it, and its `command` helper is used
// below.
use anyhow::Context;

use crate::status;
use crate::tasks;

/// Starts the two child processes, waits for both, checks how they ended, prints
/// `Done!`.
pub fn run() -> anyhow::Result<()> {
    // Steps 1 and 2: create, and set the target. The target is a task name: the child
    // re-runs this program, and `tasks::run_if_requested` (our `__main__` guard)
    // sends it there.
    let mut numbers_command = tasks::command("numbers", &[])?;
    let mut letters_command = tasks::command("letters", &[])?;

    // Step 3: start. Children inherit our stdout, so their lines go where ours go.
    let mut numbers_process =
        numbers_command.spawn().context("starting process 'numbers'")?;
    let mut letters_process = match letters_command.spawn() {
        Ok(process) => process,
        Err(error) => {
            // Leave no stray child behind: end and reap the one already started.
            numbers_process.kill().context("killing process 'numbers'")?;
            numbers_process.wait().context("reaping process 'numbers'")?;
            return Err(error).context("starting process 'letters'");
        }
    };

    // Step 4: join. `wait` reaps the child and returns its exit status, which we
    // check.
    let numbers_status =
        numbers_process.wait().context("waiting for process 'numbers'")?;
    let letters_status =
        letters_process.wait().context("waiting for process 'letters'")?;
    status::check("process 'numbers'", numbers_status)?;
    status::check("process 'letters'", letters_status)?;

    println!("Done!");
    Ok(())
}
// ANCHOR_END: seed
