//! The safe process layer: every `unsafe` call to libc in this crate is here, wrapped once in
//! a safe function. Examples call these functions; open this file to see the raw calls.
//!
//! Each call has a `// SAFETY:` comment and a comment per argument, and turns a failure into
//! an `io::Error` that names the call.

use std::io::{self, Write};
use std::os::unix::process::ExitStatusExt;
use std::panic::{self, AssertUnwindSafe};
use std::process::ExitStatus;
use std::thread;
use std::time::{Duration, Instant};

/// A process id, as the kernel gives it.
pub type Pid = libc::pid_t;

/// The exit code of a forked child whose target panicked: the same code a Rust program
/// exits with when `main` panics.
pub const PANIC_EXIT_CODE: i32 = 101;

/// Turns `-1` (a failed libc call) into the `io::Error` for `errno`, naming the call.
fn check(result: libc::c_int, call: &str) -> io::Result<libc::c_int> {
    if result == -1 {
        let error = io::Error::last_os_error();
        Err(io::Error::new(error.kind(), format!("{call}: {error}")))
    } else {
        Ok(result)
    }
}

// ANCHOR: fork_child
/// Forks the calling process. The child runs `target` and leaves with its exit code; the
/// parent gets a [`ForkedChild`] handle to join, wait on with a deadline, or kill.
///
/// - stdout is flushed first, so text buffered before the fork is not printed twice;
/// - the child runs `target` inside `catch_unwind`: a panic exits with code 101;
/// - the child flushes stdout and leaves with `_exit`: it never returns into the caller's
///   code, and never runs the parent's destructors or exit handlers.
///
/// Fork copies only the calling thread. Fork before starting threads: if another thread
/// holds a lock at the moment of the fork (stdout's, the allocator's), the child blocks on
/// it forever. The `fork-with-threads` example shows that, bounded.
pub fn fork_child(target: impl FnOnce()) -> io::Result<ForkedChild> {
    fork_child_with_code(|| {
        target();
        0
    })
}
// ANCHOR_END: fork_child

/// Like [`fork_child`], but the child leaves with the exit code `target` returns.
pub fn fork_child_with_code(target: impl FnOnce() -> i32) -> io::Result<ForkedChild> {
    // Text still in stdout's buffer would be copied into the child and printed by both.
    io::stdout().flush()?;

    // SAFETY: `fork` takes no arguments. Memory safety in the child holds because it touches
    // only its own copy of the address space and leaves with `_exit` below; a child of a
    // multithreaded parent may deadlock (a liveness problem, documented above), not corrupt.
    let pid = check(unsafe { libc::fork() }, "fork")?;
    if pid == 0 {
        // In the child: run the target; a panic must not unwind into the parent's code.
        let code = match panic::catch_unwind(AssertUnwindSafe(target)) {
            Ok(code) => code,
            Err(_payload) => PANIC_EXIT_CODE, // The panic hook already printed the message.
        };
        let code = if io::stdout().flush().is_err() && code == 0 { 1 } else { code };
        exit_immediately(code);
    }
    Ok(ForkedChild { pid, status: None, parent: current_pid() })
}

/// Ends the calling process at once with `code`, through `_exit`: no destructors, no exit
/// handlers, no stdio flush. This is how a forked child must leave.
pub fn exit_immediately(code: i32) -> ! {
    // SAFETY: `_exit` is async-signal-safe and only ends the process.
    unsafe {
        libc::_exit(
            code, // The exit status the parent's `waitpid` will see.
        )
    }
}

/// The calling process's id.
pub fn current_pid() -> Pid {
    // `std::process::id` is `getpid`, already safe.
    std::process::id() as Pid
}

/// A forked child, owned by the parent that forked it.
///
/// Dropping a handle that was not joined kills the child and reaps it (saying so on stderr),
/// so no zombie and no stray process is ever left behind.
#[derive(Debug)]
pub struct ForkedChild {
    pid: Pid,
    /// Set once the child has been reaped: its pid may then belong to another process.
    status: Option<ExitStatus>,
    /// The process that forked the child; only it may wait for or kill the child.
    parent: Pid,
}

impl ForkedChild {
    /// The child's process id.
    pub fn pid(&self) -> Pid {
        self.pid
    }

