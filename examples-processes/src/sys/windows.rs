//! The Windows part of the process layer. Windows has no `fork` (a process is always
//! a fresh program, `CreateProcess`, which `std::process::Command` calls) and no
//! signals: a child is waited for on its process handle, ended with
//! `TerminateProcess`, interrupted by a console control event, and a crash ends it
//! with an exception code as its exit code.
//!
//! Calls go through the `windows-sys` crate (only the features used).

use std::io::{self, Write};
use std::os::windows::io::{
    AsHandle, AsRawHandle, BorrowedHandle, FromRawHandle, OwnedHandle,
};
use std::path::PathBuf;
use std::process::{Child, ExitStatus};
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use windows_sys::Win32::Foundation::{
    FALSE, INVALID_HANDLE_VALUE, TRUE, WAIT_OBJECT_0, WAIT_TIMEOUT,
};
use windows_sys::Win32::System::Console::{
    CTRL_BREAK_EVENT, CTRL_C_EVENT, SetConsoleCtrlHandler,
};
use windows_sys::Win32::System::Diagnostics::Debug::{
    GetErrorMode, RaiseException, SEM_FAILCRITICALERRORS, SEM_NOGPFAULTERRORBOX,
    SetErrorMode,
};
use windows_sys::Win32::System::Diagnostics::ToolHelp::{
    CreateToolhelp32Snapshot, PROCESSENTRY32W, Process32FirstW, Process32NextW,
    TH32CS_SNAPPROCESS,
};
use windows_sys::Win32::System::Pipes::PeekNamedPipe;
use windows_sys::Win32::System::Threading::WaitForSingleObject;

/// A process id, as Windows gives it.
pub type Pid = u32;

/// The calling process's id.
///
/// Can safe code misuse this into undefined behaviour? No: it only reads a number.
pub fn current_pid() -> Pid {
    std::process::id()
}

/// The id of the process that started this one, from a snapshot of the process list
/// (Windows keeps the creator's id, even after the creator has ended and the id was
/// reused).
///
/// Can safe code misuse this into undefined behaviour? No: the snapshot is owned here
/// and closed on return.
pub fn parent_pid() -> io::Result<Pid> {
    // SAFETY: the flags ask for a snapshot of every process; it returns a new handle,
    // or INVALID_HANDLE_VALUE.
    let snapshot = unsafe {
        CreateToolhelp32Snapshot(
            TH32CS_SNAPPROCESS, // A snapshot of the process list…
            0, // …of every process (the id is ignored for processes).
        )
    };
    if snapshot == INVALID_HANDLE_VALUE {
        let error = io::Error::last_os_error();
        return Err(io::Error::new(
            error.kind(),
            format!("CreateToolhelp32Snapshot: {error}"),
        ));
    }
    // SAFETY: the handle was just returned, is open, and is owned by nobody else.
    let snapshot = unsafe { OwnedHandle::from_raw_handle(snapshot) };
    let mut entry = PROCESSENTRY32W {
        dwSize: std::mem::size_of::<PROCESSENTRY32W>() as u32,
        ..Default::default()
    };
    // SAFETY: the snapshot is open; `entry` is writable, its `dwSize` set as the call
    // requires.
    let mut found = unsafe { Process32FirstW(snapshot.as_raw_handle(), &mut entry) };
    while found != FALSE {
        if entry.th32ProcessID == current_pid() {
            return Ok(entry.th32ParentProcessID);
        }
        // SAFETY: as above.
        found = unsafe { Process32NextW(snapshot.as_raw_handle(), &mut entry) };
    }
    Err(io::Error::new(
        io::ErrorKind::NotFound,
        "this process is not in the process snapshot",
    ))
}

// --- Exit codes that are exceptions ---

/// The exit code of a process ended by Ctrl-C: the default console handler calls
/// `ExitProcess(STATUS_CONTROL_C_EXIT)`.
pub const STATUS_CONTROL_C_EXIT: u32 = 0xC000_013A;

/// The exception a process raises for an invalid memory access, and so its exit code
/// when nothing handles it.
pub const STATUS_ACCESS_VIOLATION: u32 = 0xC000_0005;

