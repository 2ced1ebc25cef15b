//! `reaper PROGRAM [ARGS…]`: runs PROGRAM and makes sure it leaves no process behind.
//!
//! The reaper marks itself a *child subreaper* (`PR_SET_CHILD_SUBREAPER`): every descendant
//! of PROGRAM that loses its parent is reparented to the reaper instead of to init. After
//! PROGRAM ends, the reaper waits briefly for descendants that are already on their way out,
//! then reports each one still running as `reaper: stray PID (NAME)` on stderr, kills it and
//! reaps it. Its last line is `reaper: status RAW`, PROGRAM's raw wait status, which the test
//! harness turns back into an `ExitStatus`.

use std::os::unix::process::ExitStatusExt;
use std::process::Command;
use std::time::{Duration, Instant};

use tests::{REAPER_PREFIX, descendants_of, proc_stat};

/// How long descendants may take to finish exiting after PROGRAM ends.
const GRACE: Duration = Duration::from_millis(500);

fn main() {
    let mut args = std::env::args_os().skip(1);
    let Some(program) = args.next() else {
        eprintln!("usage: reaper PROGRAM [ARGS…]");
        std::process::exit(2);
    };
    // SAFETY: `prctl` with PR_SET_CHILD_SUBREAPER reads only its integer arguments.
    let result = unsafe {
        libc::prctl(
            libc::PR_SET_CHILD_SUBREAPER, // Become the subreaper of our descendants.
            1 as libc::c_ulong,           // On (prctl reads an unsigned long).
        )
    };
    if result == -1 {
        eprintln!("{REAPER_PREFIX}prctl(PR_SET_CHILD_SUBREAPER): {}", std::io::Error::last_os_error());
        std::process::exit(2);
    }

    // Ctrl-C in a terminal (or a test's SIGINT to the process group) is meant for PROGRAM;
    // the reaper must outlive it to report. A handler, unlike SIG_IGN, is reset to the
    // default action by exec, so PROGRAM still receives SIGINT as usual.
    // SAFETY: the handler does nothing, so it is async-signal-safe; `signal` only installs it.
    unsafe {
        libc::signal(
            libc::SIGINT,                                                         // Ctrl-C's signal.
            ignore_in_reaper as extern "C" fn(libc::c_int) as libc::sighandler_t, // Our no-op handler.
        );
    }
    let mut child = match Command::new(&program).args(args).spawn() {
        Ok(child) => child,
        Err(error) => {
            eprintln!("{REAPER_PREFIX}starting {program:?}: {error}");
            std::process::exit(2);
        }
    };
    let status = match child.wait() {
        Ok(status) => status,
        Err(error) => {
            eprintln!("{REAPER_PREFIX}waiting for {program:?}: {error}");
            std::process::exit(2);
        }
    };

    let me = std::process::id() as libc::pid_t;
    let grace_ends = Instant::now() + GRACE;
    loop {
        reap_exited();
        let running = running_descendants(me);
        if running.is_empty() {
            break;
        }
        if Instant::now() >= grace_ends {
            for pid in &running {
                let name = proc_stat(*pid).map(|stat| stat.name).unwrap_or_default();
                eprintln!("{REAPER_PREFIX}stray {pid} ({name})");
            }
            for pid in running.iter().rev() {
                // SAFETY: `kill` only asks the kernel to deliver a signal.
                unsafe {
                    libc::kill(
                        *pid,          // A descendant left running.
                        libc::SIGKILL, // End it; it cannot catch this.
                    )
                };
            }
            // Killed processes become zombies, then children of ours to reap.
            let killed_at = Instant::now();
            while !running_descendants(me).is_empty() && killed_at.elapsed() < Duration::from_secs(5) {
                reap_exited();
                std::thread::sleep(Duration::from_millis(5));
            }
            reap_exited();
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    eprintln!("{REAPER_PREFIX}status {}", status.into_raw());
}

/// SIGINT's handler in the reaper: nothing to do, the signal is for PROGRAM.
extern "C" fn ignore_in_reaper(_signal: libc::c_int) {}

/// Descendants that are still running (zombies are finished: only waiting to be reaped).
fn running_descendants(me: libc::pid_t) -> Vec<libc::pid_t> {
    descendants_of(me)
        .into_iter()
        .filter(|&pid| proc_stat(pid).is_some_and(|stat| stat.state != 'Z'))
        .collect()
}

/// Reaps every child of ours that has ended (orphans reparented to us included).
fn reap_exited() {
    loop {
        let mut raw_status = 0;
        // SAFETY: `raw_status` is a valid, writable `c_int` for the kernel to fill in.
        let pid = unsafe {
            libc::waitpid(
                -1,              // Any child of ours.
                &mut raw_status, // Where its status goes (we only need it reaped).
                libc::WNOHANG,   // Do not block when none has ended.
            )
        };
        if pid <= 0 {
            return;
        }
    }
}
