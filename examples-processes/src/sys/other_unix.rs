//! Any other Unix (the BSDs, illumos, …): no pidfd, no `/proc` in Linux's format. The
//! layer builds and works there: a deadline wait polls, and the readers say they
//! measure on Linux (and macOS) only.

use std::io;
use std::path::PathBuf;
use std::time::Duration;

use super::Pid;

/// No way to sleep until a child ends that every Unix has: `open` gives `None` and
/// the caller polls `waitpid(WNOHANG)`, quickly at first, then every 10 ms.
pub(super) struct ExitWatcher;

impl ExitWatcher {
    pub(super) fn open(_pid: Pid) -> Option<ExitWatcher> {
        None
    }

    pub(super) fn wait(&self, _timeout: Duration) -> io::Result<bool> {
        Ok(false)
    }
}

fn linux_only(what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::Unsupported,
        format!("{what}: measured on Linux and macOS only"),
    )
}

/// Where a process's state would be read, in words.
pub const PROCESS_RECORD: &str = "the process table";
/// What [`private_dirty_kib`] would measure, in words.
pub const PRIVATE_MEMORY: &str = "private dirty memory";

/// A process's state letter: `None`, Linux's `/proc/<pid>/stat` is not here.
///
/// Can safe code misuse this into undefined behaviour? No: it calls nothing.
pub fn process_state(_pid: Pid) -> Option<char> {
    None
}

/// The kernel function a process is blocked in: `None`, Linux's `/proc/<pid>/wchan`
/// only.
///
/// Can safe code misuse this into undefined behaviour? No: it calls nothing.
pub fn blocked_in(_pid: Pid) -> Option<String> {
    None
}

/// Private dirty memory: not measured here.
///
/// Can safe code misuse this into undefined behaviour? No: it calls nothing.
pub fn private_dirty_kib() -> io::Result<u64> {
    Err(linux_only("private dirty memory"))
}

/// The thread count: not measured here.
///
/// Can safe code misuse this into undefined behaviour? No: it calls nothing.
pub fn thread_count() -> io::Result<u64> {
    Err(linux_only("the thread count"))
}

/// The load average: read on Linux and macOS only.
///
/// Can safe code misuse this into undefined behaviour? No: it calls nothing.
pub fn load_average() -> Result<f64, &'static str> {
    Err("read on Linux and macOS only")
}

/// What a file descriptor refers to: `None`, not looked up here.
///
/// Can safe code misuse this into undefined behaviour? No: it calls nothing.
pub fn open_file(_fd: i32) -> Option<PathBuf> {
    None
}
