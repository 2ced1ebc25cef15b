//! The safe process layer: every `unsafe` call to the operating system in this crate
//! is here, wrapped once in a safe function. Examples call these functions; open
//! these files to see the raw calls. This is the bottom layer: it imports nothing
//! else from the crate.
//!
//! Each call has a `// SAFETY:` comment and a comment per argument, and turns a
//! failure into an `io::Error` that names the call. One file per platform, so the
//! reason for each difference is visible where it is made:
//!
//! - `unix.rs`: fork, waitpid, signals, `poll`: POSIX, the same on every Unix;
//! - `signal_mask.rs`: a thread's signal mask, `sigwait` (POSIX);
//! - `fd_passing.rs`: a descriptor sent over a Unix socket (`SCM_RIGHTS`), `memfd`;
//! - `bare.rs`: a bare `fork` + `waitpid`, the baseline `measure` sets the layer
//!   against;
//! - `linux.rs`: pidfds, `prctl`, `/proc`;
//! - `macos.rs`: kqueue, `proc_pidinfo` (macOS has no `/proc`);
//! - `other_unix.rs`: any other Unix: it builds, waits by polling, measures less;
//! - `status.rs`: exit statuses in words (signal names, Windows exception codes),
//!   and a child's status checked; no `unsafe`, but what a status means is the
//!   platform's;
//! - `windows.rs`: no fork and no signals: waits on process handles, console control
//!   events, and exit codes that name exceptions.

use std::io;
use std::process::{Child, Command, ExitStatus};
use std::time::Duration;

#[cfg(unix)]
mod unix;
#[cfg(unix)]
pub use unix::*;
// `mapping.rs` reaches `check` as `super::check`.
#[cfg(unix)]
use unix::check;

mod status;
pub use status::{
    check_exit, check_waited, describe, end_as_child_did_on_closed_stdout,
};

#[cfg(unix)]
mod fd_passing;
#[cfg(unix)]
pub use fd_passing::{memory_file, receive_with_fd, send_with_fd};
#[cfg(unix)]
mod signal_mask;
#[cfg(unix)]
pub use signal_mask::{
    block_in_this_thread, blocked_in_this_thread, wait_for_signal,
};

#[cfg(unix)]
mod bare;
#[cfg(unix)]
pub use bare::bare_fork_and_wait;

#[cfg(unix)]
mod mapping;
#[cfg(unix)]
pub use mapping::{AtomicCells, SharedBytes, SharedBytesGuard, Sharing};

#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "linux")]
pub use linux::*;

#[cfg(target_os = "macos")]
mod macos;
#[cfg(target_os = "macos")]
pub use macos::*;

#[cfg(all(unix, not(any(target_os = "linux", target_os = "macos"))))]
mod other_unix;
#[cfg(all(unix, not(any(target_os = "linux", target_os = "macos"))))]
pub use other_unix::*;

#[cfg(windows)]
mod windows;
#[cfg(windows)]
pub use windows::*;

// --- A busy machine, said in one line ---

/// Prints one line when the machine is too busy for figures that run `at_once`
/// threads or processes at once: when the load average ([`load_average`]) and
/// the CPUs the figures need (`at_once`, at most every CPU) exceed the CPU count
/// by more than one, other work held CPUs the figures needed. `LOADAVG`, when
/// set, stands in for the load average: the tests' way to play an idle or a busy
/// machine. Where there is no load average to read, the line says why.
///
/// Can safe code misuse this into undefined behaviour? No: it only calls safe
/// functions.
pub fn say_if_busy(at_once: usize) {
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    let needs = at_once.min(cpus);
    let load = match std::env::var("LOADAVG") {
        Ok(text) => text.trim().parse().map_err(|_| "LOADAVG is not a number"),
        Err(_) => load_average(),
    };
    match load {
        Ok(load) if load + needs as f64 > cpus as f64 + 1.0 => println!(
            "note: busy machine: load average {load:.2} on {cpus} CPUs; \
             these figures need {needs} free"
        ),
        Ok(_) => {}
        Err(why) => println!("note: no load average read here ({why})"),
    }
}

// --- Waiting with a deadline, for forked and for `Command` children alike ---

/// How a wait with a deadline ended. Either way, the child has been reaped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Waited {
    /// The child ended by itself before the deadline.
    Ended(ExitStatus),
    /// The deadline passed: the child was killed (SIGKILL; `TerminateProcess` on
    /// Windows), then reaped.
    Killed(ExitStatus),
}

impl Waited {
    /// How the child ended (for [`Waited::Killed`], normally by SIGKILL).
    ///
    /// Can safe code misuse this into undefined behaviour? No: it reads a field.
    pub fn status(self) -> ExitStatus {
        match self {
            Waited::Ended(status) | Waited::Killed(status) => status,
        }
    }
}

/// `Child::wait` with a deadline for a `Command` child: waits at most `timeout`, then
/// kills and reaps it. Either way the child is reaped when this returns.
///
/// Can safe code misuse this into undefined behaviour? No: it only calls safe
/// functions.
pub fn wait_or_kill(child: &mut Child, timeout: Duration) -> io::Result<Waited> {
    if let Some(status) = wait_timeout(child, timeout)? {
        return Ok(Waited::Ended(status));
    }
    child.kill()?;
    // A kill cannot be caught or ignored, so this wait ends.
    Ok(Waited::Killed(child.wait()?))
}

/// Starts every command, in order. If one fails to start, the children already
/// started are killed and reaped (each reported on stderr) before the error is
/// returned: none is left behind.
///
/// Can safe code misuse this into undefined behaviour? No: it only calls safe
/// functions.
pub fn spawn_all(
    commands: impl IntoIterator<Item = Command>,
) -> io::Result<Vec<Child>> {
    let mut children: Vec<Child> = Vec::new();
    for mut command in commands {
        match command.spawn() {
            Ok(child) => children.push(child),
            Err(error) => {
                for mut started in children {
                    started.kill()?;
                    eprintln!(
                        "stopped child {} after a failed start: {}",
                        started.id(),
                        started.wait()?
                    );
                }
                return Err(error);
            }
        }
    }
    Ok(children)
}
