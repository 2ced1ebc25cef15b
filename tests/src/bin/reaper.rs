//! `reaper PROGRAM [ARGS…]`: runs PROGRAM and makes sure it leaves no process behind.
//!
//! On Linux the reaper marks itself a *child subreaper* (`PR_SET_CHILD_SUBREAPER`): every
//! descendant of PROGRAM that loses its parent is reparented to the reaper instead of to init.
//! After PROGRAM ends, the reaper waits briefly for descendants that are already on their way
//! out, then reports each one still running as `reaper: stray PID (NAME)` on stderr, kills it
//! and reaps it. Its last line is `reaper: status RAW`, PROGRAM's raw wait status, which the
//! test harness turns back into an `ExitStatus`.
//!
//! macOS and the BSDs have no subreaper: an orphan goes to init (launchd), out of the reaper's
//! sight. There the reaper watches PROGRAM's process group instead, which every descendant
//! joins unless it leaves it (`setsid`, `setpgid`): a process still in it after the grace
//! period is a stray, reported, killed and left to init to reap. A descendant that left the
//! group is not seen there; on Linux it is.

#[cfg(unix)]
fn main() {
    reaper::main();
}

#[cfg(not(unix))]
fn main() {
    eprintln!("reaper: needs Unix (process groups; on Linux also PR_SET_CHILD_SUBREAPER)");
    std::process::exit(2);
}

/// Starts PROGRAM in a process group of its own and waits for it; exits 2 if it cannot.
/// The group is what Ctrl-C in a terminal would reach, and it leaves the reaper out, which
/// must outlive PROGRAM to report.
#[cfg(unix)]
fn start_and_wait() -> (u32, std::process::ExitStatus) {
    use std::os::unix::process::CommandExt;
    use tests::REAPER_PREFIX;

    let mut args = std::env::args_os().skip(1);
    let Some(program) = args.next() else {
        eprintln!("usage: reaper PROGRAM [ARGS…]");
        std::process::exit(2);
    };
    let mut child = match std::process::Command::new(&program).args(args).process_group(0).spawn() {
        Ok(child) => child,
        Err(error) => {
            eprintln!("{REAPER_PREFIX}starting {program:?}: {error}");
            std::process::exit(2);
        }
    };
    match child.wait() {
        Ok(status) => (child.id(), status),
        Err(error) => {
            eprintln!("{REAPER_PREFIX}waiting for {program:?}: {error}");
            std::process::exit(2);
        }
    }
}

#[cfg(target_os = "linux")]
mod reaper {
    use std::os::unix::process::ExitStatusExt;
    use std::time::{Duration, Instant};

    use nix::sys::prctl::set_child_subreaper;
    use nix::sys::signal::Signal;
    use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
    use nix::unistd::Pid;
    use tests::{REAPER_PREFIX, descendants_of, pid, proc_stat, signal};

    /// How long descendants may take to finish exiting after PROGRAM ends.
    const GRACE: Duration = Duration::from_millis(500);

    pub fn main() {
        if let Err(error) = set_child_subreaper(true) {
            eprintln!("{REAPER_PREFIX}prctl(PR_SET_CHILD_SUBREAPER): {error}");
            std::process::exit(2);
        }
        let (_, status) = super::start_and_wait();

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

#[cfg(all(unix, not(target_os = "linux")))]
mod reaper {
    use std::os::unix::process::ExitStatusExt;
    use std::time::{Duration, Instant};

    use nix::sys::signal::{Signal, killpg};
    use nix::unistd::Pid;
    use tests::{REAPER_PREFIX, pid, processes};

    /// How long the group's other processes may take to finish exiting after PROGRAM ends.
    const GRACE: Duration = Duration::from_millis(500);

    pub fn main() {
        let (program, status) = super::start_and_wait();
        let group = pid(program);
        let grace_ends = Instant::now() + GRACE;
        while !running_in(group).is_empty() {
            if Instant::now() >= grace_ends {
                for (pid, name) in running_in(group) {
                    eprintln!("{REAPER_PREFIX}stray {pid} ({name})");
                }
                _ = killpg(group, Signal::SIGKILL); // They cannot catch this.
                // Killed, they are reaped by init (launchd), not by us.
                let killed_at = Instant::now();
                while !running_in(group).is_empty() && killed_at.elapsed() < Duration::from_secs(5) {
                    std::thread::sleep(Duration::from_millis(5));
                }
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        eprintln!("{REAPER_PREFIX}status {}", status.into_raw());
    }

    /// The processes of `group` still running, `(pid, name)` (zombies are finished: only
    /// waiting for init to reap them). An empty group is told by `killpg(group, 0)` alone,
    /// without running `ps`.
    fn running_in(group: Pid) -> Vec<(Pid, String)> {
        if killpg(group, None).is_err() {
            return Vec::new(); // ESRCH: no process is left in the group.
        }
        processes()
            .into_iter()
            .filter(|(_, stat)| stat.pgrp == group && stat.state != 'Z')
            .map(|(pid, stat)| (pid, stat.name))
            .collect()
    }
}
