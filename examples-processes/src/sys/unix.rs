//! The Unix part of the process layer (Linux, macOS and every other Unix): fork,
//! waitpid, signals, resource limits and `poll`, which POSIX defines for all of them.
//! What differs between kernels (how to sleep until a child ends, what `/proc` tells)
//! is in `linux.rs`, `macos.rs` and `other_unix.rs`, behind the `ExitWatcher` and
//! reader functions.

use std::cell::Cell;
use std::fmt;
use std::io::{self, Write};
use std::os::fd::{AsFd, AsRawFd};
use std::os::unix::process::ExitStatusExt;
use std::panic::{self, AssertUnwindSafe};
use std::process::{Child, ExitStatus};
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// A process id, as the kernel gives it.
pub type Pid = libc::pid_t;

/// The exit code of a forked child whose target panicked: the same code a Rust
/// program exits with when `main` panics.
pub const PANIC_EXIT_CODE: i32 = 101;

/// Turns `-1` (a failed libc call) into the `io::Error` for `errno`, naming the call.
pub(super) fn check(result: libc::c_int, call: &str) -> io::Result<libc::c_int> {
    if result == -1 {
        let error = io::Error::last_os_error();
        Err(io::Error::new(error.kind(), format!("{call}: {error}")))
    } else {
        Ok(result)
    }
}

use super::{ExitWatcher, Waited};

/// `F_SETPIPE_SZ` is Linux's: elsewhere a pipe keeps the size its system gives it.
///
/// Can safe code misuse this into undefined behaviour? No: it calls nothing.
#[cfg(not(target_os = "linux"))]
pub fn set_pipe_capacity(
    _pipe: std::os::fd::BorrowedFd<'_>,
    _bytes: usize,
) -> io::Result<usize> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "F_SETPIPE_SZ: setting a pipe's size is Linux only",
    ))
}

// ANCHOR: fork_child
/// Forks the calling process. The child runs `target` and leaves with its exit code;
/// the parent gets a [`ForkedChild`] handle to join, wait on with a deadline, or
/// kill.
///
/// - stdout is flushed first, so text buffered before the fork is not printed twice;
/// - the child runs `target` inside `catch_unwind`: a panic exits with code 101;
/// - the child flushes stdout and leaves with `_exit`: it never returns into the
///   caller's code, and never runs the parent's destructors or exit handlers.
///
/// Fork copies only the calling thread, so it is refused while other threads run (see
/// [`fork_raw`]): fork before starting threads. If another thread held a lock at the
/// moment of the fork (Rust's stdout lock, a `Mutex`, a logger's or a thread pool's
/// lock), the child would block on it forever; glibc's `fork` protects only its own
/// locks (malloc's, stdio's). The `fork-with-threads` example shows that, bounded.
///
/// Can safe code misuse this into undefined behaviour? No: `target` runs in a copy of
/// a single-threaded process (see [`fork_raw`]), where everything is as consistent as
/// it was in the parent, so it may do anything safe code may do; the child never
/// returns into the caller's code. That holds while no crate in the program gives
/// safe code plain access to memory a child shares (`MAP_SHARED`): the book's
/// Reliability chapter draws that boundary.
pub fn fork_child(target: impl FnOnce()) -> io::Result<ForkedChild> {
    fork_child_with_code(|| {
        target();
        0
    })
}

/// Like [`fork_child`], but the child leaves with the exit code `target` returns.
///
/// Can safe code misuse this into undefined behaviour? No: as [`fork_child`].
pub fn fork_child_with_code(target: impl FnOnce() -> i32) -> io::Result<ForkedChild> {
    // Text still in stdout's buffer would be copied into the child and printed by
    // both.
    io::stdout().flush()?;

    match fork_raw()? {
        Fork::Parent(child) => Ok(child),
        Fork::Child => {
            // In the child: run the target; a panic must not unwind into the parent's
            // code.
            let code = match panic::catch_unwind(AssertUnwindSafe(target)) {
                Ok(code) => code,
                // The panic hook already printed the message.
                Err(_payload) => PANIC_EXIT_CODE,
            };
            let code =
                if io::stdout().flush().is_err() && code == 0 { 1 } else { code };
            // Never return into the caller's code: see `fork_raw` and the
            // `fall-through` example.
            exit_immediately(code);
        }
    }
}
// ANCHOR_END: fork_child

/// Like [`fork_child`], for a target that can fail: the child prints the error on
/// stderr and leaves with exit code 1.
///
/// Can safe code misuse this into undefined behaviour? No: as [`fork_child`].
pub fn fork_child_fallible<E: fmt::Display>(
    target: impl FnOnce() -> Result<(), E>,
) -> io::Result<ForkedChild> {
    fork_child_with_code(|| match target() {
        Ok(()) => 0,
        Err(error) => {
            // `{:#}` shows an `anyhow::Error`'s whole chain of contexts.
            eprintln!("error in child {}: {error:#}", current_pid());
            1
        }
    })
}

// ANCHOR: fork_raw
/// Which side of a [`fork_raw`] this process is on.
#[derive(Debug)]
pub enum Fork {
    /// The parent, holding the handle of its new child.
    Parent(ForkedChild),
    /// The child: a copy of the parent, returning from the same call.
    Child,
}

