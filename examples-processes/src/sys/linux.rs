//! The Linux part of the process layer: pidfds (a child's end, as a file descriptor),
//! `prctl` (parent death signal, child subreaper, dumpable) and the `/proc` readers.

use std::io;
use std::os::fd::{AsFd, FromRawFd, OwnedFd, RawFd};
use std::path::PathBuf;
use std::time::Duration;

use super::{Pid, check, wait_readable};

// --- Waiting for a child to end ---

/// Something to sleep on until a child ends: on Linux its pidfd, a file descriptor
/// that `poll` reports readable when the process ends.
pub(super) struct ExitWatcher(OwnedFd);

impl ExitWatcher {
    /// A pidfd for process `pid`; `None` where the kernel or a sandbox refuses it
    /// (Linux before 5.3, seccomp): the caller then polls.
    ///
    /// Can safe code misuse this into undefined behaviour? No: the descriptor is new
    /// and owned by the watcher alone.
    pub(super) fn open(pid: Pid) -> Option<ExitWatcher> {
        // SAFETY: `pidfd_open` reads only its integer arguments and returns a new
        // descriptor, or -1. `syscall` is variadic and reads every argument as a
        // `long` (glibc: `va_arg (args, long int)` in
        // sysdeps/unix/sysv/linux/syscall.c, whole 64-bit registers in x86_64's
        // syscall.S; musl: src/misc/syscall.c), so each is passed as a `c_long`: an
        // `i32` in a variadic call sets only half of what is read. The kernel takes
        // the `pid_t` and the `unsigned int` flags from those longs.
        let fd = unsafe {
            libc::syscall(
                // No libc wrapper in older glibc: the raw system call.
                libc::SYS_pidfd_open,
                libc::c_long::from(pid), // The process to watch (a `pid_t`).
                0 as libc::c_long,       // No flags (an `unsigned int`).
            )
        };
        let fd = RawFd::try_from(fd).ok().filter(|&fd| fd >= 0)?;
        // SAFETY: `fd` was just returned by the kernel, is open, and is owned by
        // nobody else.
        Some(ExitWatcher(unsafe { OwnedFd::from_raw_fd(fd) }))
    }

    /// Sleeps until the process ends (`true`), or `timeout` passes or a signal
    /// interrupts the wait (`false`).
    ///
    /// Can safe code misuse this into undefined behaviour? No: `poll` on a borrowed,
    /// open descriptor.
    pub(super) fn wait(&self, timeout: Duration) -> io::Result<bool> {
        Ok(wait_readable(&[self.0.as_fd()], timeout)?[0])
    }
}

// --- Process attributes: core dumps, parent death, orphans ---

/// Marks this process not dumpable (`PR_SET_DUMPABLE` 0): no core dump even when the
/// kernel pipes cores to a program, which ignores `RLIMIT_CORE`. Part of
/// [`disable_core_dumps`](super::disable_core_dumps).
///
/// Can safe code misuse this into undefined behaviour? No (and it is not public):
/// `prctl` reads only integers.
pub(super) fn mark_not_dumpable() -> io::Result<()> {
    // SAFETY: `prctl(PR_SET_DUMPABLE)` reads only its integer arguments. `prctl` is
    // variadic and always reads four `unsigned long`s after the option (glibc's
    // sysdeps/unix/sysv/linux/prctl.c), so all four are passed, unused ones 0.
    let result = unsafe {
        libc::prctl(
            libc::PR_SET_DUMPABLE, // Whether this process may dump core…
            0 as libc::c_ulong,    // …no.
            0 as libc::c_ulong,    // Unused.
            0 as libc::c_ulong,    // Unused.
            0 as libc::c_ulong,    // Unused.
        )
    };
    check(result, "prctl(PR_SET_DUMPABLE, 0)").map(drop)
}

