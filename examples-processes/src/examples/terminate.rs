//! Ending a child from outside: `terminate` (SIGTERM, which the child may catch
//! to clean up) against `kill` (SIGKILL, which it cannot).

use std::io::{self, PipeReader, PipeWriter, Read, Write};
use std::os::fd::AsFd;
use std::sync::atomic::Ordering;
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, ensure};

use crate::sys::{
    self, Waited, current_pid, describe, fork_child_with_code, signal_name,
};

const DEADLINE: Duration = Duration::from_secs(5);

// ANCHOR: terminate
/// The same child, signalled three ways: how does it end?
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
            wait_to_be_signalled(cleans_up, ready_writer)
        })?;
        // Signal it only once it is ready: with its handler in place.
        read_within_deadline(&mut ready, &mut [0])?;
        child.signal(signal)?;
        // Step 4: join, and say how it ended.
        let ending = match child.join_or_kill(DEADLINE)? {
            Waited::Ended(status) => describe(status),
            Waited::Killed(_) => {
                format!("was still running after {DEADLINE:?}: killed it")
            }
        };
        println!("{what}: sent {}; child {ending}", signal_name(signal));
    }
    Ok(())
}

/// The child: tells the parent it is ready, then waits for a signal.
fn wait_to_be_signalled(cleans_up: bool, mut ready: PipeWriter) -> i32 {
    let terminate_requested =
        match cleans_up.then(|| sys::catch_signal(libc::SIGTERM)).transpose() {
            Ok(flag) => flag,
            Err(error) => return report_error(error),
        };
    if let Err(error) = ready.write_all(b"r") {
        return report_error(error);
    }
    let give_up = Instant::now() + DEADLINE;
    while Instant::now() < give_up {
        if terminate_requested
            .as_ref()
            .is_some_and(|flag| flag.load(Ordering::SeqCst))
        {
            println!(
                "  child {}: caught SIGTERM, cleaning up, exiting",
                current_pid()
            );
            // The shell's code for "ended because of SIGTERM".
            return 128 + libc::SIGTERM;
        }
        thread::sleep(Duration::from_millis(5));
    }
    report_error("no signal came")
}
// ANCHOR_END: terminate

/// Fills `buffer` from `pipe`, waiting at most [`DEADLINE`] for the first byte.
fn read_within_deadline(
    pipe: &mut PipeReader,
    buffer: &mut [u8],
) -> anyhow::Result<()> {
    let ready = sys::wait_readable(&[pipe.as_fd()], DEADLINE)?;
    ensure!(ready[0], "nothing came through the pipe within {DEADLINE:?}");
    pipe.read_exact(buffer).context("reading from a child")
}

fn report_error(error: impl std::fmt::Display) -> i32 {
    eprintln!("error in child {}: {error}", current_pid());
    1
}