/// Forks **without** the protections of [`fork_child`], as C's `fork()` and Python's
/// `os.fork()` do: stdout is not flushed first, and the call returns twice, once in
/// each process, into the caller's code.
///
/// The child must end with [`exit_immediately`] once its work is done. If it does
/// not, it goes on running the parent's code after its own part: the `fall-through`
/// example shows that, and `double-print` shows the unflushed buffer printed twice.
///
/// Refused (an error) while other threads run in this process: see
/// [`allow_fork_with_threads`].
///
/// Can safe code misuse this into undefined behaviour? No: the child is a copy of a
/// process that had one thread, so no lock is held and no update is half done by a
/// thread the child lacks. Returning twice runs the caller's code in both processes,
/// a logic error, not undefined behaviour: each has its own copy of every value.
/// Memory shared with the child (`MAP_SHARED`) is reached only atomically or under
/// `SharedBytes`'s lock, whose holders a fork never copies.
pub fn fork_raw() -> io::Result<Fork> {
    refuse_if_other_threads_run()?;
    // SAFETY: `fork` takes no arguments. Each process has its own copy of the address
    // space, except `MAP_SHARED` mappings, which safe code in this workspace reaches
    // only atomically or under `SharedBytes`'s lock (`fork_without_guards` refuses to
    // copy a holder into the child); the Reliability chapter of the book says why no
    // other crate of the program may hand out plain access to such memory.
    let fork = || check(unsafe { libc::fork() }, "fork");
    let pid = super::mapping::fork_without_guards(fork)?;
    if pid == 0 {
        Ok(Fork::Child)
    } else {
        Ok(Fork::Parent(ForkedChild { pid, status: None, parent: current_pid() }))
    }
}
// ANCHOR_END: fork_raw

thread_local! {
    /// Set inside [`allow_fork_with_threads`], for the calling thread only.
    static FORK_WITH_THREADS_ALLOWED: Cell<bool> = const { Cell::new(false) };
}

/// An error if another thread runs in this process, unless
/// [`allow_fork_with_threads`] lifted the rule. A count of 1 cannot go stale before
/// the fork: only a running thread can start one.
fn refuse_if_other_threads_run() -> io::Result<()> {
    if FORK_WITH_THREADS_ALLOWED.get() {
        return Ok(());
    }
    let started = Instant::now();
    loop {
        let threads = super::thread_count().map_err(|error| {
            io::Error::other(format!(
                "fork: cannot tell whether other threads run: {error}"
            ))
        })?;
        if threads <= 1 {
            return Ok(());
        }
        // A thread that was just joined is still counted until the kernel has
        // finished its exit, a moment after `join` returns (longer on a loaded
        // machine): give it that.
        if started.elapsed() >= Duration::from_secs(1) {
            return Err(io::Error::other(format!(
                "fork: refused: {threads} threads run in this process, and the child \
                 would get only this one, with whatever the others held (a lock, a \
                 half-done update) stuck for ever; fork before starting threads"
            )));
        }
        thread::sleep(Duration::from_millis(1));
    }
}

/// Lets the forks that `forks` makes on this thread go ahead while other threads run,
/// which [`fork_raw`] (and so [`fork_child`]) otherwise refuses. For the examples
/// that show what goes wrong then (`fork-with-threads`, `rayon-after-fork`,
/// `start-methods`).
///
/// # Safety
///
/// A child forked while other threads run has only the forking thread. Whatever the
/// others were doing stays as it was at the fork, for ever: a lock one held stays
/// locked, an update it was making stays half done, and its stack may be reused
/// (glibc's `fork` reclaims the other threads' stacks in the child: `reclaim_stacks`
/// in posix/fork.c). POSIX therefore lets such a child call only async-signal-safe
/// functions until it execs (`fork`, POSIX.1-2017).
///
/// The caller must make sure that each child forked inside `forks` touches nothing
/// another thread may have held or been changing at the fork, and calls only
/// functions that work in such a child. Blocking on a lock another thread held is a
/// deadlock, not undefined behaviour; the caller must bound it (`join_or_kill`). On
/// glibc, `malloc` and C's stdio work: `fork` takes their locks around the fork and
/// resets them in the child (posix/fork.c, glibc 2.34 and later); on macOS, `malloc`
/// too (`libSystem_atfork_prepare` and `_child` in Libsystem's init.c). On other
/// libcs, check before relying on it. Rust's stdout has its own lock, which no
/// `fork` resets.
pub unsafe fn allow_fork_with_threads<R>(forks: impl FnOnce() -> R) -> R {
    /// Puts the flag back as it was, even if `forks` panics.
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            FORK_WITH_THREADS_ALLOWED.set(self.0);
        }
    }
    let _restore = Restore(FORK_WITH_THREADS_ALLOWED.replace(true));
    forks()
}

/// Ends the calling process at once with `code`, through `_exit`: no destructors, no
/// exit handlers, no stdio flush. This is how a forked child must leave.
///
/// Can safe code misuse this into undefined behaviour? No: it ends the process
/// without running destructors, which Rust never promises to run (`std::mem::forget`
/// is safe); unlike `exit`, `_exit` runs no exit handlers that could race with other
/// threads.
pub fn exit_immediately(code: i32) -> ! {
    // SAFETY: `_exit` is async-signal-safe and only ends the process.
    unsafe {
        libc::_exit(
            code, // The exit status the parent's `waitpid` will see.
        )
    }
}

/// The calling process's id.
///
/// Can safe code misuse this into undefined behaviour? No: it only reads a number.
pub fn current_pid() -> Pid {
    // `std::process::id` is `getpid`, already safe.
    std::process::id() as Pid
}

/// The id of the process that started this one (`getppid`; `std` has it as
/// `std::os::unix::process::parent_id`). After the parent ends, an orphan's parent is
/// whoever adopted it (init, or a subreaper).
///
/// Can safe code misuse this into undefined behaviour? No: it only reads a number.
pub fn parent_pid() -> io::Result<Pid> {
    Ok(std::os::unix::process::parent_id() as Pid)
}

/// A forked child, owned by the parent that forked it.
///
/// Dropping a handle that was not joined kills the child and reaps it (saying so on
/// stderr), so no zombie and no stray process is ever left behind.
#[derive(Debug)]
///
/// Can safe code misuse this into undefined behaviour? No: its methods only ask the
/// kernel to wait for or signal process `pid`, and the answer is written into a
/// local. `pid` is always one process (> 0) that was this process's child when the
/// handle was made: [`fork_raw`] got it from `fork`, and [`adopt`](Self::adopt)
/// checks it. A copy of the handle in a forked child does nothing (only the process
/// that made it acts), and a handle whose child was reaped refuses to act, since the
/// pid may have been reused.
pub struct ForkedChild {
    pid: Pid,
    /// Set once the child has been reaped: its pid may then belong to another
    /// process.
    status: Option<ExitStatus>,
    /// The process that forked the child; only it may wait for or kill the child.
    parent: Pid,
}

