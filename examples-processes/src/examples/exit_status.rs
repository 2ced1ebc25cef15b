//! Children exit with a code, panic, abort, crash, are killed: the parent reads
//! how each ended and carries on. A crash stays in the process that crashed.

use std::thread::sleep;
use std::time::Duration;

#[cfg(unix)]
use crate::sys::fork_child_with_code;
use crate::sys::{self, Waited, current_pid, describe};
use crate::tasks::{self, abort, panic_quietly, segfault};

const DEADLINE: Duration = Duration::from_secs(5);
const LONG: Duration = Duration::from_secs(30);

// ANCHOR: endings
/// One way for a child to end, done by a forked child and by a spawned one.
struct Ending {
    what: &'static str,
    /// The hidden task a spawned child runs, then its arguments.
    task: Task,
    /// What a forked child runs; it returns the exit code. (Unused on Windows.)
    #[cfg_attr(not(unix), allow(dead_code))]
    fork: fn() -> i32,
    /// Whether the parent kills the child (SIGKILL) rather than let it end itself.
    killed_by_parent: bool,
}

#[rustfmt::skip]
const ENDINGS: &[Ending] = &[
    Ending::alone("exits with code 3", &["exit-with", "3"], || 3),
    Ending::alone("panics", &["panic"], || end_with(panic_quietly)),
    Ending::alone("aborts", &["abort"], || end_with(abort)),
    Ending::alone("reads invalid memory", &["segfault"], || end_with(segfault)),
    Ending::killed("is killed", &["sleep", "30"], || end_with(|| sleep(LONG))),
];

type Task = &'static [&'static str];

impl Ending {
    const fn alone(what: &'static str, task: Task, fork: fn() -> i32) -> Self {
        Self { what, task, fork, killed_by_parent: false }
    }
    const fn killed(what: &'static str, task: Task, fork: fn() -> i32) -> Self {
        Self { what, task, fork, killed_by_parent: true }
    }
}

/// Runs `end`, which ends the process: the code after it is never reached.
fn end_with(end: fn()) -> i32 {
    end();
    0
}
// ANCHOR_END: endings

// ANCHOR: run
/// Starts each ending both ways, waits for it, and says how the child ended.
pub fn run() -> anyhow::Result<()> {
    for ending in ENDINGS {
        println!("a child that {}:", ending.what);
        // Steps 1 to 3, the fork way: create, set the target, start, in one call.
        #[cfg(unix)]
        {
            let mut forked = fork_child_with_code(ending.fork)?;
            if ending.killed_by_parent {
                forked.kill()?;
            }
            // Step 4: join; the status says how the child ended, never discarded.
            println!("    forked: {}", outcome(forked.join_or_kill(DEADLINE)?));
        }
        // The same, spawned: a fresh run of this program, sent to the task.
        let mut spawned =
            tasks::command(ending.task[0], &ending.task[1..])?.spawn()?;
        if ending.killed_by_parent {
            spawned.kill()?;
        }
        let waited = sys::wait_or_kill(&mut spawned, DEADLINE)?;
        println!("    spawned: {}", outcome(waited));
        if ending.killed_by_parent && cfg!(windows) {
            // No signals there: `kill` is `TerminateProcess`, with exit code 1.
            println!("    (Windows: TerminateProcess; its exit code is 1)");
        }
    }
    println!(
        "parent {}: still running; each failure stayed in its own process",
        current_pid()
    );
    Ok(())
}

/// How a child ended, in words: `exited with code 3`, `killed by signal 6 (SIGABRT)`.
fn outcome(waited: Waited) -> String {
    match waited {
        Waited::Ended(status) => describe(status),
        Waited::Killed(_) => {
            format!("still running after {DEADLINE:?}: killed it")
        }
    }
}
// ANCHOR_END: run
