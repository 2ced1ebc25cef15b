//! The seed article's thread program (its section 4.1), ported: two threads, one
//! printing numbers and one printing letters, joined, then `Done!`.

// ANCHOR: seed
// The article's step "import the module": `std::thread` is part of the standard
// library.
use std::thread;

use anyhow::Context;
use shared::{print_letters, print_numbers};

/// Runs the two threads and waits for both, then prints `Done!`.
pub fn run() -> anyhow::Result<()> {
    // Step 1: create. A `Builder` configures a thread before it exists; the name
    // shows up in panic messages and debuggers.
    let numbers_builder = thread::Builder::new().name("numbers".into());
    let letters_builder = thread::Builder::new().name("letters".into());

    // Steps 2 and 3: set the target and start. Rust merges them into one call:
    // `spawn` takes the target and starts the thread at once, so a thread never
    // exists without its target.
    let numbers_thread =
        numbers_builder.spawn(print_numbers).context("spawning thread 'numbers'")?;
    let letters_thread =
        letters_builder.spawn(print_letters).context("spawning thread 'letters'")?;

    // Step 4: join. `join` returns `Err` if the thread panicked: reported, never
    // ignored. `shared::join` turns that `Err` into an error naming the thread and
    // quoting its panic.
    for thread in [numbers_thread, letters_thread] {
        shared::join(thread)?;
    }

    println!("Done!");
    Ok(())
}
// ANCHOR_END: seed