impl ForkedChild {
    /// The child's process id.
    ///
    /// Can safe code misuse this into undefined behaviour? No: it returns a number.
    pub fn pid(&self) -> Pid {
        self.pid
    }

    /// A handle on `pid`, a process this process did not fork but that is now its
    /// child: an orphan reparented to this process because it is a child subreaper
    /// (see [`become_child_subreaper`](super::become_child_subreaper)). Join it like
    /// any forked child, to reap it.
    ///
    /// Refused (`InvalidInput`) unless `pid` is a child of this process, ended or
    /// not, that nobody has reaped yet: a handle kills its process when dropped
    /// unjoined, and `kill` reads a pid of 0 as "this process's group" and -1 as
    /// "every process I may signal". The check is `waitid(P_PID, pid, WNOWAIT)`,
    /// which looks without reaping.
    ///
    /// Can safe code misuse this into undefined behaviour? No: see [`ForkedChild`].
    pub fn adopt(pid: Pid) -> io::Result<ForkedChild> {
        if pid <= 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "adopt({pid}): refused: not a process id (kill reads it as {})",
                    match pid {
                        0 => "this process's whole group",
                        -1 => "every process this user may signal",
                        _ => "a process group",
                    }
                ),
            ));
        }
        if !is_unreaped_child(pid)? {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "adopt({pid}): not a child of this process (or already reaped)"
                ),
            ));
        }
        Ok(ForkedChild { pid, status: None, parent: current_pid() })
    }

    /// Waits at most `timeout`; if the child is still running then, kills it
    /// (SIGKILL) and reaps it. Either way the child is reaped when this returns.
    ///
    /// Can safe code misuse this into undefined behaviour? No: see [`ForkedChild`].
    pub fn join_or_kill(&mut self, timeout: Duration) -> io::Result<Waited> {
        if let Some(status) = self.join_timeout(timeout)? {
            return Ok(Waited::Ended(status));
        }
        self.kill()?;
        // SIGKILL cannot be caught or ignored, so this join ends.
        Ok(Waited::Killed(self.join()?))
    }

    /// Waits until the child ends, reaps it, and returns how it ended.
    ///
    /// Joining a child that was already reaped is an error (its pid may have been
    /// reused).
    ///
    /// Can safe code misuse this into undefined behaviour? No: see [`ForkedChild`].
    pub fn join(&mut self) -> io::Result<ExitStatus> {
        self.ensure_usable()?;
        let status =
            wait_for(self.pid, 0)?.expect("waitpid without WNOHANG returns a status");
        self.status = Some(status);
        Ok(status)
    }

    /// Waits at most `timeout`: `Some(status)` if the child ended (it is then
    /// reaped), `None` if it is still running (join, kill or drop it later).
    ///
    /// Can safe code misuse this into undefined behaviour? No: see [`ForkedChild`].
    pub fn join_timeout(
        &mut self,
        timeout: Duration,
    ) -> io::Result<Option<ExitStatus>> {
        self.ensure_usable()?;
        let pid = self.pid;
        let status = reap_within(pid, timeout, || wait_for(pid, libc::WNOHANG))?;
        self.status = status;
        Ok(status)
    }

    /// Whether the child has ended and been reaped by this handle.
    ///
    /// Can safe code misuse this into undefined behaviour? No: it reads a field.
    pub fn is_reaped(&self) -> bool {
        self.status.is_some()
    }

    /// Sends `signal` (`libc::SIGTERM`, …) to the child. Does not wait for it.
    ///
    /// Can safe code misuse this into undefined behaviour? No: see [`send_signal`].
    pub fn signal(&self, signal: libc::c_int) -> io::Result<()> {
        self.ensure_usable()?;
        send_signal(self.pid, signal)
    }

    /// Sends SIGKILL, which the child cannot catch or ignore (Python's
    /// `Process.kill`). Join afterwards to reap it.
    ///
    /// Can safe code misuse this into undefined behaviour? No: see [`send_signal`].
    pub fn kill(&self) -> io::Result<()> {
        self.signal(libc::SIGKILL)
    }

    /// Sends SIGTERM, which the child may catch to clean up (Python's
    /// `Process.terminate`).
    ///
    /// Can safe code misuse this into undefined behaviour? No: see [`send_signal`].
    pub fn terminate(&self) -> io::Result<()> {
        self.signal(libc::SIGTERM)
    }

    /// An error unless this process made the handle (a copy moved into a forked
    /// child would signal its sibling) and the child is not reaped yet (its pid may
    /// have been reused).
    fn ensure_usable(&self) -> io::Result<()> {
        if current_pid() != self.parent {
            return Err(io::Error::other(format!(
                "the handle of child {} belongs to process {}, not to this one",
                self.pid, self.parent
            )));
        }
        match self.status {
            None => Ok(()),
            Some(status) => Err(io::Error::other(format!(
                "forked child {} was already joined ({status}); its pid may now \
                 belong to another process",
                self.pid
            ))),
        }
    }
}

impl Drop for ForkedChild {
    fn drop(&mut self) {
        // A copy of this handle inside a forked child (moved into its target) is not
        // the owner: only the process that forked the child may kill and reap it.
        if self.status.is_some() || current_pid() != self.parent {
            return;
        }
        eprintln!(
            "warning: forked child {} was not joined; killing and reaping it",
            self.pid
        );
        if let Err(error) = send_signal(self.pid, libc::SIGKILL) {
            eprintln!("warning: could not kill forked child {}: {error}", self.pid);
        }
        match wait_for(self.pid, 0) {
            Ok(status) => self.status = status,
            Err(error) => eprintln!(
                "warning: could not reap forked child {}: {error}",
                self.pid
            ),
        }
    }
}

