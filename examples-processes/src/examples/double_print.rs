//! Text still in stdout's buffer when a process forks comes out twice.

use std::io::{self, Write};
use std::time::Duration;

use crate::sys::{Fork, check_waited, exit_immediately, fork_raw};

pub fn run() -> anyhow::Result<()> {
    print!("unflushed text; "); // No newline: it waits in the buffer.
    // Steps 1 to 3: a raw fork, which copies the buffer, text and all.
    match fork_raw()? {
        Fork::Child => {
            println!("printed by the child");
            exit_immediately(0);
        }
        Fork::Parent(mut child) => {
            // Step 4: join, with a deadline, and check how the child ended.
            let waited = child.join_or_kill(Duration::from_secs(5))?;
            check_waited("the child", waited)?;
            println!("printed by the parent");
        }
    }

    print!("flushed text; ");
    io::stdout().flush()?; // The fix: an empty buffer has nothing to copy.
    match fork_raw()? {
        Fork::Child => {
            println!("printed by the child");
            exit_immediately(0);
        }
        Fork::Parent(mut child) => {
            let waited = child.join_or_kill(Duration::from_secs(5))?;
            check_waited("the child", waited)?;
            println!("printed by the parent");
        }
    }
    Ok(())
}