/// The name of a Windows exception code (an NTSTATUS), when a process ended by it:
/// its exit code is the exception code. `None` for an ordinary exit code.
///
/// Can safe code misuse this into undefined behaviour? No: plain code, no system
/// call.
pub fn exception_name(code: u32) -> Option<&'static str> {
    Some(match code {
        0x8000_0003 => "STATUS_BREAKPOINT",
        STATUS_ACCESS_VIOLATION => "STATUS_ACCESS_VIOLATION",
        0xC000_001D => "STATUS_ILLEGAL_INSTRUCTION",
        0xC000_0094 => "STATUS_INTEGER_DIVIDE_BY_ZERO",
        0xC000_0096 => "STATUS_PRIVILEGED_INSTRUCTION",
        STATUS_CONTROL_C_EXIT => "STATUS_CONTROL_C_EXIT",
        0xC000_00FD => "STATUS_STACK_OVERFLOW",
        0xC000_0135 => "STATUS_DLL_NOT_FOUND",
        0xC000_0139 => "STATUS_ENTRYPOINT_NOT_FOUND",
        0xC000_0374 => "STATUS_HEAP_CORRUPTION",
        // `__fastfail`, which Rust's `std::process::abort` uses on Windows.
        0xC000_0409 => "STATUS_STACK_BUFFER_OVERRUN",
        _ => return None,
    })
}

// --- Waiting with a deadline ---

/// `Child::wait` with a deadline: `Some(status)` if the child ended within `timeout`,
/// `None` if it is still running. Sleeps on the child's process handle, which Windows
/// signals the moment the process ends.
///
/// Can safe code misuse this into undefined behaviour? No: the handle is borrowed
/// from `child` for the call.
pub fn wait_timeout(
    child: &mut Child,
    timeout: Duration,
) -> io::Result<Option<ExitStatus>> {
    let deadline = Instant::now() + timeout;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        // Rounded up, and below INFINITE (u32::MAX); a longer wait goes round the
        // loop.
        let milliseconds = u32::try_from(left.as_micros().div_ceil(1000))
            .unwrap_or(u32::MAX - 1)
            .min(u32::MAX - 1);
        // SAFETY: the handle belongs to `child`, which outlives the call; waiting
        // only reads it.
        let result = unsafe {
            WaitForSingleObject(
                child.as_raw_handle(), // The process: signalled once it has ended.
                milliseconds,          // How long to wait at most.
            )
        };
        match result {
            WAIT_OBJECT_0 => return child.try_wait(),
            WAIT_TIMEOUT if Instant::now() >= deadline => return Ok(None),
            WAIT_TIMEOUT => continue,
            _ => {
                let error = io::Error::last_os_error();
                return Err(io::Error::new(
                    error.kind(),
                    format!("WaitForSingleObject: {error}"),
                ));
            }
        }
    }
}

// --- Writing to stdout ---

/// A handle on this process's stdout that writes straight to it: each `write` is one
/// `WriteFile` (`println!` goes through a line buffer, which may split one write into
/// two).
///
/// Can safe code misuse this into undefined behaviour? No: only safe `std` calls (a
/// duplicated handle).
pub fn unbuffered_stdout() -> io::Result<std::fs::File> {
    Ok(std::fs::File::from(io::stdout().as_handle().try_clone_to_owned()?))
}

/// Whether a child that ended with `status` met our closed stdout (`| head -1`): it exited
/// with [`shared::cli::CLOSED_STDOUT_EXIT_CODE`], which our programs give only for a closed
/// stdout, and our stdout, which it inherits, is a pipe. (On Unix: the child was killed by
/// SIGPIPE.)
pub fn ended_on_closed_stdout(status: ExitStatus) -> bool {
    status.code() == Some(i32::from(shared::cli::CLOSED_STDOUT_EXIT_CODE))
        && shared::sys::stdout_is_pipe()
}

/// Ends this process the way our programs end on Windows when they write to a closed
/// stdout: quietly, exit code [`shared::cli::CLOSED_STDOUT_EXIT_CODE`]. A parent whose
/// children ended so shares their closed stdout (`examples-processes | head -1`), so it
/// ends the same way instead of reporting. (On Unix: `die_of_sigpipe`.)
///
/// Can safe code misuse this into undefined behaviour? No: only safe `std` calls.
pub fn die_of_closed_stdout() -> ! {
    std::process::exit(i32::from(shared::cli::CLOSED_STDOUT_EXIT_CODE))
}