/// Whether `pid` (> 0) is a child of this process that has not been reaped: running,
/// stopped, or ended and waiting to be reaped. `waitid` with `WNOWAIT` looks without
/// reaping; `WNOHANG` makes it return at once; `ECHILD` means no such child.
fn is_unreaped_child(pid: Pid) -> io::Result<bool> {
    // SAFETY: all zeros is a valid `siginfo_t` (integers and a union of integers and
    // pointers, which nothing here follows).
    let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `info` is a valid, writable `siginfo_t` that outlives the call, the
        // only memory `waitid` writes.
        let result = unsafe {
            libc::waitid(
                libc::P_PID,       // Wait for one process…
                pid as libc::id_t, // …this one (> 0, checked by the caller).
                &mut info,         // Where the kernel writes what it found.
                // Ended, stopped or continued; look, do not reap; do not block.
                libc::WEXITED
                    | libc::WSTOPPED
                    | libc::WCONTINUED
                    | libc::WNOWAIT
                    | libc::WNOHANG,
            )
        };
        if result == 0 {
            return Ok(true);
        }
        let error = io::Error::last_os_error();
        match error.raw_os_error() {
            Some(libc::ECHILD) => return Ok(false),
            Some(libc::EINTR) => continue,
            _ => {
                return Err(io::Error::new(
                    error.kind(),
                    format!("waitid({pid}, WNOWAIT): {error}"),
                ));
            }
        }
    }
}

/// `waitpid` for one child, retrying when a signal interrupts it. With `WNOHANG` in
/// `flags`, `Ok(None)` means the child is still running.
fn wait_for(pid: Pid, flags: libc::c_int) -> io::Result<Option<ExitStatus>> {
    let mut raw_status: libc::c_int = 0;
    loop {
        // SAFETY: `raw_status` is a valid, writable `c_int` that outlives the call.
        let result = unsafe {
            libc::waitpid(
                pid,             // The child to wait for.
                &mut raw_status, // Where the kernel writes how it ended.
                flags,           // 0 to block, or WNOHANG to return at once.
            )
        };
        match check(result, &format!("waitpid({pid})")) {
            Ok(0) => return Ok(None), // WNOHANG, and the child is still running.
            Ok(_) => return Ok(Some(ExitStatus::from_raw(raw_status))),
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        }
    }
}

/// Sends `signal` to process `pid`, which must be a process id (> 0): `kill` reads 0
/// as "every process in my group" and -1 as "every process I may signal" (as root:
/// nearly all), so those, and every other negative number (a group), are refused
/// (`InvalidInput`). A group is signalled with [`signal_process_group`].
///
/// Can safe code misuse this into undefined behaviour? No: `kill` touches no memory
/// of ours. A signal may end, stop or interrupt a process: harm, not undefined
/// behaviour. A signal to this process runs its handler or its default action; the
/// only handler this layer installs does one atomic store.
pub fn send_signal(pid: Pid, signal: libc::c_int) -> io::Result<()> {
    if pid <= 0 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "kill({pid}, {}): refused: not one process ({})",
                signal_name(signal),
                match pid {
                    0 => "0 is this process's whole group",
                    -1 => "-1 is every process this user may signal",
                    _ => "a negative pid is a process group",
                }
            ),
        ));
    }
    kill_checked(pid, signal)
}

/// Sends `signal` to every process in process group `group` (`killpg`, which is
/// `kill(-group, …)`). `group` must be a group id greater than 1: `killpg(0)` is this
/// process's own group and `killpg(1)` is `kill(-1)`, every process this user may
/// signal; both are refused (`InvalidInput`), as is a negative number.
///
/// Can safe code misuse this into undefined behaviour? No: see [`send_signal`].
pub fn signal_process_group(group: Pid, signal: libc::c_int) -> io::Result<()> {
    if group <= 1 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "killpg({group}, {}): refused: not a process group id greater than 1 \
                 (0 is this process's group, 1 would mean every process)",
                signal_name(signal)
            ),
        ));
    }
    kill_checked(-group, signal)
}

/// `kill(target, signal)`; the callers have checked `target`.
fn kill_checked(target: Pid, signal: libc::c_int) -> io::Result<()> {
    debug_assert!(!(-1..=0).contains(&target), "kill({target}) must not be reached");
    // SAFETY: `kill` only asks the kernel to deliver a signal; it touches no memory
    // of ours.
    let result = unsafe {
        libc::kill(
            target, // The process (> 0) or the process group (< -1) to signal.
            signal, // The signal number.
        )
    };
    check(result, &format!("kill({target}, {})", signal_name(signal))).map(drop)
}

/// Ends this process the way a process ends when it writes to a closed pipe: killed
/// by SIGPIPE, silently. A parent whose children died of SIGPIPE shares their closed
/// stdout (`examples-processes | head -1`), so it ends quietly the same way instead
/// of reporting.
///
/// Can safe code misuse this into undefined behaviour? No: see [`die_of_signal`].
pub fn die_of_sigpipe() -> ! {
    die_of_signal(libc::SIGPIPE)
}

// --- Waiting with a deadline, for forked and for `Command` children alike ---

/// `Child::wait` with a deadline, for a child started with `std::process::Command`:
/// `Some(status)` if it ended within `timeout` (it is then reaped), `None` if it is
/// still running. The standard library has `wait` (no deadline) and `try_wait` (no
/// waiting); this polls `try_wait`, quickly at first, then every 10 ms.
///
/// Can safe code misuse this into undefined behaviour? No: it calls `Child::try_wait`
/// and sleeps on an `ExitWatcher` it owns for the child's pid, which stays the
/// child's until `try_wait` reaps it.
pub fn wait_timeout(
    child: &mut Child,
    timeout: Duration,
) -> io::Result<Option<ExitStatus>> {
    let pid = child.id() as Pid;
    reap_within(pid, timeout, || child.try_wait())
}

