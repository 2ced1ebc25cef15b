//! Ending a child from outside: SIGTERM, which it may catch to clean up,
//! against SIGKILL, which it cannot.

use std::io::{self, PipeWriter, Read, Write};
use std::os::fd::AsFd;
use std::sync::atomic::Ordering;
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{bail, ensure};

use crate::sys::{self, Waited, current_pid, describe, fork_child_with_code};

const DEADLINE: Duration = Duration::from_secs(5);

pub fn run() -> anyhow::Result<()> {
    let cases = [
        ("terminate(), no handler", libc::SIGTERM, false),
        ("terminate(), a handler that cleans up", libc::SIGTERM, true),
        ("kill(), the same handler", libc::SIGKILL, true),
    ];
    for (what, signal, cleans_up) in cases {
        let (mut ready, ready_writer) = io::pipe()?;
        // Steps 1 to 3: fork a child that waits to be signalled.
        let mut child = fork_child_with_code(move || {
            wait_to_be_signalled(cleans_up, ready_writer).unwrap_or_else(|e| {
                eprintln!("error in child {}: {e}", current_pid());
                1
            })
        })?;
        // Signal it only once its handler is in place.
        let readable = sys::wait_readable(&[ready.as_fd()], DEADLINE)?;
        ensure!(readable[0], "the child was not ready within {DEADLINE:?}");
        ready.read_exact(&mut [0])?;
        child.signal(signal)?;
        // Step 4: join, and say how it ended.
        let ending = match child.join_or_kill(DEADLINE)? {
            Waited::Ended(status) => describe(status),
            Waited::Killed(_) => {
                format!("still running after {DEADLINE:?}: killed")
            }
        };
        let name = sys::signal_name(signal);
        println!("{what}: sent {name}; child {ending}");
    }
    Ok(())
}

fn wait_to_be_signalled(
    cleans_up: bool,
    mut ready: PipeWriter,
) -> anyhow::Result<i32> {
    let caught =
        cleans_up.then(|| sys::catch_signal(libc::SIGTERM)).transpose()?;
    ready.write_all(b"r")?;
    let give_up = Instant::now() + DEADLINE;
    while Instant::now() < give_up {
        if caught.as_ref().is_some_and(|flag| flag.load(Ordering::SeqCst)) {
            let me = current_pid();
            println!("  child {me}: caught SIGTERM, cleaning up, exiting");
            return Ok(128 + libc::SIGTERM); // The shell's "ended by SIGTERM".
        }
        thread::sleep(Duration::from_millis(5));
    }
    bail!("no signal came")
}
