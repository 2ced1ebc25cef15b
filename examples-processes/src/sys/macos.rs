//! The macOS part of the process layer: kqueue to sleep until a child ends, and
//! `proc_pidinfo`, `proc_pid_rusage` and `fcntl(F_GETPATH)` where Linux reads `/proc`
//! (macOS has no `/proc`). Compiled and checked by clippy on Linux; not run there.

use std::ffi::CStr;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::path::PathBuf;
use std::time::Duration;

use super::{Pid, check};

// --- Waiting for a child to end ---

/// Something to sleep on until a child ends: a kqueue with one `EVFILT_PROC` filter
/// asking for `NOTE_EXIT` of the child.
pub(super) struct ExitWatcher(OwnedFd);

impl ExitWatcher {
    /// A kqueue watching process `pid` for its exit; `None` if that fails (the
    /// process may have ended already: the caller then polls, and reaps it at once).
    ///
    /// Can safe code misuse this into undefined behaviour? No: `kevent` only reads
    /// the one change it is given.
    pub(super) fn open(pid: Pid) -> Option<ExitWatcher> {
        // SAFETY: `kqueue` takes no arguments and returns a new descriptor, or -1.
        let kqueue = check(unsafe { libc::kqueue() }, "kqueue").ok()?;
        // SAFETY: `kqueue` was just returned by the kernel, is open, and is owned by
        // nobody else.
        let kqueue = unsafe { OwnedFd::from_raw_fd(kqueue) };
        let change = libc::kevent {
            ident: pid as libc::uintptr_t, // The process to watch…
            filter: libc::EVFILT_PROC,     // …for a process event…
            flags: libc::EV_ADD | libc::EV_ONESHOT, // …added now, reported once…
            fflags: libc::NOTE_EXIT,       // …its exit.
            data: 0,                       // No filter data.
            udata: std::ptr::null_mut(),   // No user data.
        };
        // SAFETY: `change` is one valid `kevent` that outlives the call; no events
        // are asked for (a null list of length 0), so the kernel writes nothing; no
        // timeout is needed.
        let result = unsafe {
            libc::kevent(
                kqueue.as_raw_fd(), // The kqueue.
                &change,            // The one change to register…
                1,                  // …and how many there are.
                // Where to write events: nowhere, none are asked for.
                std::ptr::null_mut(),
                0,                // How many events to return at most.
                std::ptr::null(), // No timeout: registering does not block.
            )
        };
        // ESRCH: the process has already ended (or been reaped).
        check(result, "kevent(EVFILT_PROC)").ok()?;
        Some(ExitWatcher(kqueue))
    }

    /// Sleeps until the process ends (`true`), or `timeout` passes or a signal
    /// interrupts the wait (`false`).
    ///
    /// Can safe code misuse this into undefined behaviour? No: the kernel writes at
    /// most one event into a buffer of one.
    pub(super) fn wait(&self, timeout: Duration) -> io::Result<bool> {
        let timeout = libc::timespec {
            tv_sec: libc::time_t::try_from(timeout.as_secs())
                .unwrap_or(libc::time_t::MAX),
            tv_nsec: libc::c_long::from(timeout.subsec_nanos() as i32),
        };
        // SAFETY: all zeros is a valid `kevent` (integers and a null pointer).
        let mut event: libc::kevent = unsafe { std::mem::zeroed() };
        // SAFETY: `event` is one writable `kevent` and `timeout` a valid `timespec`,
        // both outliving the call; no changes are passed (a null list of length 0).
        let result = unsafe {
            libc::kevent(
                self.0.as_raw_fd(), // The kqueue with the child's NOTE_EXIT filter.
                std::ptr::null(),   // No changes…
                0,                  // …none.
                &mut event,         // Where the kernel writes the event…
                1,                  // …at most one.
                &timeout,           // How long to wait at most.
            )
        };
        match check(result, "kevent") {
            Ok(events) => Ok(events > 0),
            Err(error) if error.kind() == io::ErrorKind::Interrupted => Ok(false),
            Err(error) => Err(error),
        }
    }
}

// --- What Linux reads in /proc ---

/// The state of process `pid` as a letter, as Linux's `/proc/<pid>/stat` gives it:
/// `R` running, `S` sleeping, `T` stopped, `Z` zombie (ended, not yet waited for);
/// `None` if there is no such process. From `proc_pidinfo(PROC_PIDTBSDINFO)`'s
/// `pbi_status`; its argument 1 asks the kernel to find zombies too.
///
/// Can safe code misuse this into undefined behaviour? No: it only reads a copy the
/// kernel writes into our buffer.
pub fn process_state(pid: Pid) -> Option<char> {
    // SAFETY: all zeros is a valid `proc_bsdinfo` (integers and byte arrays).
    let mut info: libc::proc_bsdinfo = unsafe { std::mem::zeroed() };
    let size = std::mem::size_of::<libc::proc_bsdinfo>() as libc::c_int;
    // SAFETY: `info` is writable and `size` bytes long; the kernel writes at most
    // that.
    let written = unsafe {
        libc::proc_pidinfo(
            pid,                    // The process to describe.
            libc::PROC_PIDTBSDINFO, // Its BSD information, with its status.
            1,                      // 1: look among zombies too.
            (&raw mut info).cast(), // Where the kernel writes it…
            size,                   // …and how many bytes fit.
        )
    };
    if written != size {
        return None;
    }
    Some(match info.pbi_status {
        libc::SRUN => 'R',
        libc::SSLEEP => 'S',
        libc::SSTOP => 'T',
        libc::SZOMB => 'Z',
        libc::SIDL => 'I', // Being created.
        _ => '?',
    })
}