/// Calls `try_reap` (a `waitpid` with `WNOHANG`) until it returns a status or
/// `timeout` passes. In between it sleeps on an [`ExitWatcher`], which the kernel
/// wakes the moment the child ends (a pidfd on Linux, kqueue on macOS), so the wait
/// adds no delay of its own; where there is none (another Unix, an old kernel, a
/// sandbox) it polls, quickly at first.
fn reap_within(
    pid: Pid,
    timeout: Duration,
    mut try_reap: impl FnMut() -> io::Result<Option<ExitStatus>>,
) -> io::Result<Option<ExitStatus>> {
    let deadline = Instant::now() + timeout;
    if let Some(status) = try_reap()? {
        return Ok(Some(status));
    }
    // Opened only now: the child is ours and not yet reaped, so `pid` is still its
    // pid.
    let mut watcher = ExitWatcher::open(pid);
    // A child that ended before the watcher started may never wake it (a kqueue
    // filter added after the exit): look once more now that it is in place.
    if let Some(status) = try_reap()? {
        return Ok(Some(status));
    }
    let mut pause = Duration::from_micros(100);
    loop {
        let now = Instant::now();
        if now >= deadline {
            return Ok(None);
        }
        match &watcher {
            // Woken when the child ends; a timeout or a signal also ends the wait.
            Some(watching) => {
                let fired = watching.wait(deadline - now)?;
                if let Some(status) = try_reap()? {
                    return Ok(Some(status));
                }
                if fired {
                    // It fired, yet the child cannot be reaped yet (macOS notes the
                    // exit a moment before the parent can reap): poll from here on.
                    watcher = None;
                }
                continue;
            }
            None => {
                thread::sleep(pause.min(deadline - now));
                pause = (pause * 2).min(Duration::from_millis(10));
            }
        }
        if let Some(status) = try_reap()? {
            return Ok(Some(status));
        }
    }
}

// --- Signals ---

/// One flag per signal number (Linux numbers signals 1 to 64), set by
/// [`record_signal`].
static CAUGHT: [AtomicBool; 65] = [const { AtomicBool::new(false) }; 65];

/// The handler [`catch_signal`] installs. A signal handler may interrupt the program
/// anywhere, even inside `malloc` or while stdout's lock is held, so it may only do
/// what is *async-signal-safe*: here, one atomic store. The program looks at the flag
/// when it is ready.
extern "C" fn record_signal(signal: libc::c_int) {
    if let Some(flag) =
        usize::try_from(signal).ok().and_then(|index| CAUGHT.get(index))
    {
        flag.store(true, Ordering::SeqCst);
    }
}

/// Catches `signal` until the returned guard is dropped: instead of the signal's
/// action (for SIGTERM and SIGINT by default, the end of the process), the guard's
/// flag is set (`caught.load(…)`: the guard dereferences to an `AtomicBool`). The
/// program polls the flag and decides what to do: clean up, then exit, or
/// [`die_of_signal`]. Dropping the guard puts back the action the signal had before,
/// so the catch lasts as long as the example that needs it; guards for one signal
/// must be dropped in the reverse order of their making (as they are, on a stack).
///
/// A blocking call that the signal interrupts returns `ErrorKind::Interrupted` (the
/// handler is installed without `SA_RESTART`), so a loop that waits in small steps
/// notices promptly. Handlers are inherited by forked children and reset to the
/// default by `exec` (so `Command` children start with the default action).
///
/// Refused (`InvalidInput`): the fault signals SIGSEGV, SIGBUS, SIGILL and SIGFPE. A
/// handler that returns from a real fault runs the faulting instruction again, which
/// faults again, for ever; and catching SIGSEGV or SIGBUS would replace the handler
/// with which the standard library reports a stack overflow ("thread 'main' has
/// overflowed its stack": Rust 1.95, library/std/src/sys/pal/unix/stack_overflow.rs).
/// The kernel refuses SIGKILL and SIGSTOP; glibc refuses the signals it uses itself
/// (signal/sigaction.c).
///
/// Can safe code misuse this into undefined behaviour? No: the handler does one
/// atomic store, which is async-signal-safe wherever it interrupts the program, and
/// the guard puts back an action the kernel itself handed out.
pub fn catch_signal(signal: libc::c_int) -> io::Result<CaughtSignal> {
    let name = signal_name(signal);
    if [libc::SIGSEGV, libc::SIGBUS, libc::SIGILL, libc::SIGFPE].contains(&signal) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "sigaction({name}): refused: a fault signal, whose handler would \
                 return into the faulting instruction for ever (and, for SIGSEGV and \
                 SIGBUS, replace Rust's stack-overflow report)"
            ),
        ));
    }
    let flag = usize::try_from(signal)
        .ok()
        .and_then(|index| CAUGHT.get(index))
        .ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("sigaction: no such signal {signal}"),
            )
        })?;
    flag.store(false, Ordering::SeqCst);
    // No flags (so no SA_RESTART), no other signal blocked during the handler.
    let mut action = empty_action();
    action.sa_sigaction =
        record_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
    // The kernel overwrites it with the old action.
    let mut previous = empty_action();
    // SAFETY: `action` is a valid, initialised `sigaction`; `record_signal` only does
    // an atomic store, which is async-signal-safe. `previous` is a writable
    // `sigaction` that outlives the call, the only memory it writes.
    let result = unsafe {
        libc::sigaction(
            signal,        // The signal to catch.
            &action,       // The new action: call `record_signal`, no SA_RESTART.
            &mut previous, // Where to store the old action, to put it back later.
        )
    };
    check(result, &format!("sigaction({name})"))?;
    Ok(CaughtSignal { signal, flag, previous })
}

/// A signal caught by [`catch_signal`]: dereferences to the flag its handler sets.
/// Dropping it puts back the action the signal had before.
#[must_use = "dropping the guard at once puts the signal's previous action back"]
pub struct CaughtSignal {
    signal: libc::c_int,
    flag: &'static AtomicBool,
    /// The action before [`catch_signal`], as the kernel gave it back.
    previous: libc::sigaction,
}

impl std::ops::Deref for CaughtSignal {
    type Target = AtomicBool;

    fn deref(&self) -> &AtomicBool {
        self.flag
    }
}

