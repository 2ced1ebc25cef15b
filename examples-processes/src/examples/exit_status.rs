//! Every way a child can end, and the parent reading how it ended.

use std::process::{Command, exit};
use std::time::Duration;

#[cfg(unix)]
use crate::sys::fork_child;
use crate::sys::{Waited, current_pid, describe, wait_or_kill};
use crate::sys::{crash_invalid_memory_access, disable_core_dumps};

const DEADLINE: Duration = Duration::from_secs(5);

/// A forked child calls one; a spawned child is sent to one by its name.
pub const TASKS: &[(&str, fn())] = &[
    ("exits with code 3", || exit(3)),
    ("panics", || {
        std::panic::set_hook(Box::new(|_| {
            eprintln!("child {}: panic, on purpose", std::process::id())
        }));
        panic!("on purpose");
    }),
    ("aborts", || {
        disable_core_dumps().expect("no core file left behind");
        std::process::abort();
    }),
    ("reads invalid memory", || {
        disable_core_dumps().expect("no core file left behind");
        crash_invalid_memory_access();
    }),
    ("is killed", || std::thread::sleep(Duration::from_secs(30))),
];

pub fn run() -> anyhow::Result<()> {
    for &(ending, end) in TASKS {
        println!("a child that {ending}:");
        let kill = ending == "is killed";
        // Steps 1 to 3, forked: create, set the target, start, in one call.
        #[cfg(unix)]
        {
            let mut forked = fork_child(end)?;
            if kill {
                forked.kill()?;
            }
            // Step 4: join; the status says how it ended.
            println!("    forked: {}", outcome(forked.join_or_kill(DEADLINE)?));
        }
        #[cfg(not(unix))] // No fork there: the spawned half only.
        let _ = end;
        // The same, spawned: this program again, sent to the task.
        let program = std::env::current_exe()?;
        let mut spawned =
            Command::new(program).args(["__task", ending]).spawn()?;
        if kill {
            spawned.kill()?;
        }
        let waited = wait_or_kill(&mut spawned, DEADLINE)?;
        println!("    spawned: {}", outcome(waited));
        if kill && cfg!(windows) {
            println!("    (Windows: TerminateProcess; its exit code is 1)");
        }
    }
    let me = current_pid();
    println!(
        "parent {me}: still running; each failure stayed in its own process"
    );
    Ok(())
}

fn outcome(waited: Waited) -> String {
    match waited {
        Waited::Ended(status) => describe(status),
        Waited::Killed(_) => {
            format!("still running after {DEADLINE:?}: killed")
        }
    }
}