/// Asks the kernel to send `signal` to this process when its parent ends
/// (`PR_SET_PDEATHSIG`). Strictly, when the parent *thread* that forked or spawned it
/// ends. If the parent is already gone, nothing is sent: check the parent's pid
/// afterwards.
///
/// Can safe code misuse this into undefined behaviour? No: `prctl` reads only
/// integers; the signal, when it comes, is handled as
/// [`send_signal`](super::send_signal) describes.
pub fn set_parent_death_signal(signal: libc::c_int) -> io::Result<()> {
    // SAFETY: `prctl(PR_SET_PDEATHSIG)` reads only its integer arguments; all four
    // `unsigned long`s that glibc's variadic `prctl` reads are passed (see
    // `mark_not_dumpable`).
    let result = unsafe {
        libc::prctl(
            libc::PR_SET_PDEATHSIG, // The signal to receive when the parent ends…
            signal as libc::c_ulong, // …this one, as the unsigned long `prctl` reads.
            0 as libc::c_ulong,     // Unused.
            0 as libc::c_ulong,     // Unused.
            0 as libc::c_ulong,     // Unused.
        )
    };
    check(result, &format!("prctl(PR_SET_PDEATHSIG, {})", super::signal_name(signal)))
        .map(drop)
}

/// Makes this process a *child subreaper* (`PR_SET_CHILD_SUBREAPER`): a descendant
/// whose parent ends is reparented to this process (instead of to init), which can
/// then wait for it and reap it ([`ForkedChild::adopt`](super::ForkedChild::adopt)).
///
/// Can safe code misuse this into undefined behaviour? No: `prctl` reads only
/// integers; adopted orphans are reaped with
/// [`ForkedChild::adopt`](super::ForkedChild::adopt).
pub fn become_child_subreaper() -> io::Result<()> {
    // SAFETY: `prctl(PR_SET_CHILD_SUBREAPER)` reads only its integer arguments; all
    // four `unsigned long`s that glibc's variadic `prctl` reads are passed (see
    // `mark_not_dumpable`).
    let result = unsafe {
        libc::prctl(
            libc::PR_SET_CHILD_SUBREAPER, // Adopt orphaned descendants…
            1 as libc::c_ulong,           // …on, as the unsigned long `prctl` reads.
            0 as libc::c_ulong,           // Unused.
            0 as libc::c_ulong,           // Unused.
            0 as libc::c_ulong,           // Unused.
        )
    };
    check(result, "prctl(PR_SET_CHILD_SUBREAPER, 1)").map(drop)
}

// --- Reading /proc (Linux's view of every process, as text) ---

/// The state letter of process `pid` from `/proc/<pid>/stat`: `R` running, `S`
/// sleeping, `Z` zombie (ended, not yet waited for), …; `None` if there is no such
/// process.
///
/// Can safe code misuse this into undefined behaviour? No: it reads a file.
pub fn process_state(pid: Pid) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // `pid (name) state …`: the name may hold spaces and parentheses, so look after
    // the last ')'.
    stat[stat.rfind(')')? + 1..].split_whitespace().next()?.chars().next()
}

/// Where [`process_state`] and [`private_dirty_kib`] read, in words, for the
/// examples' output.
pub const PROCESS_RECORD: &str = "/proc/PID";
/// What [`private_dirty_kib`] measures, in words.
pub const PRIVATE_MEMORY: &str = "private dirty memory";

/// The kernel function process `pid` is blocked in (`/proc/<pid>/wchan`), e.g.
/// `pipe_write`; `None` if it is running, gone, or the kernel does not say.
///
/// Can safe code misuse this into undefined behaviour? No: it reads a file.
pub fn blocked_in(pid: Pid) -> Option<String> {
    let wchan = std::fs::read_to_string(format!("/proc/{pid}/wchan")).ok()?;
    (!wchan.is_empty() && wchan != "0").then_some(wchan)
}

/// This process's private dirty memory in KiB (`Private_Dirty` in
/// `/proc/self/smaps_rollup`): pages only this process maps and has written. Pages a
/// forked child still shares with its parent are not counted until one of them writes
/// to them.
///
/// Can safe code misuse this into undefined behaviour? No: it reads a file.
pub fn private_dirty_kib() -> io::Result<u64> {
    proc_self_field("smaps_rollup", "Private_Dirty:")
}

/// How many threads this process has. `fork_raw` asks before every fork, so this is
/// one `stat`: the link count of `/proc/self/task` is 2 plus the number of threads
/// (Linux's fs/proc/base.c, `proc_task_getattr`), which is several times cheaper than
/// reading `Threads` in `/proc/self/status` (the fallback).
///
/// Can safe code misuse this into undefined behaviour? No: it reads a directory's
/// link count, or a file.
pub fn thread_count() -> io::Result<u64> {
    use std::os::unix::fs::MetadataExt;
    match std::fs::metadata("/proc/self/task") {
        Ok(task) if task.nlink() > 2 => Ok(task.nlink() - 2),
        _ => proc_self_field("status", "Threads:"),
    }
}

