//! Text still in stdout's buffer when a process forks is copied into the child
//! with the rest of memory, and both processes print it: it comes out twice.
//! Flushing before the fork fixes it.

use std::io::{self, Write};
use std::time::Duration;

use crate::sys::{Fork, check_waited, exit_immediately, fork_raw};

pub fn run() -> anyhow::Result<()> {
    // ANCHOR: twice
    // `print!` without a newline: Rust's stdout is line-buffered, so the text
    // waits in the buffer for the end of its line.
    print!("unflushed text; ");
    // Steps 1 to 3: a raw fork, which does not flush (`fork_child` does):
    // the buffer is copied into the child, text and all.
    let fork = fork_raw()?;
    // Both processes finish the line: each flushes its own copy of the buffer.
    match fork {
        Fork::Child => {
            println!("printed by the child");
            exit_immediately(0);
        }
        Fork::Parent(mut child) => {
            // Step 4: join, with a deadline, and check how the child ended.
            check_waited(
                "the child",
                child.join_or_kill(Duration::from_secs(5))?,
            )?;
            println!("printed by the parent");
        }
    }
    // ANCHOR_END: twice

    // ANCHOR: once
    print!("flushed text; ");
    io::stdout().flush()?; // The fix: an empty buffer has nothing to copy.
    match fork_raw()? {
        Fork::Child => {
            println!("printed by the child");
            exit_immediately(0);
        }
        Fork::Parent(mut child) => {
            check_waited(
                "the child",
                child.join_or_kill(Duration::from_secs(5))?,
            )?;
            println!("printed by the parent");
        }
    }
    // ANCHOR_END: once
    Ok(())
}
