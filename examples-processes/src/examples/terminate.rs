//! SIGTERM, which a child may catch to clean up, against SIGKILL.

use std::io::{self, Read, Write};
use std::os::fd::AsFd;
use std::sync::atomic::Ordering;
use std::thread;
use std::time::{Duration, Instant};

use anyhow::ensure;

use crate::sys::{self, Waited, current_pid, describe, fork_child_with_code};

const DEADLINE: Duration = Duration::from_secs(5);

pub fn run() -> anyhow::Result<()> {
    let cases = [
        ("terminate(), no handler", libc::SIGTERM, false),
        ("terminate(), a handler that cleans up", libc::SIGTERM, true),
        ("kill(), the same handler", libc::SIGKILL, true),
    ];
    for (what, signal, cleans_up) in cases {
        let (mut ready, mut ready_writer) = io::pipe()?;
        // Steps 1 to 3: fork a child that waits to be signalled.
        let mut child = fork_child_with_code(move || {
            let caught = cleans_up.then(|| {
                sys::catch_signal(libc::SIGTERM).expect("a SIGTERM handler")
            });
            ready_writer.write_all(b"r").expect("telling the parent");
            let give_up = Instant::now() + DEADLINE;
            while Instant::now() < give_up {
                if caught.as_ref().is_some_and(|f| f.load(Ordering::SeqCst)) {
                    let me = current_pid();
                    println!(
                        "  child {me}: caught SIGTERM, cleaning up, exiting"
                    );
                    return 128 + libc::SIGTERM; // 143, as a shell reports it.
                }
                thread::sleep(Duration::from_millis(5));
            }
            1 // No signal came.
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