// --- Waiting for pipes ---

/// Waits until at least one of `pipes` is readable, or `timeout` passes: returns, for
/// each one, whether it is ready (data is there, or every writer has closed its end).
/// Windows has no `poll` for pipes: this asks `PeekNamedPipe` how many bytes wait,
/// quickly at first, then every 10 ms.
///
/// Can safe code misuse this into undefined behaviour? No: the handles are borrowed
/// for the call and nothing is read.
pub fn wait_readable<Pipe: AsHandle>(
    pipes: &[Pipe],
    timeout: Duration,
) -> io::Result<Vec<bool>> {
    let deadline = Instant::now() + timeout;
    let mut pause = Duration::from_micros(100);
    loop {
        let ready: Vec<bool> =
            pipes.iter().map(|pipe| pipe_ready(pipe.as_handle())).collect();
        let now = Instant::now();
        if ready.contains(&true) || now >= deadline {
            return Ok(ready);
        }
        thread::sleep(pause.min(deadline - now));
        pause = (pause * 2).min(Duration::from_millis(10));
    }
}

/// Whether a read from `pipe` would return at once: bytes wait, or the pipe is broken
/// (every writer gone: the read returns end of file) or otherwise failing (the read
/// fails).
fn pipe_ready(pipe: BorrowedHandle<'_>) -> bool {
    let mut available: u32 = 0;
    // SAFETY: the handle is borrowed, so open during the call; `available` is a
    // writable u32; no buffer is given, so nothing else is written.
    let peeked = unsafe {
        PeekNamedPipe(
            // The pipe's read end (anonymous pipes are named pipes too).
            pipe.as_raw_handle(),
            std::ptr::null_mut(), // No buffer: do not copy any data…
            0,                    // …of length 0.
            std::ptr::null_mut(), // Bytes read into the buffer: not asked for.
            &mut available,       // How many bytes wait in the pipe.
            std::ptr::null_mut(), // Bytes left in this message: not asked for.
        )
    };
    peeked == FALSE || available > 0
}

/// Nothing to do on Windows, which has no SIGPIPE: a write to a pipe whose reader has
/// gone fails with `ErrorKind::BrokenPipe` in the thread that made it, as on Unix
/// once SIGPIPE is blocked there.
///
/// Can safe code misuse this into undefined behaviour? No: it does nothing.
pub fn block_sigpipe_in_this_thread() -> io::Result<()> {
    Ok(())
}

// --- Ctrl-C: a console control event, not a signal ---

/// What Ctrl-C delivers here: a console control event, to every process of the
/// console.
pub const INTERRUPT: &str = "CTRL_C_EVENT";

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// The console control handler [`catch_interrupt`] installs. Windows calls it on a
/// thread it creates for the purpose, so unlike a Unix signal handler it interrupts
/// nothing.
unsafe extern "system" fn record_interrupt(event: u32) -> windows_sys::core::BOOL {
    if event == CTRL_C_EVENT || event == CTRL_BREAK_EVENT {
        INTERRUPTED.store(true, Ordering::SeqCst);
        TRUE // Handled: do not end the process.
    } else {
        // Closing the console, logging off: the next handler (the default) decides.
        FALSE
    }
}

/// Catches Ctrl-C (and Ctrl-Break) until the returned guard is dropped: instead of
/// ending the process, the guard's flag is set (it dereferences to an `AtomicBool`).
/// Dropping it removes the handler, so Ctrl-C ends the process again. Unix: SIGINT;
/// Windows: a console control handler.
///
/// Can safe code misuse this into undefined behaviour? No: the handler only stores to
/// an atomic.
pub fn catch_interrupt() -> io::Result<CaughtInterrupt> {
    INTERRUPTED.store(false, Ordering::SeqCst);
    // SAFETY: `record_interrupt` has the signature Windows calls, and lives for ever.
    let added = unsafe {
        SetConsoleCtrlHandler(
            Some(record_interrupt), // The handler to add…
            TRUE,                   // …added, not removed.
        )
    };
    if added == FALSE {
        let error = io::Error::last_os_error();
        return Err(io::Error::new(
            error.kind(),
            format!("SetConsoleCtrlHandler: {error}"),
        ));
    }
    Ok(CaughtInterrupt(&INTERRUPTED))
}