impl fmt::Debug for CaughtSignal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CaughtSignal")
            .field("signal", &signal_name(self.signal))
            .field("caught", &self.flag.load(Ordering::SeqCst))
            .finish_non_exhaustive()
    }
}

impl Drop for CaughtSignal {
    fn drop(&mut self) {
        // SAFETY: `previous` is the action the kernel reported for this signal, so it
        // was installed and valid, and putting it back is as sound as it was then;
        // the old action is not asked for (null).
        let result = unsafe {
            libc::sigaction(
                self.signal,          // The signal caught until now.
                &self.previous,       // Its action before `catch_signal`.
                std::ptr::null_mut(), // Where to store the old action: nowhere.
            )
        };
        if let Err(error) =
            check(result, &format!("sigaction({})", signal_name(self.signal)))
        {
            eprintln!("warning: could not put the signal's action back: {error}");
        }
    }
}

/// Puts back the default action of `signal` (for most signals: end the process),
/// for the whole process and until something changes it again. For SIGSEGV and
/// SIGBUS that removes the handler with which the standard library reports a stack
/// overflow: from then on an overflow kills the process without the "has overflowed
/// its stack" line. Only [`crash_with_signal`] and [`die_of_signal`] do so here, for
/// a process that is ending.
///
/// Can safe code misuse this into undefined behaviour? No: a default action ends,
/// stops, continues or ignores the process, and touches no memory. glibc refuses to
/// change the signals it uses itself (EINVAL: signal/sigaction.c).
pub fn restore_default_signal(signal: libc::c_int) -> io::Result<()> {
    // `sigaction`, not `signal`: POSIX leaves `signal` unspecified in a process with
    // several threads (glibc's is `sigaction` underneath: sysdeps/posix/signal.c).
    let mut action = empty_action();
    action.sa_sigaction = libc::SIG_DFL; // The default action, no handler.
    // SAFETY: `action` is a valid, initialised `sigaction` that installs no handler;
    // the old action is not asked for (null).
    let result = unsafe {
        libc::sigaction(
            signal,               // The signal whose action we set.
            &action,              // Its default action.
            std::ptr::null_mut(), // Where to store the old action: nowhere.
        )
    };
    check(result, &format!("sigaction({}, SIG_DFL)", signal_name(signal))).map(drop)
}

/// A `sigaction` with no handler (`SIG_DFL`), no flags and an empty signal mask.
fn empty_action() -> libc::sigaction {
    // SAFETY: `sigaction` is a plain C struct of integers, a handler stored as an
    // integer, and a signal set; all zeros is a valid value, and the mask is then
    // emptied the POSIX way below.
    let mut action: libc::sigaction = unsafe { std::mem::zeroed() };
    // SAFETY: `sa_mask` is a valid, writable `sigset_t`; this only clears its bits.
    unsafe { libc::sigemptyset(&mut action.sa_mask) };
    action
}

/// Sends `signal` to the calling thread.
fn raise_signal(signal: libc::c_int) -> io::Result<()> {
    // SAFETY: `raise` only asks the kernel to deliver a signal to this thread.
    let result = unsafe {
        libc::raise(
            signal, // The signal to deliver.
        )
    };
    // `raise` returns a nonzero value (not necessarily -1) on failure.
    check(
        if result == 0 { 0 } else { -1 },
        &format!("raise({})", signal_name(signal)),
    )
    .map(drop)
}

/// Ends this process *by* `signal`, with the signal's default action, so that its
/// parent (a shell, a test) sees "killed by SIGINT" rather than an exit code. This is
/// how a program that caught SIGINT to clean up should end afterwards.
///
/// Can safe code misuse this into undefined behaviour? No: a flush,
/// [`restore_default_signal`], `raise`, then [`exit_immediately`] if the default
/// action did not end the process.
pub fn die_of_signal(signal: libc::c_int) -> ! {
    // Lines already printed are flushed (stdout is line-buffered); a partial line is
    // not worth a second failure here.
    let _unflushed_partial_line = io::stdout().flush();
    if restore_default_signal(signal).is_ok() {
        // The fallback below reports it as a code.
        let _raise_failed = raise_signal(signal);
    }
    // Not reached when the default action ends the process: exit as a shell would
    // report it.
    exit_immediately(128 + signal)
}

/// Crashes this process with `signal` (SIGSEGV, SIGBUS, …), as a real fault would:
/// killed by the signal, its default action.
///
/// The standard library installs a SIGSEGV/SIGBUS handler to report stack overflows;
/// a fault that is not one resets the default and runs the faulting instruction
/// again, which then kills. A raised signal has no instruction to run again, so this
/// resets the default first: std's report is gone, which no longer matters, as the
/// process is ending.
///
/// Can safe code misuse this into undefined behaviour? No: see [`die_of_signal`]; no
/// memory is touched, the signal is raised.
pub fn crash_with_signal(signal: libc::c_int) -> ! {
    if let Err(error) =
        restore_default_signal(signal).and_then(|()| raise_signal(signal))
    {
        eprintln!("crash_with_signal: {error}");
    }
    exit_immediately(128 + signal)
}

/// What Ctrl-C delivers here.
pub const INTERRUPT: &str = "SIGINT";

/// Catches Ctrl-C until the returned guard is dropped: its flag is set instead of the
/// process ending. Unix: [`catch_signal`]`(SIGINT)`; Windows: a console control
/// handler.
///
/// Can safe code misuse this into undefined behaviour? No: see [`catch_signal`].
pub fn catch_interrupt() -> io::Result<CaughtSignal> {
    catch_signal(libc::SIGINT)
}

/// Ends this process as Ctrl-C ends one: killed by SIGINT (Windows: exit code
/// `STATUS_CONTROL_C_EXIT`).
///
/// Can safe code misuse this into undefined behaviour? No: see [`die_of_signal`].
pub fn die_of_interrupt() -> ! {
    die_of_signal(libc::SIGINT)
}

