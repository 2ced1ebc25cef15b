//! Children that exit with a code, panic, abort, crash or are killed: the parent reads how
//! each one ended (an exit code, or the signal that killed it) and carries on. A crash stays
//! in the process that crashed: that isolation is what processes are for. On Windows only
//! the spawned half runs, and a crash is an exit code that names an exception.

use std::thread;
use std::time::Duration;

use crate::status::describe;
#[cfg(unix)]
use crate::sys::fork_child_with_code;
use crate::sys::{self, Waited, current_pid};
use crate::tasks;

const DEADLINE: Duration = Duration::from_secs(5);

// ANCHOR: endings
/// One way for a child to end, done by a forked child and by a spawned one.
struct Ending {
    what: &'static str,
    /// The hidden task a spawned child runs, and its arguments.
    task: &'static str,
    args: &'static [&'static str],
    /// What a forked child runs; it returns the exit code. (Not used on Windows: no fork.)
    #[cfg_attr(not(unix), allow(dead_code))]
    forked: fn() -> i32,
    /// Whether the parent kills the child (SIGKILL) rather than let it end by itself.
    killed_by_parent: bool,
}

#[rustfmt::skip]
const ENDINGS: &[Ending] = &[
    Ending { what: "exits with code 3", task: "exit-with", args: &["3"], forked: || 3, killed_by_parent: false },
    Ending { what: "panics", task: "panic", args: &[], forked: || { tasks::panic_quietly(); 0 }, killed_by_parent: false },
    Ending { what: "aborts", task: "abort", args: &[], forked: || { tasks::abort(); 0 }, killed_by_parent: false },
    Ending { what: "reads invalid memory", task: "segfault", args: &[], forked: || { tasks::segfault(); 0 }, killed_by_parent: false },
    Ending { what: "is killed", task: "sleep", args: &["30"], forked: || { thread::sleep(Duration::from_secs(30)); 0 }, killed_by_parent: true },
];
// ANCHOR_END: endings

// ANCHOR: run
/// Starts each ending both ways, waits for it, and says how the child ended.
pub fn run() -> anyhow::Result<()> {
    for ending in ENDINGS {
        println!("a child that {}:", ending.what);
        // Steps 1 to 3, the fork way: `fork_child_with_code` creates, sets the target, starts.
        #[cfg(unix)]
        {
            let mut forked = fork_child_with_code(ending.forked)?;
            if ending.killed_by_parent {
                forked.kill()?;
            }
            // Step 4: join. The status says how the child ended; we look at it, never discard it.
            println!("    forked: {}", outcome(forked.join_or_kill(DEADLINE)?));
        }

        // The same, spawned: a fresh run of this program, sent to the task.
        let mut spawned = tasks::command(ending.task, ending.args)?.spawn()?;
        if ending.killed_by_parent {
            spawned.kill()?;
        }
        println!("    spawned: {}", outcome(sys::wait_or_kill(&mut spawned, DEADLINE)?));
        if ending.killed_by_parent && cfg!(windows) {
            // No signals: `kill` is `TerminateProcess`, and the killer picks the exit code.
            println!("    (Windows: TerminateProcess; Rust's Child::kill gives exit code 1)");
        }
    }
    println!("parent {}: still running; each failure stayed in its own process", current_pid());
    Ok(())
}

/// How a child ended, in words: `exited with code 3`, `killed by signal 6 (SIGABRT)`.
fn outcome(waited: Waited) -> String {
    match waited {
        Waited::Ended(status) => describe(status),
        Waited::Killed(_) => format!("still running after {DEADLINE:?}: killed it"),
    }
}
// ANCHOR_END: run