    /// Waits until the child ends, reaps it, and returns how it ended.
    ///
    /// Joining a child that was already reaped is an error (its pid may have been reused).
    pub fn join(&mut self) -> io::Result<ExitStatus> {
        self.ensure_not_reaped()?;
        let status = wait_for(self.pid, 0)?.expect("waitpid without WNOHANG returns a status");
        self.status = Some(status);
        Ok(status)
    }

    /// Waits at most `timeout`: `Some(status)` if the child ended (it is then reaped),
    /// `None` if it is still running (join, kill or drop it later).
    pub fn join_timeout(&mut self, timeout: Duration) -> io::Result<Option<ExitStatus>> {
        self.ensure_not_reaped()?;
        let deadline = Instant::now() + timeout;
        let mut pause = Duration::from_micros(100);
        loop {
            if let Some(status) = wait_for(self.pid, libc::WNOHANG)? {
                self.status = Some(status);
                return Ok(Some(status));
            }
            let now = Instant::now();
            if now >= deadline {
                return Ok(None);
            }
            // Poll quickly at first (most children end fast), then back off to 10 ms.
            thread::sleep(pause.min(deadline - now));
            pause = (pause * 2).min(Duration::from_millis(10));
        }
    }

    /// Whether the child has ended and been reaped by this handle.
    pub fn is_reaped(&self) -> bool {
        self.status.is_some()
    }

    /// Sends `signal` (`libc::SIGTERM`, …) to the child. Does not wait for it.
    pub fn signal(&self, signal: libc::c_int) -> io::Result<()> {
        self.ensure_not_reaped()?;
        send_signal(self.pid, signal)
    }

    /// Sends SIGKILL, which the child cannot catch or ignore (Python's `Process.kill`).
    /// Join afterwards to reap it.
    pub fn kill(&self) -> io::Result<()> {
        self.signal(libc::SIGKILL)
    }

    /// Sends SIGTERM, which the child may catch to clean up (Python's `Process.terminate`).
    pub fn terminate(&self) -> io::Result<()> {
        self.signal(libc::SIGTERM)
    }

    fn ensure_not_reaped(&self) -> io::Result<()> {
        match self.status {
            None => Ok(()),
            Some(status) => Err(io::Error::other(format!(
                "forked child {} was already joined ({}); its pid may now belong to another process",
                self.pid,
                crate::status::describe(status)
            ))),
        }
    }
}

impl Drop for ForkedChild {
    fn drop(&mut self) {
        // A copy of this handle inside a forked child (moved into its target) is not the
        // owner: only the process that forked the child may kill and reap it.
        if self.status.is_some() || current_pid() != self.parent {
            return;
        }
        eprintln!("warning: forked child {} was not joined; killing and reaping it", self.pid);
        if let Err(error) = send_signal(self.pid, libc::SIGKILL) {
            eprintln!("warning: could not kill forked child {}: {error}", self.pid);
        }
        match wait_for(self.pid, 0) {
            Ok(status) => self.status = status,
            Err(error) => eprintln!("warning: could not reap forked child {}: {error}", self.pid),
        }
    }
}

/// `waitpid` for one child, retrying when a signal interrupts it. With `WNOHANG` in `flags`,
/// `Ok(None)` means the child is still running.
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

/// Sends `signal` to process `pid`; a negative `pid` names a whole process group.
pub fn send_signal(pid: Pid, signal: libc::c_int) -> io::Result<()> {
    // SAFETY: `kill` only asks the kernel to deliver a signal; it touches no memory of ours.
    let result = unsafe {
        libc::kill(
            pid,    // The process (or, if negative, the process group) to signal.
            signal, // The signal number.
        )
    };
    check(result, &format!("kill({pid}, {})", crate::status::signal_name(signal))).map(drop)
}

/// Ends this process the way a process ends when it writes to a closed pipe: killed by
/// SIGPIPE, silently. A parent whose children died of SIGPIPE shares their closed stdout
/// (`examples-processes | head -1`), so it ends quietly the same way instead of reporting.
pub fn die_of_sigpipe() -> ! {
    shared::cli::restore_default_sigpipe();
    // SAFETY: `raise` only delivers a signal to the calling thread; its default action
    // ends the process.
    unsafe {
        libc::raise(
            libc::SIGPIPE, // The signal to deliver.
        );
    }
    // Not reached while SIGPIPE's action is the default; exit as a shell would report it.
    exit_immediately(128 + libc::SIGPIPE)
}