/// Crashes this process as an invalid memory access does: killed by SIGSEGV (Windows:
/// exit code `STATUS_ACCESS_VIOLATION`).
///
/// Can safe code misuse this into undefined behaviour? No: the signal is raised, no
/// memory is touched.
pub fn crash_invalid_memory_access() -> ! {
    crash_with_signal(libc::SIGSEGV)
}

/// Blocks SIGPIPE in the calling thread only. A write to a pipe whose reader has gone
/// (a child that died or was killed) then fails with `ErrorKind::BrokenPipe` in this
/// thread, instead of ending the whole process (SIGPIPE's default action, which this
/// program keeps for its stdout: `| head -1`). The pending signal is discarded when
/// the thread ends.
///
/// Can safe code misuse this into undefined behaviour? No: it changes only this
/// thread's signal mask; a blocked SIGPIPE makes a write fail with `BrokenPipe`
/// instead.
pub fn block_sigpipe_in_this_thread() -> io::Result<()> {
    // SAFETY: `sigset_t` is plain data; `sigemptyset` below initialises it before
    // use.
    let mut signals: libc::sigset_t = unsafe { std::mem::zeroed() };
    // SAFETY: `signals` is a valid, writable `sigset_t`; these only set bits in it.
    unsafe {
        libc::sigemptyset(&mut signals); // Start from the empty set…
        libc::sigaddset(&mut signals, libc::SIGPIPE); // …and add SIGPIPE.
    }
    // SAFETY: `signals` is initialised; the old mask is not asked for (null).
    let result = unsafe {
        libc::pthread_sigmask(
            libc::SIG_BLOCK,      // Add these signals to the thread's blocked set.
            &signals,             // The signals: SIGPIPE.
            std::ptr::null_mut(), // Where to store the old mask: nowhere.
        )
    };
    // `pthread_sigmask` returns the error number instead of setting errno.
    if result != 0 {
        let error = io::Error::from_raw_os_error(result);
        return Err(io::Error::new(
            error.kind(),
            format!("pthread_sigmask(SIG_BLOCK, SIGPIPE): {error}"),
        ));
    }
    Ok(())
}

// --- Core dumps ---

/// Stops this process from writing a core dump if it crashes (for the children that
/// crash on purpose): `RLIMIT_CORE` 0 means no `core` file. On Linux the kernel does
/// not apply that limit when cores are piped to a program (systemd-coredump, apport),
/// so the process is also marked not dumpable (`PR_SET_DUMPABLE`, Linux only). macOS
/// writes cores only to `/cores/core.PID` and applies `RLIMIT_CORE` to them, so the
/// limit alone stops the core there; its crash reporter (ReportCrash) still writes a
/// crash report, which is a log entry under ~/Library/Logs/DiagnosticReports, not a
/// core.
///
/// Can safe code misuse this into undefined behaviour? No: it changes only this
/// process's limits.
pub fn disable_core_dumps() -> io::Result<()> {
    let no_core = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: `no_core` is a valid `rlimit` that outlives the call, which only reads
    // it.
    let result = unsafe {
        libc::setrlimit(
            libc::RLIMIT_CORE, // The limit on the size of a core file…
            &no_core,          // …set to 0 bytes, soft and hard.
        )
    };
    check(result, "setrlimit(RLIMIT_CORE, 0)")?;
    #[cfg(target_os = "linux")]
    super::linux::mark_not_dumpable()?;
    Ok(())
}

// --- Writing to stdout ---

/// A handle on this process's stdout that writes straight to it: each `write` is one
/// system call (`println!` goes through a line buffer, which may split one write into
/// two).
///
/// Can safe code misuse this into undefined behaviour? No: only safe `std` calls (a
/// duplicated descriptor).
pub fn unbuffered_stdout() -> io::Result<std::fs::File> {
    use std::os::fd::AsFd;
    Ok(std::fs::File::from(io::stdout().as_fd().try_clone_to_owned()?))
}

// --- Waiting for pipes ---

/// Waits until at least one of `fds` is readable, or `timeout` passes: returns, for
/// each one, whether it is ready. Ready means a read will not block: data is there,
/// or every writer has closed its end (the read returns end of file). All `false`
/// means the timeout passed, or a caught signal interrupted the wait (check its
/// flag).
///
/// Can safe code misuse this into undefined behaviour? No: `poll` reads and writes
/// only `polled`, a vector it owns; the descriptors are borrowed, so they stay open
/// during the call.
pub fn wait_readable<Pipe: AsFd>(
    fds: &[Pipe],
    timeout: Duration,
) -> io::Result<Vec<bool>> {
    let mut polled: Vec<libc::pollfd> = fds
        .iter()
        .map(|fd| libc::pollfd {
            fd: fd.as_fd().as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        })
        .collect();
    // Rounded up: a wait of 0.3 ms must not become a wait of 0.
    let milliseconds = libc::c_int::try_from(timeout.as_micros().div_ceil(1000))
        .unwrap_or(libc::c_int::MAX);
    // SAFETY: `polled` is a valid, writable array of `polled.len()` `pollfd`s that
    // outlives the call; the descriptors are borrowed, so they stay open during it.
    let result = unsafe {
        libc::poll(
            // The descriptors, and where the kernel writes events.
            polled.as_mut_ptr(),
            polled.len() as libc::nfds_t, // How many there are.
            milliseconds,                 // How long to wait at most.
        )
    };
    match check(result, "poll") {
        Err(error) if error.kind() == io::ErrorKind::Interrupted => {
            Ok(vec![false; fds.len()])
        }
        Err(error) => Err(error),
        // POLLHUP (every writer gone) and POLLERR also mean a read returns at once.
        Ok(_) => Ok(polled
            .iter()
            .map(|fd| {
                fd.revents & (libc::POLLIN | libc::POLLHUP | libc::POLLERR) != 0
            })
            .collect()),
    }
}

// --- Signal names ---