/// Where [`process_state`] reads, in words, for the examples' output.
pub const PROCESS_RECORD: &str = "proc_pidinfo(PID)";
/// What [`private_dirty_kib`] measures, in words.
pub const PRIVATE_MEMORY: &str = "physical footprint";

/// Which kernel function a process is blocked in: Linux's `/proc/<pid>/wchan` has no
/// macOS counterpart, so `None` (the example says "measured on Linux only").
///
/// Can safe code misuse this into undefined behaviour? No: it calls nothing.
pub fn blocked_in(_pid: Pid) -> Option<String> {
    None
}

/// This process's physical footprint in KiB (`ri_phys_footprint` of
/// `proc_pid_rusage`), the nearest macOS figure to Linux's `Private_Dirty`: the dirty
/// memory charged to this process alone (it also counts compressed pages). A forked
/// child's untouched copy-on-write pages are not in it until written.
///
/// Can safe code misuse this into undefined behaviour? No: it only reads a copy the
/// kernel writes into our buffer.
pub fn private_dirty_kib() -> io::Result<u64> {
    // SAFETY: all zeros is a valid `rusage_info_v2` (integers and a byte array).
    let mut info: libc::rusage_info_v2 = unsafe { std::mem::zeroed() };
    // SAFETY: `info` is a writable `rusage_info_v2`, the struct the `RUSAGE_INFO_V2`
    // flavour writes; the header types the buffer oddly as `rusage_info_t *`, hence
    // the cast.
    let result = unsafe {
        libc::proc_pid_rusage(
            super::current_pid(), // This process.
            libc::RUSAGE_INFO_V2, // The version of the struct.
            // Where the kernel writes it.
            (&raw mut info).cast::<libc::rusage_info_t>(),
        )
    };
    check(result, "proc_pid_rusage(RUSAGE_INFO_V2)")?;
    Ok(info.ri_phys_footprint / 1024)
}

/// How many threads this process has (`pti_threadnum` of
/// `proc_pidinfo(PROC_PIDTASKINFO)`).
///
/// Can safe code misuse this into undefined behaviour? No: see `task_info`, which the
/// kernel writes into a local.
pub fn thread_count() -> io::Result<u64> {
    u64::try_from(task_info()?.pti_threadnum)
        .map_err(|_| io::Error::other("a negative thread count"))
}

/// This process's Mach task information, `proc_pidinfo(PROC_PIDTASKINFO)`.
///
/// Can safe code misuse this into undefined behaviour? No: it only reads a copy the
/// kernel writes into our buffer.
fn task_info() -> io::Result<libc::proc_taskinfo> {
    // SAFETY: all zeros is a valid `proc_taskinfo` (integers only).
    let mut info: libc::proc_taskinfo = unsafe { std::mem::zeroed() };
    let size = std::mem::size_of::<libc::proc_taskinfo>() as libc::c_int;
    // SAFETY: `info` is writable and `size` bytes long; the kernel writes at most
    // that.
    let written = unsafe {
        libc::proc_pidinfo(
            super::current_pid(), // This process.
            // Its Mach task information, with the thread count.
            libc::PROC_PIDTASKINFO,
            0,                      // No argument for this flavour.
            (&raw mut info).cast(), // Where the kernel writes it…
            size,                   // …and how many bytes fit.
        )
    };
    if written != size {
        let error = io::Error::last_os_error();
        return Err(io::Error::new(
            error.kind(),
            format!("proc_pidinfo(PROC_PIDTASKINFO): {error}"),
        ));
    }
    Ok(info)
}

/// The load average over the last minute, from `getloadavg` (the kernel's
/// `vm.loadavg`): how many threads, on average, were running or waiting for a CPU.
///
/// Can safe code misuse this into undefined behaviour? No: the kernel writes at most
/// the one figure asked for into a local.
pub fn load_average() -> Result<f64, &'static str> {
    let mut loads = [0.0; 1];
    // SAFETY: `getloadavg` writes at most `nelem` doubles into `loads`, which holds
    // that many.
    let written = unsafe {
        libc::getloadavg(
            loads.as_mut_ptr(), // Where to write the averages…
            1,                  // …and how many: the last minute's only.
        )
    };
    if written == 1 { Ok(loads[0]) } else { Err("getloadavg failed") }
}

/// What file descriptor `fd` of this process refers to (`fcntl(F_GETPATH)`), or
/// `None` if it is not open or has no path.
///
/// Can safe code misuse this into undefined behaviour? No: the buffer is as large as
/// the call's documented maximum.
pub fn open_file(fd: i32) -> Option<PathBuf> {
    let mut path = [0 as libc::c_char; libc::MAXPATHLEN as usize];
    // SAFETY: `F_GETPATH` writes at most `MAXPATHLEN` bytes, NUL included, into
    // `path`.
    let result = unsafe {
        libc::fcntl(
            fd,                // The descriptor to look up.
            libc::F_GETPATH,   // Ask for its path…
            path.as_mut_ptr(), // …written here.
        )
    };
    check(result, "fcntl(F_GETPATH)").ok()?;
    // SAFETY: on success the kernel wrote a NUL-terminated string into `path`.
    let path = unsafe { CStr::from_ptr(path.as_ptr()) };
    Some(PathBuf::from(path.to_string_lossy().into_owned()))
}