/// Whether a child's writes to a [`Mapping`] reach its parent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sharing {
    /// `MAP_SHARED`: parent and forked children see the same pages; a write by one is seen by
    /// all (Python's `multiprocessing.Value`, `Array` and `shared_memory` are built on this).
    Shared,
    /// `MAP_PRIVATE`: after a fork, each process has its own copy-on-write view; a child's
    /// writes stay in the child.
    Private,
}

/// An anonymous memory mapping (no file behind it, so nothing to clean up on disk and nothing
/// another user can open), zero-filled, unmapped on drop. Forked children inherit it.
#[derive(Debug)]
pub struct Mapping {
    address: std::ptr::NonNull<u8>,
    length: usize,
}

// SAFETY: the mapping is plain memory owned by this handle; access goes through `&self`
// (atomics) or `&mut self` (slices), so the usual borrow rules keep threads apart.
unsafe impl Send for Mapping {}
// SAFETY: as above: shared references only hand out atomics and `&[u8]`.
unsafe impl Sync for Mapping {}

impl Mapping {
    /// Maps `length` bytes (rounded up to whole pages by the kernel), zero-filled.
    pub fn new(length: usize, sharing: Sharing) -> io::Result<Mapping> {
        let visibility = match sharing {
            Sharing::Shared => libc::MAP_SHARED,
            Sharing::Private => libc::MAP_PRIVATE,
        };
        // SAFETY: a new anonymous mapping at an address the kernel chooses overlaps nothing
        // of ours; the arguments are checked by the kernel, which returns MAP_FAILED on error.
        let address = unsafe {
            libc::mmap(
                std::ptr::null_mut(),               // Let the kernel choose the address.
                length.max(1),                      // Bytes to map (a length of 0 is invalid).
                libc::PROT_READ | libc::PROT_WRITE, // Readable and writable.
                visibility | libc::MAP_ANONYMOUS,   // Shared or private; no file behind it.
                -1,                                 // No file descriptor (anonymous).
                0,                                  // No offset (anonymous).
            )
        };
        if address == libc::MAP_FAILED {
            let error = io::Error::last_os_error();
            return Err(io::Error::new(error.kind(), format!("mmap({length} bytes, {sharing:?}): {error}")));
        }
        let address =
            std::ptr::NonNull::new(address.cast::<u8>()).expect("mmap never returns null on success");
        Ok(Mapping { address, length })
    }

    /// The mapping's length in bytes.
    pub fn len(&self) -> usize {
        self.length
    }

    /// Whether the mapping has no bytes.
    pub fn is_empty(&self) -> bool {
        self.length == 0
    }

    /// The bytes, to read.
    pub fn as_slice(&self) -> &[u8] {
        // SAFETY: `address` points to `length` readable, initialised (zero-filled) bytes that
        // live as long as `self`. Other processes may write them concurrently only through
        // atomics handed out by `atomic_u64`, which readers of the same words must also use.
        unsafe { std::slice::from_raw_parts(self.address.as_ptr(), self.length) }
    }

    /// The bytes, to write.
    pub fn as_mut_slice(&mut self) -> &mut [u8] {
        // SAFETY: as in `as_slice`, and `&mut self` makes this the only reference in this
        // process.
        unsafe { std::slice::from_raw_parts_mut(self.address.as_ptr(), self.length) }
    }

    /// The `index`-th 8-byte word of the mapping, as an atomic: safe to update from several
    /// threads, and from several processes when the mapping is [`Sharing::Shared`].
    pub fn atomic_u64(&self, index: usize) -> &std::sync::atomic::AtomicU64 {
        let offset = index.checked_mul(8).expect("index * 8 overflows");
        assert!(offset + 8 <= self.length, "word {index} is outside a mapping of {} bytes", self.length);
        // SAFETY: the mapping is page-aligned, so every multiple of 8 is aligned for AtomicU64;
        // the word is inside the mapping (checked above) and lives as long as `&self`.
        unsafe { &*self.address.as_ptr().add(offset).cast::<std::sync::atomic::AtomicU64>() }
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        // SAFETY: `address` and `length` are exactly what `mmap` returned and was given, and no
        // reference into the mapping outlives `self`.
        let result = unsafe {
            libc::munmap(
                self.address.as_ptr().cast(), // The start of the mapping.
                self.length.max(1),           // Its length, as mapped.
            )
        };
        if let Err(error) = check(result, "munmap") {
            eprintln!("warning: {error}");
        }
    }
}