/// The conventional name of a signal number: `SIGSEGV` for 11 on Linux. The numbers
/// differ between systems (SIGBUS is 7 on Linux, 10 on macOS), the names do not.
///
/// Can safe code misuse this into undefined behaviour? No: it matches a number.
pub fn signal_name(signal: libc::c_int) -> &'static str {
    match signal {
        libc::SIGHUP => "SIGHUP",
        libc::SIGINT => "SIGINT",
        libc::SIGQUIT => "SIGQUIT",
        libc::SIGILL => "SIGILL",
        libc::SIGTRAP => "SIGTRAP",
        libc::SIGABRT => "SIGABRT",
        libc::SIGBUS => "SIGBUS",
        libc::SIGFPE => "SIGFPE",
        libc::SIGKILL => "SIGKILL",
        libc::SIGUSR1 => "SIGUSR1",
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGUSR2 => "SIGUSR2",
        libc::SIGPIPE => "SIGPIPE",
        libc::SIGALRM => "SIGALRM",
        libc::SIGTERM => "SIGTERM",
        libc::SIGCHLD => "SIGCHLD",
        libc::SIGCONT => "SIGCONT",
        libc::SIGSTOP => "SIGSTOP",
        libc::SIGTSTP => "SIGTSTP",
        libc::SIGTTIN => "SIGTTIN",
        libc::SIGTTOU => "SIGTTOU",
        libc::SIGURG => "SIGURG",
        libc::SIGXCPU => "SIGXCPU",
        libc::SIGXFSZ => "SIGXFSZ",
        libc::SIGVTALRM => "SIGVTALRM",
        libc::SIGPROF => "SIGPROF",
        libc::SIGWINCH => "SIGWINCH",
        libc::SIGIO => "SIGIO",
        libc::SIGSYS => "SIGSYS",
        _ => "unknown signal",
    }
}

#[cfg(test)]
mod tests {
    // No fork here: libtest runs tests on threads of one process (forking tests are
    // in `tests/tests/fork_layer.rs`, which brings its own single-threaded `main`).
    use super::*;
    use std::io::Write;
    use std::os::fd::AsFd;

    #[test]
    fn wait_readable_sees_data_end_of_file_and_timeouts() {
        let (reader, mut writer) = io::pipe().unwrap();
        let ready =
            wait_readable(&[reader.as_fd()], Duration::from_millis(10)).unwrap();
        assert_eq!(ready, [false], "an empty pipe with a writer is not readable");
        writer.write_all(b"x").unwrap();
        assert_eq!(wait_readable(&[reader.as_fd()], Duration::ZERO).unwrap(), [true]);
        let (empty_reader, closed_writer) = io::pipe().unwrap();
        drop(closed_writer);
        let ready =
            wait_readable(&[empty_reader.as_fd(), reader.as_fd()], Duration::ZERO)
                .unwrap();
        assert_eq!(ready, [true, true], "end of file counts as readable");
    }

    /// The action of `signal` now, as a handler address (`SIG_DFL`, `SIG_IGN`, …).
    fn current_action(signal: libc::c_int) -> libc::sighandler_t {
        // SAFETY: all zeros is a valid `sigaction`.
        let mut action: libc::sigaction = unsafe { std::mem::zeroed() };
        // SAFETY: a null new action only asks; `action` is writable.
        let result =
            unsafe { libc::sigaction(signal, std::ptr::null(), &mut action) };
        check(result, "sigaction").unwrap();
        action.sa_sigaction
    }

    #[test]
    fn catching_a_signal_sets_its_flag_until_the_guard_puts_it_back() {
        // SIGUSR2: no other test here touches it. Ignored first, so that putting
        // back is seen to restore what was there, not merely the default.
        // SAFETY: `SIG_IGN` installs no handler.
        unsafe { libc::signal(libc::SIGUSR2, libc::SIG_IGN) };
        let caught = catch_signal(libc::SIGUSR2).unwrap();
        assert!(!caught.load(Ordering::SeqCst));
        raise_signal(libc::SIGUSR2).unwrap();
        assert!(caught.load(Ordering::SeqCst));
        assert_ne!(current_action(libc::SIGUSR2), libc::SIG_IGN);
        drop(caught);
        assert_eq!(current_action(libc::SIGUSR2), libc::SIG_IGN, "put back");
        restore_default_signal(libc::SIGUSR2).unwrap();
    }

    #[test]
    fn catching_refuses_sigkill_and_the_fault_signals() {
        let error = catch_signal(libc::SIGKILL).unwrap_err();
        assert!(error.to_string().contains("sigaction(SIGKILL)"), "{error}");
        for fault in [libc::SIGSEGV, libc::SIGBUS, libc::SIGILL, libc::SIGFPE] {
            let before = current_action(fault);
            let error = catch_signal(fault).unwrap_err();
            assert_eq!(error.kind(), io::ErrorKind::InvalidInput, "{error}");
            assert!(error.to_string().contains("a fault signal"), "{error}");
            assert_eq!(current_action(fault), before, "{}", signal_name(fault));
        }
    }

    #[test]
    fn waited_gives_its_status() {
        let status = ExitStatus::from_raw(libc::SIGKILL);
        assert_eq!(Waited::Killed(status).status(), status);
        assert_eq!(Waited::Ended(status).status(), status);
    }

    #[test]
    fn names_the_common_signals() {
        let expected = [
            (libc::SIGHUP, "SIGHUP"),
            (libc::SIGINT, "SIGINT"),
            (libc::SIGQUIT, "SIGQUIT"),
            (libc::SIGILL, "SIGILL"),
            (libc::SIGABRT, "SIGABRT"),
            (libc::SIGBUS, "SIGBUS"),
            (libc::SIGFPE, "SIGFPE"),
            (libc::SIGKILL, "SIGKILL"),
            (libc::SIGSEGV, "SIGSEGV"),
            (libc::SIGPIPE, "SIGPIPE"),
            (libc::SIGALRM, "SIGALRM"),
            (libc::SIGTERM, "SIGTERM"),
        ];
        for (signal, name) in expected {
            assert_eq!(signal_name(signal), name, "signal {signal}");
        }
        assert_eq!(signal_name(999), "unknown signal");
    }
}
