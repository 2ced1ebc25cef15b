//! `reaper PROGRAM [ARGS…]`: runs PROGRAM and makes sure it leaves no process behind.
//!
//! The reaper marks itself a *child subreaper* (`PR_SET_CHILD_SUBREAPER`): every descendant
//! of PROGRAM that loses its parent is reparented to the reaper instead of to init. After
//! PROGRAM ends, the reaper waits briefly for descendants that are already on their way out,
//! then reports each one still running as `reaper: stray PID (NAME)` on stderr, kills it and
//! reaps it. Its last line is `reaper: status RAW`, PROGRAM's raw wait status, which the test
//! harness turns back into an `ExitStatus`. Linux only (`PR_SET_CHILD_SUBREAPER`, `/proc`).

#[cfg(target_os = "linux")]
fn main() {
    reaper::main();
}

#[cfg(not(target_os = "linux"))]
fn main() {
    eprintln!("reaper: needs Linux (PR_SET_CHILD_SUBREAPER and /proc)");
    std::process::exit(2);
}

#[cfg(target_os = "linux")]
mod reaper {
    use std::os::unix::process::{CommandExt, ExitStatusExt};
    use std::process::Command;
    use std::time::{Duration, Instant};

    use nix::sys::prctl::set_child_subreaper;
    use nix::sys::signal::Signal;
    use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
    use nix::unistd::Pid;
    use tests::{REAPER_PREFIX, descendants_of, pid, proc_stat, signal};

    /// How long descendants may take to finish exiting after PROGRAM ends.
    const GRACE: Duration = Duration::from_millis(500);

    pub fn main() {
        let mut args = std::env::args_os().skip(1);
        let Some(program) = args.next() else {
            eprintln!("usage: reaper PROGRAM [ARGS…]");
            std::process::exit(2);
        };
        if let Err(error) = set_child_subreaper(true) {
            eprintln!("{REAPER_PREFIX}prctl(PR_SET_CHILD_SUBREAPER): {error}");
            std::process::exit(2);
        }

        // PROGRAM leads a process group of its own, which its children join: that group is
        // what Ctrl-C in a terminal would reach, and it leaves the reaper out, which must
        // outlive PROGRAM to report.
        let mut child = match Command::new(&program).args(args).process_group(0).spawn() {
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

        let me = pid(std::process::id());
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
                for &pid in running.iter().rev() {
                    signal(pid, Signal::SIGKILL); // It cannot catch this.
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

    /// Descendants that are still running (zombies are finished: only waiting to be reaped).
    fn running_descendants(me: Pid) -> Vec<Pid> {
        descendants_of(me)
            .into_iter()
            .filter(|&pid| proc_stat(pid).is_some_and(|stat| stat.state != 'Z'))
            .collect()
    }

    /// Reaps every child of ours that has ended (orphans reparented to us included).
    fn reap_exited() {
        // Any child of ours (`None`), without blocking; its status is not needed, only the reaping.
        while let Ok(status) = waitpid(None, Some(WaitPidFlag::WNOHANG)) {
            if status == WaitStatus::StillAlive {
                return;
            }
        }
    }
}
