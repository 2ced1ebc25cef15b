//! The bare baseline for `measure`'s wrapper overhead: `fork`, `_exit` in the child,
//! `waitpid` in the parent, and nothing else. To measure what the safe layer costs,
//! the measurement needs the raw calls without the layer's checks; they are here, as
//! every raw call is, but nothing else calls them.

use std::io;
use std::os::unix::process::ExitStatusExt;
use std::process::ExitStatus;

/// Forks a child that exits at once with code 0, and waits for it; returns how it
/// ended.
///
/// Can safe code misuse this into undefined behaviour? No: the child calls only
/// `_exit`, which is async-signal-safe, so other threads (which the layer's
/// `fork_raw` refuses) cannot matter here, and it touches no memory; the parent waits
/// only for its own child.
pub fn bare_fork_and_wait() -> io::Result<ExitStatus> {
    // SAFETY: `fork` takes no arguments. The child only calls `_exit`, which is
    // async-signal-safe, so it needs no lock another thread could hold.
    let pid = unsafe { libc::fork() };
    if pid == -1 {
        return Err(io::Error::last_os_error());
    }
    if pid == 0 {
        // SAFETY: `_exit` ends the child at once: no destructors, no exit handlers,
        // no return into the parent's code.
        unsafe {
            libc::_exit(
                0, // The exit code the parent will see.
            )
        }
    }
    let mut status: libc::c_int = 0;
    loop {
        // SAFETY: `status` is a valid, writable `c_int` that outlives the call.
        let result = unsafe {
            libc::waitpid(
                pid,         // The child just forked.
                &mut status, // Where the kernel writes how it ended.
                0,           // Block until it ends.
            )
        };
        if result == pid {
            return Ok(ExitStatus::from_raw(status));
        }
        let error = io::Error::last_os_error();
        if error.kind() != io::ErrorKind::Interrupted {
            return Err(error);
        }
    }
}