/// What file descriptor `fd` of this process refers to (`/proc/self/fd/<fd>`), or
/// `None` if it is not open.
///
/// Can safe code misuse this into undefined behaviour? No: it reads a symbolic link.
pub fn open_file(fd: i32) -> Option<PathBuf> {
    std::fs::read_link(format!("/proc/self/fd/{fd}")).ok()
}

/// The load average over the last minute, the first figure of `/proc/loadavg`: how
/// many threads, on average, were running or waiting for a CPU (or for the disk).
///
/// Can safe code misuse this into undefined behaviour? No: it reads a file.
pub fn load_average() -> Result<f64, &'static str> {
    let text = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let first = text.split(' ').next().unwrap_or_default();
    first.parse().map_err(|_| "/proc/loadavg unreadable")
}

/// The number after `field` in `/proc/self/<file>`.
fn proc_self_field(file: &str, field: &str) -> io::Result<u64> {
    let path = format!("/proc/self/{file}");
    let text = std::fs::read_to_string(&path)
        .map_err(|error| io::Error::new(error.kind(), format!("{path}: {error}")))?;
    text.lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|number| number.parse().ok())
        .ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{path}: no number after {field}"),
            )
        })
}

// --- Pipes ---

/// Asks the kernel to give `pipe` a buffer of at least `bytes`
/// (`fcntl(F_SETPIPE_SZ)`, Linux 2.6.35 and later; an unprivileged process may go up
/// to `/proc/sys/fs/pipe-max-size`, 1 MiB by default). Returns the capacity the
/// kernel set (a power of two of pages, ≥ `bytes`). Either end of the pipe will do:
/// the buffer is the pipe's.
///
/// Can safe code misuse this into undefined behaviour? No: `fcntl` reads only
/// integers, on a borrowed, open descriptor.
pub fn set_pipe_capacity(
    pipe: std::os::fd::BorrowedFd<'_>,
    bytes: usize,
) -> io::Result<usize> {
    use std::os::fd::AsRawFd;
    let bytes = libc::c_int::try_from(bytes)
        .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
    // SAFETY: `F_SETPIPE_SZ` reads its integer argument; the descriptor is open (borrowed).
    let result = unsafe {
        libc::fcntl(
            pipe.as_raw_fd(),   // The pipe (either end).
            libc::F_SETPIPE_SZ, // Set its buffer's size…
            bytes,              // …to at least this many bytes.
        )
    };
    check(result, "fcntl(F_SETPIPE_SZ)").map(|capacity| capacity as usize)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sys::current_pid;
    use std::os::fd::AsRawFd;

    #[test]
    fn proc_readers_describe_this_process() {
        // The state of the process's main thread, which waits for the test threads
        // here.
        assert!(matches!(process_state(current_pid()), Some('R' | 'S')));
        assert_eq!(process_state(-1), None);
        assert!(thread_count().unwrap() >= 1);
        assert!(private_dirty_kib().unwrap() > 0);
        assert!(load_average().is_ok_and(|load| load >= 0.0));
        let file = std::fs::File::open("/dev/null").unwrap();
        assert_eq!(open_file(file.as_raw_fd()), Some(PathBuf::from("/dev/null")));
        drop(file);
    }

    /// The pidfd sleeps while the child runs and wakes when it ends (Linux 5.3 and
    /// later, which these tests need).
    #[test]
    fn exit_watcher_wakes_when_the_child_ends() {
        use std::time::Duration;
        let mut child =
            std::process::Command::new("sleep").arg("0.3").spawn().unwrap();
        let watcher = ExitWatcher::open(child.id() as Pid).expect("a pidfd");
        assert!(
            !watcher.wait(Duration::from_millis(10)).unwrap(),
            "woke while the child runs"
        );
        assert!(
            watcher.wait(Duration::from_secs(10)).unwrap(),
            "not woken when it ended"
        );
        child.wait().unwrap();
    }
}