/// Ctrl-C caught by [`catch_interrupt`]: dereferences to the flag its handler sets.
/// Dropping it removes the handler.
#[derive(Debug)]
#[must_use = "dropping the guard at once removes the Ctrl-C handler"]
pub struct CaughtInterrupt(&'static AtomicBool);

impl std::ops::Deref for CaughtInterrupt {
    type Target = AtomicBool;

    fn deref(&self) -> &AtomicBool {
        self.0
    }
}

impl Drop for CaughtInterrupt {
    fn drop(&mut self) {
        // SAFETY: removes the handler `catch_interrupt` added; it only changes this
        // process's list of handlers.
        let removed = unsafe {
            SetConsoleCtrlHandler(
                Some(record_interrupt), // The handler to remove…
                FALSE,                  // …removed.
            )
        };
        if removed == FALSE {
            let error = io::Error::last_os_error();
            eprintln!("warning: could not remove the Ctrl-C handler: {error}");
        }
    }
}

/// Ends this process as Ctrl-C ends one by default: exit code
/// `STATUS_CONTROL_C_EXIT`, which its parent sees. (On Unix: killed by SIGINT.)
///
/// Can safe code misuse this into undefined behaviour? No: only safe `std` calls.
pub fn die_of_interrupt() -> ! {
    let _unflushed_partial_line = io::stdout().flush();
    std::process::exit(STATUS_CONTROL_C_EXIT as i32)
}

// --- Crashes ---

/// Stops a crash of this process from opening Windows Error Reporting's dialog (which
/// waits for a click) and writing its report: the Windows counterpart of "no core
/// dump". For the children that crash on purpose.
///
/// Can safe code misuse this into undefined behaviour? No: it changes only this
/// process's error mode.
pub fn disable_core_dumps() -> io::Result<()> {
    // SAFETY: both calls only read and set this process's error-mode flags.
    unsafe {
        SetErrorMode(
            GetErrorMode() | SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX, // Add "no dialogs".
        );
    }
    Ok(())
}

/// Crashes this process as an invalid memory access does: it raises the exception a
/// fault raises, `STATUS_ACCESS_VIOLATION`, which nothing handles, so Windows ends
/// the process with that code as its exit code.
///
/// Can safe code misuse this into undefined behaviour? No: the exception is not
/// continuable, and the process ends in the handler search, before any frame is
/// unwound.
pub fn crash_invalid_memory_access() -> ! {
    // SAFETY: no arguments are passed (a null list of length 0).
    unsafe {
        RaiseException(
            STATUS_ACCESS_VIOLATION, // The exception code.
            1,                // EXCEPTION_NONCONTINUABLE: it cannot be resumed.
            0,                // No arguments…
            std::ptr::null(), // …none.
        );
    }
    // Not reached: an unhandled exception ends the process.
    std::process::exit(STATUS_ACCESS_VIOLATION as i32)
}

// --- What Linux reads in /proc ---

fn linux_only(what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::Unsupported,
        format!("{what}: measured on Linux and macOS only"),
    )
}

/// The thread count: measured on Linux and macOS only.
///
/// Can safe code misuse this into undefined behaviour? No: it calls nothing.
pub fn thread_count() -> io::Result<u64> {
    Err(linux_only("the thread count"))
}

/// The load average: Windows keeps none (no count of threads waiting for a CPU,
/// averaged over time).
///
/// Can safe code misuse this into undefined behaviour? No: it calls nothing.
pub fn load_average() -> Result<f64, &'static str> {
    Err("Windows keeps none")
}

/// What a file descriptor refers to: Windows has handles, not descriptors; `None`.
///
/// Can safe code misuse this into undefined behaviour? No: it calls nothing.
pub fn open_file(_fd: i32) -> Option<PathBuf> {
    None
}

/// The kernel function a process is blocked in: Linux's `/proc/<pid>/wchan` only;
/// `None`.
///
/// Can safe code misuse this into undefined behaviour? No: it calls nothing.
pub fn blocked_in(_pid: Pid) -> Option<String> {
    None
}
