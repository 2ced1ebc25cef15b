//! The only unsafe code of `shared`: each platform call wrapped once in a safe function,
//! behind `cfg(…)` so that every target builds. Callers use the safe functions.

/// Restores the default action of SIGPIPE: the process ends, silently, when it writes to a
/// pipe whose reader has gone (`examples-threads | head -1`).
///
/// Rust programs start with SIGPIPE ignored, so such a write returns `BrokenPipe` and
/// `println!` panics with "failed printing to stdout". Handling `BrokenPipe` at every print
/// would clutter every example; the default action is what `cat`, `yes` and every C tool do.
///
/// **Process-wide, and for the rest of the process's life**: a signal's action belongs to the
/// process, not to a thread, so every thread's writes to any pipe (not only stdout) end the
/// process from then on. Call it only at the start of a program's `main`, as the binaries do,
/// never from a library or a test that shares its process. It is not put back when the example
/// ends, on purpose: a thread may still print while the process exits (`detached`'s heartbeat
/// thread does), and with SIGPIPE ignored again its next print to a closed stdout would panic
/// instead of ending quietly. Forked children inherit the default action; `Command` children
/// get it whatever this process does (std resets SIGPIPE to the default before `exec`: Rust
/// 1.95, library/std/src/sys/process/unix/unix.rs). A thread that must survive a closed pipe
/// blocks SIGPIPE for itself (`examples_processes::sys::block_sigpipe_in_this_thread`).
///
/// Can safe code misuse this into undefined behaviour? No: it installs no handler, only the
/// default action, so no code of ours ever runs inside a signal.
#[cfg(unix)]
pub fn restore_default_sigpipe() {
    // `sigaction`, not `signal`: POSIX leaves `signal` unspecified in a process with several
    // threads (glibc's is `sigaction` underneath: sysdeps/posix/signal.c).
    // SAFETY: `sigaction` is a plain C struct of integers, a handler stored as an integer and a
    // signal set; all zeros is a valid value, and `sigemptyset` then empties the set the POSIX
    // way.
    let mut action: libc::sigaction = unsafe { std::mem::zeroed() };
    // SAFETY: `sa_mask` is a valid, writable `sigset_t`; this only clears its bits.
    unsafe { libc::sigemptyset(&mut action.sa_mask) };
    action.sa_sigaction = libc::SIG_DFL; // The default action: terminate the process.
    // SAFETY: `action` is a valid `sigaction` that installs no handler (so no
    // async-signal-safety concern) and touches no memory of ours; the old action is not asked
    // for (null).
    let result = unsafe {
        libc::sigaction(
            libc::SIGPIPE,        // The signal whose action we set.
            &action,              // Its default action.
            std::ptr::null_mut(), // Where to store the old action: nowhere.
        )
    };
    // It fails only for an invalid signal number, which SIGPIPE is not.
    debug_assert_eq!(result, 0, "sigaction(SIGPIPE, SIG_DFL) failed");
}

/// Nothing to do: only Unix has SIGPIPE. On Windows a write to a pipe whose reader has gone
/// fails with an error (`ERROR_NO_DATA`, Rust's `BrokenPipe`) and no signal is sent:
/// [`end_quietly_on_closed_stdout`] deals with it there.
#[cfg(not(unix))]
pub fn restore_default_sigpipe() {}

/// Makes a write to a closed stdout (`examples-threads | head -1`) end the whole process at
/// once, silently, from whichever thread wrote: on Unix SIGPIPE's default action
/// ([`restore_default_sigpipe`]: process-wide, for the rest of the process's life).
#[cfg(unix)]
pub fn end_quietly_on_closed_stdout() {
    restore_default_sigpipe();
}

/// Makes a write to a closed stdout (`examples-threads | head -1`) end the whole process at
/// once, silently, from whichever thread wrote, with exit code
/// [`CLOSED_STDOUT_EXIT_CODE`](crate::cli::CLOSED_STDOUT_EXIT_CODE): Windows' counterpart of
/// SIGPIPE's default action, which Windows lacks.
///
/// There the write fails with one of [`CLOSED_PIPE_ERRORS`] and `println!` panics with
/// "failed printing to stdout: The pipe is being closed. (os error 232)" (Rust 1.95's
/// `print_to`, library/std/src/io/stdio.rs). This installs a panic hook, chained to the one
/// before it, that recognises that panic (the failed write's error code says the pipe is
/// closed, and [`stdout_is_pipe`]) and exits at once instead of printing the panic message:
/// the whole process, even when a spawned thread printed, as SIGPIPE does. Every other panic
/// goes on to the previous hook unchanged.
#[cfg(windows)]
pub fn end_quietly_on_closed_stdout() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // std's payload for a formatted `panic!` is a `String` (`payload_as_str` needs Rust
        // 1.91, above our minimum).
        let message = info.payload().downcast_ref::<String>();
        if message.is_some_and(|message| is_closed_stdout_message(message)) && stdout_is_pipe() {
            std::process::exit(i32::from(crate::cli::CLOSED_STDOUT_EXIT_CODE));
        }
        previous(info);
    }));
}

/// Nothing to do where there is neither SIGPIPE nor the Windows pipe errors.
#[cfg(not(any(unix, windows)))]
pub fn end_quietly_on_closed_stdout() {}

/// The Windows errors of a write to a pipe whose reader has gone: `ERROR_NO_DATA` (232, "The
/// pipe is being closed", what Windows gives), `ERROR_BROKEN_PIPE` (109) and
/// `ERROR_PIPE_NOT_CONNECTED` (233, what Wine gives, from the host's EPIPE).
pub const CLOSED_PIPE_ERRORS: [i32; 3] = [232, 109, 233];

/// Whether a panic message is std's for a `print!` to stdout that failed on a closed pipe:
/// `failed printing to stdout: The pipe is being closed. (os error 232)`. std formats an OS
/// error as "DESCRIPTION (os error CODE)"; the description is the system's, in its language,
/// so only the code is matched.
pub fn is_closed_stdout_message(message: &str) -> bool {
    message.starts_with("failed printing to stdout: ")
        && CLOSED_PIPE_ERRORS.iter().any(|code| message.ends_with(&format!("(os error {code})")))
}

/// Whether stdout is a pipe (not a console, a file or nothing), from `GetFileType`.
///
/// Whether its reader has gone cannot be asked without writing: a write of zero bytes
/// succeeds on such a pipe under Wine 8, and nothing else (`GetNamedPipeInfo`,
/// `GetNamedPipeHandleState`) tells. So the evidence of a closed stdout is the failed write's
/// own error code ([`is_closed_stdout_message`]), and this checks the handle is a pipe at all.
///
/// Can safe code misuse this into undefined behaviour? No: the handle is std's stdout handle,
/// only borrowed for the call, which reads nothing but its kind.
#[cfg(windows)]
pub fn stdout_is_pipe() -> bool {
    use std::os::windows::io::AsRawHandle;
    use windows_sys::Win32::Storage::FileSystem::{FILE_TYPE_PIPE, GetFileType};
    // Not `stdout().lock()`: the thread that panicked, or another, may hold std's lock.
    let handle = std::io::stdout().as_raw_handle();
    // SAFETY: `GetFileType` only reads the handle's kind; a closed or invalid handle makes it
    // return FILE_TYPE_UNKNOWN, not undefined behaviour.
    let kind = unsafe {
        GetFileType(
            handle, // This process's stdout.
        )
    };
    kind == FILE_TYPE_PIPE
}

// --- The machine and this process's memory, for `measure` ---
//
// Linux reads them as text from /proc (no unsafe code); macOS asks `sysctl` and
// `proc_pidinfo`; Windows asks kernel32 and the registry. Elsewhere each answer is an `Err`
// with the reason, which the report prints as `{"skipped": reason}`.

/// What the resident-memory figures are, on this platform (`Err`: why there are none).
pub const RESIDENT_MEMORY_SOURCE: Result<&str, &str> = if cfg!(target_os = "linux") {
    Ok("VmRSS in /proc/self/status")
} else if cfg!(target_os = "macos") {
    Ok("pti_resident_size from proc_pidinfo")
} else if cfg!(target_os = "windows") {
    Ok("the working set, from GetProcessMemoryInfo")
} else {
    Err("no resident-memory reader for this platform")
};

/// The `Name:   1234 kB` field of a Linux `/proc` file, in KiB (`/proc/self/status`'s
/// `VmRSS`, `/proc/PID/smaps_rollup`'s `Pss`).
pub fn read_proc_kib_field(path: &str, field: &str) -> Result<u64, String> {
    let text = std::fs::read_to_string(path).map_err(|error| format!("reading {path}: {error}"))?;
    let prefix = format!("{field}:");
    let line = text
        .lines()
        .find(|line| line.starts_with(&prefix))
        .ok_or_else(|| format!("no field '{field}' in {path}"))?;
    let value = line[prefix.len()..].trim().trim_end_matches("kB").trim();
    value.parse().map_err(|_| format!("field '{field}' of {path} is not a number of kB: {line}"))
}

/// A Linux text file's content, empty when it cannot be read.
#[cfg(target_os = "linux")]
fn read_text(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// This process's resident memory (all its threads), in KiB: VmRSS on Linux.
#[cfg(target_os = "linux")]
pub fn resident_kib() -> Result<u64, String> {
    read_proc_kib_field("/proc/self/status", "VmRSS")
}

/// The CPU model (`model name` in `/proc/cpuinfo`).
#[cfg(target_os = "linux")]
pub fn cpu_model() -> Option<String> {
    let cpuinfo = read_text("/proc/cpuinfo");
    let model = cpuinfo.lines().find_map(|line| line.strip_prefix("model name")?.split_once(':'));
    model.map(|(_, name)| name.trim().to_owned())
}

/// Total memory in bytes (`MemTotal` in `/proc/meminfo`).
#[cfg(target_os = "linux")]
pub fn memory_bytes() -> Option<u64> {
    read_proc_kib_field("/proc/meminfo", "MemTotal").ok().map(|kib| kib * 1024)
}

/// The kernel and its release, `Linux 6.1.0` (`/proc/sys/kernel`).
#[cfg(target_os = "linux")]
pub fn kernel() -> Option<String> {
    let (kind, release) = (read_text("/proc/sys/kernel/ostype"), read_text("/proc/sys/kernel/osrelease"));
    (!kind.is_empty()).then(|| format!("{} {}", kind.trim(), release.trim()))
}

/// The transparent huge pages setting (`always`, `madvise`, `never`), a Linux feature: the
/// bracketed word of `/sys/kernel/mm/transparent_hugepage/enabled`.
#[cfg(target_os = "linux")]
pub fn transparent_huge_pages() -> Result<String, String> {
    let setting = read_text("/sys/kernel/mm/transparent_hugepage/enabled");
    let chosen = setting.split_whitespace().find_map(|word| word.strip_prefix('[')?.strip_suffix(']'));
    chosen.map(str::to_owned).ok_or_else(|| "/sys/kernel/mm/transparent_hugepage is unreadable".to_owned())
}

/// The transparent huge pages setting: Linux only.
#[cfg(not(target_os = "linux"))]
pub fn transparent_huge_pages() -> Result<String, String> {
    Err("transparent huge pages are a Linux feature".to_owned())
}

/// The load average over the last minute (the first field of `/proc/loadavg`): how many
/// threads were runnable or in uninterruptible sleep, on average. Above the CPU count, the
/// machine was busy with other work and every timing is slower.
#[cfg(target_os = "linux")]
pub fn load_average() -> Option<f64> {
    read_text("/proc/loadavg").split_whitespace().next()?.parse().ok()
}

/// The load average: read on Linux only.
#[cfg(not(target_os = "linux"))]
pub fn load_average() -> Option<f64> {
    None
}

/// A string-valued `sysctl` of macOS, by name (`machdep.cpu.brand_string`).
///
/// Can safe code misuse this into undefined behaviour? No: `name` is copied into a
/// NUL-terminated string here, and the buffer passed is sized by the first call and owned here.
#[cfg(target_os = "macos")]
fn sysctl_string(name: &str) -> Option<String> {
    let name = std::ffi::CString::new(name).ok()?;
    let mut length: libc::size_t = 0;
    // SAFETY: with a null buffer, `sysctlbyname` only writes the value's size into `length`,
    // a live local; `name` is NUL-terminated and outlives the call.
    let status = unsafe {
        libc::sysctlbyname(
            name.as_ptr(),        // The value's name.
            std::ptr::null_mut(), // No buffer: ask for the size.
            &mut length,          // Out: the size, in bytes.
            std::ptr::null_mut(), // Nothing to set.
            0,                    // Nothing to set.
        )
    };
    if status != 0 || length == 0 {
        return None;
    }
    let mut buffer = vec![0u8; length];
    // SAFETY: `buffer` is `length` writable bytes and `length` says so; `sysctlbyname` writes
    // at most that many and stores the count written in `length`.
    let status = unsafe {
        libc::sysctlbyname(
            name.as_ptr(),              // The value's name.
            buffer.as_mut_ptr().cast(), // Out: the value.
            &mut length,                // In: the buffer's size; out: the bytes written.
            std::ptr::null_mut(),       // Nothing to set.
            0,                          // Nothing to set.
        )
    };
    if status != 0 {
        return None;
    }
    buffer.truncate(length);
    let text = String::from_utf8_lossy(&buffer);
    Some(text.trim_end_matches('\0').trim().to_owned())
}

/// This process's resident memory (all its threads), in KiB: `pti_resident_size` of
/// `proc_pidinfo(PROC_PIDTASKINFO)` on macOS.
///
/// Can safe code misuse this into undefined behaviour? No: the only buffer passed is a local
/// `proc_taskinfo`, and its true size is passed with it.
#[cfg(target_os = "macos")]
pub fn resident_kib() -> Result<u64, String> {
    // SAFETY: `proc_taskinfo` is plain integers, for which all zero bits are a valid value.
    let mut info: libc::proc_taskinfo = unsafe { std::mem::zeroed() };
    let size = std::mem::size_of::<libc::proc_taskinfo>() as libc::c_int;
    // SAFETY: `info` is a live, writable `proc_taskinfo` of `size` bytes; `proc_pidinfo`
    // writes at most `size` bytes into it and returns how many it wrote.
    let written = unsafe {
        libc::proc_pidinfo(
            libc::getpid(),         // This process.
            libc::PROC_PIDTASKINFO, // What to read: the task's counters.
            0,                      // No argument for this flavour.
            (&raw mut info).cast(), // Out: the counters.
            size,                   // The buffer's size.
        )
    };
    if written != size {
        return Err(format!("proc_pidinfo(PROC_PIDTASKINFO) wrote {written} bytes, not {size}"));
    }
    Ok(info.pti_resident_size / 1024)
}

/// The CPU model (`machdep.cpu.brand_string`: `Apple M2`, `Intel(R) Core(TM) i7-…`).
#[cfg(target_os = "macos")]
pub fn cpu_model() -> Option<String> {
    sysctl_string("machdep.cpu.brand_string")
}

/// Total memory in bytes (`hw.memsize`, a 64-bit integer).
///
/// Can safe code misuse this into undefined behaviour? No: the buffer is a local `u64` and
/// its size is passed with it.
#[cfg(target_os = "macos")]
pub fn memory_bytes() -> Option<u64> {
    let (mut bytes, mut length): (u64, libc::size_t) = (0, std::mem::size_of::<u64>());
    // SAFETY: `bytes` is a live, writable `u64` and `length` its size; the name is a
    // NUL-terminated literal.
    let status = unsafe {
        libc::sysctlbyname(
            c"hw.memsize".as_ptr(),  // The value's name.
            (&raw mut bytes).cast(), // Out: the value.
            &mut length,             // In: the buffer's size; out: the bytes written.
            std::ptr::null_mut(),    // Nothing to set.
            0,                       // Nothing to set.
        )
    };
    (status == 0 && length == std::mem::size_of::<u64>()).then_some(bytes)
}

/// The kernel and the system, `Darwin 23.2.0 (macOS 14.2.1)`.
#[cfg(target_os = "macos")]
pub fn kernel() -> Option<String> {
    let (kind, release) = (sysctl_string("kern.ostype")?, sysctl_string("kern.osrelease")?);
    Some(match sysctl_string("kern.osproductversion") {
        Some(version) => format!("{kind} {release} (macOS {version})"),
        None => format!("{kind} {release}"),
    })
}

/// A string value of the registry under `HKEY_LOCAL_MACHINE`.
///
/// Can safe code misuse this into undefined behaviour? No: both names are copied into
/// NUL-terminated UTF-16 here, and the buffer passed is owned here with its true size.
#[cfg(target_os = "windows")]
fn registry_string(key: &str, value: &str) -> Option<String> {
    use windows_sys::Win32::Foundation::ERROR_SUCCESS;
    use windows_sys::Win32::System::Registry::{HKEY_LOCAL_MACHINE, RRF_RT_REG_SZ, RegGetValueW};
    let wide = |text: &str| text.encode_utf16().chain([0]).collect::<Vec<u16>>();
    let (key, value) = (wide(key), wide(value));
    let mut buffer = vec![0u16; 256];
    let mut size = (buffer.len() * 2) as u32;
    // SAFETY: `key` and `value` are NUL-terminated UTF-16 that outlive the call; `buffer` is
    // `size` writable bytes; `RegGetValueW` writes at most that many (a NUL-terminated
    // string, as RRF_RT_REG_SZ asks) and stores the count in `size`.
    let status = unsafe {
        RegGetValueW(
            HKEY_LOCAL_MACHINE,         // The machine's hive.
            key.as_ptr(),               // The key's path.
            value.as_ptr(),             // The value's name.
            RRF_RT_REG_SZ,              // Only a string value will do.
            std::ptr::null_mut(),       // Its type: not needed.
            buffer.as_mut_ptr().cast(), // Out: the string.
            &mut size,                  // In: the buffer's size; out: the bytes written.
        )
    };
    if status != ERROR_SUCCESS {
        return None;
    }
    buffer.truncate(size as usize / 2);
    let text = String::from_utf16_lossy(&buffer);
    Some(text.trim_end_matches('\0').trim().to_owned())
}

/// This process's resident memory (all its threads), in KiB: its working set (the pages in
/// physical memory now), from `K32GetProcessMemoryInfo`.
///
/// Can safe code misuse this into undefined behaviour? No: the only buffer passed is a local
/// `PROCESS_MEMORY_COUNTERS`, and its true size is passed with it.
#[cfg(target_os = "windows")]
pub fn resident_kib() -> Result<u64, String> {
    use windows_sys::Win32::System::ProcessStatus::{K32GetProcessMemoryInfo, PROCESS_MEMORY_COUNTERS};
    use windows_sys::Win32::System::Threading::GetCurrentProcess;
    let size = std::mem::size_of::<PROCESS_MEMORY_COUNTERS>() as u32;
    let mut counters = PROCESS_MEMORY_COUNTERS { cb: size, ..Default::default() };
    // SAFETY: `GetCurrentProcess` returns a pseudo-handle that needs no closing; `counters`
    // is a live, writable struct of `size` bytes, which the call fills.
    let ok = unsafe {
        K32GetProcessMemoryInfo(
            GetCurrentProcess(), // This process.
            &mut counters,       // Out: its memory counters.
            size,                // The struct's size.
        )
    };
    if ok == 0 {
        return Err(format!("GetProcessMemoryInfo failed: {}", std::io::Error::last_os_error()));
    }
    Ok(counters.WorkingSetSize as u64 / 1024)
}

/// The CPU model, from the registry (`ProcessorNameString` of CPU 0).
#[cfg(target_os = "windows")]
pub fn cpu_model() -> Option<String> {
    registry_string(r"HARDWARE\DESCRIPTION\System\CentralProcessor\0", "ProcessorNameString")
}

/// Total memory in bytes (`ullTotalPhys` of `GlobalMemoryStatusEx`).
///
/// Can safe code misuse this into undefined behaviour? No: the only buffer passed is a local
/// `MEMORYSTATUSEX` whose `dwLength` says its true size.
#[cfg(target_os = "windows")]
pub fn memory_bytes() -> Option<u64> {
    use windows_sys::Win32::System::SystemInformation::{GlobalMemoryStatusEx, MEMORYSTATUSEX};
    let mut status =
        MEMORYSTATUSEX { dwLength: std::mem::size_of::<MEMORYSTATUSEX>() as u32, ..Default::default() };
    // SAFETY: `status` is a live, writable `MEMORYSTATUSEX` with `dwLength` set, as required.
    let ok = unsafe {
        GlobalMemoryStatusEx(
            &mut status, // Out: the memory figures.
        )
    };
    (ok != 0).then_some(status.ullTotalPhys)
}

/// The system, `Windows (build 22631)`: the build number from the registry (its
/// `ProductName` says "Windows 10" on Windows 11 too, so it is not used).
#[cfg(target_os = "windows")]
pub fn kernel() -> Option<String> {
    let build = registry_string(r"SOFTWARE\Microsoft\Windows NT\CurrentVersion", "CurrentBuild")?;
    Some(format!("Windows (build {build})"))
}

/// This process's resident memory: no reader on this platform.
#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
pub fn resident_kib() -> Result<u64, String> {
    Err("no resident-memory reader for this platform".to_owned())
}

/// The CPU model: not read on this platform.
#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
pub fn cpu_model() -> Option<String> {
    None
}

/// Total memory: not read on this platform.
#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
pub fn memory_bytes() -> Option<u64> {
    None
}

/// The kernel: `std::env::consts::OS` only.
#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
pub fn kernel() -> Option<String> {
    Some(std::env::consts::OS.to_owned())
}

// --- Which CPU, and one clock for every process, for the trace recorder (`crate::trace`) ---

/// Where [`current_cpu`] gets its answer on this platform, or why it gets none: the line an
/// example prints when it cannot name CPUs.
pub const CURRENT_CPU_SOURCE: Result<&str, &str> = if cfg!(target_os = "linux") {
    Ok("sched_getcpu")
} else if cfg!(target_os = "macos") {
    Ok("pthread_cpu_number_np")
} else if cfg!(target_os = "windows") {
    Ok("GetCurrentProcessorNumber")
} else {
    Err("this platform has no call, wrapped here, that says which CPU a thread runs on")
};

/// The number of the CPU the calling thread is running on at this instant, or `None` if the
/// system cannot say. The scheduler may move the thread right after: the answer is a sample.
///
/// Can safe code misuse this into undefined behaviour? No: it takes nothing, hands out a
/// plain number, and the call only reads the calling thread's own scheduling state.
#[cfg(target_os = "linux")]
pub fn current_cpu() -> Option<usize> {
    // SAFETY: `sched_getcpu` (glibc ≥ 2.6, musl) takes no arguments, touches no memory of
    // ours and only reads the calling thread's scheduling state; it returns -1 (errno set)
    // on failure, which `try_from` turns into `None`.
    let cpu = unsafe { libc::sched_getcpu() };
    usize::try_from(cpu).ok()
}

/// The number of the CPU the calling thread is running on at this instant, or `None` if the
/// system cannot say. The scheduler may move the thread right after: the answer is a sample.
/// `pthread_cpu_number_np` is in macOS 11 (2020) and later.
///
/// Can safe code misuse this into undefined behaviour? No: the only pointer passed is to a
/// local variable of the right type that lives across the call, and nothing else is shared.
#[cfg(target_os = "macos")]
pub fn current_cpu() -> Option<usize> {
    let mut cpu: libc::size_t = 0;
    // SAFETY: `pthread_cpu_number_np` writes one `size_t` through its pointer and keeps no
    // copy of it; `cpu` is a live, aligned, writable `size_t`. It returns 0 on success, an
    // error number otherwise (then `cpu` is not used).
    let status = unsafe {
        libc::pthread_cpu_number_np(
            &mut cpu, // Out: the CPU number.
        )
    };
    (status == 0).then_some(cpu)
}

/// The number of the CPU the calling thread is running on at this instant (within its
/// processor group of at most 64 CPUs), or `None` if the system cannot say. The scheduler
/// may move the thread right after: the answer is a sample.
///
/// Can safe code misuse this into undefined behaviour? No: it takes nothing, hands out a
/// plain number, and the call only reads the calling thread's own scheduling state.
#[cfg(target_os = "windows")]
pub fn current_cpu() -> Option<usize> {
    // SAFETY: `GetCurrentProcessorNumber` (kernel32, Windows Vista and later) takes no
    // arguments, touches no memory of ours and cannot fail.
    let cpu = unsafe { windows_sys::Win32::System::Threading::GetCurrentProcessorNumber() };
    usize::try_from(cpu).ok()
}

/// No call for the CPU number is wrapped for this platform: always `None`
/// ([`CURRENT_CPU_SOURCE`] says why). Examples still show their lesson without it.
#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
pub fn current_cpu() -> Option<usize> {
    None
}

/// The clock [`monotonic_ns`] reads: the one `std::time::Instant` reads on this platform, and
/// the one CPython's `time.perf_counter_ns()` reads (`time.get_clock_info("perf_counter")`
/// names it), so Rust's and Python's timestamps fall on one axis.
pub const MONOTONIC_CLOCK: &str = if cfg!(target_os = "macos") {
    "clock_gettime(CLOCK_UPTIME_RAW), which is mach_absolute_time() in ns"
} else if cfg!(windows) {
    "QueryPerformanceCounter()"
} else {
    "clock_gettime(CLOCK_MONOTONIC)"
};

/// Nanoseconds on the machine's monotonic clock ([`MONOTONIC_CLOCK`]): the same reading in
/// every process, so a child's timestamps and its parent's can be compared. (`Instant` reads
/// the same clock, but its value is opaque: it cannot be sent to another process.)
///
/// Can safe code misuse this into undefined behaviour? No: the only pointer passed is to a
/// local `timespec` that lives across the call.
#[cfg(unix)]
pub fn monotonic_ns() -> u64 {
    // macOS: CLOCK_UPTIME_RAW is mach_absolute_time() (what Instant and CPython read there);
    // elsewhere CLOCK_MONOTONIC (what Instant and CPython read on Linux and the BSDs).
    #[cfg(target_os = "macos")]
    const CLOCK: libc::clockid_t = libc::CLOCK_UPTIME_RAW;
    #[cfg(not(target_os = "macos"))]
    const CLOCK: libc::clockid_t = libc::CLOCK_MONOTONIC;
    let mut now = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `clock_gettime` writes one `timespec` through its pointer and keeps no copy;
    // `now` is a live, aligned, writable `timespec`. It fails only for an unknown clock id,
    // and both ids are supported by every kernel we build for (Linux ≥ 2.6, macOS ≥ 10.12).
    let status = unsafe {
        libc::clock_gettime(
            CLOCK,    // Which clock.
            &mut now, // Out: its reading.
        )
    };
    debug_assert_eq!(status, 0, "clock_gettime failed");
    (now.tv_sec as u64).saturating_mul(1_000_000_000) + now.tv_nsec as u64
}

/// Nanoseconds on the machine's monotonic clock ([`MONOTONIC_CLOCK`]): the same reading in
/// every process, so a child's timestamps and its parent's can be compared.
///
/// Can safe code misuse this into undefined behaviour? No: the only pointers passed are to
/// local integers that live across the calls.
#[cfg(windows)]
pub fn monotonic_ns() -> u64 {
    use windows_sys::Win32::System::Performance::{QueryPerformanceCounter, QueryPerformanceFrequency};
    let (mut counter, mut frequency) = (0i64, 0i64);
    // SAFETY: each call writes one `i64` through its pointer and keeps no copy; both are live,
    // aligned, writable locals. Both calls cannot fail on Windows XP and later.
    unsafe {
        QueryPerformanceCounter(&mut counter); // Out: the counter, in ticks.
        QueryPerformanceFrequency(&mut frequency); // Out: ticks per second.
    }
    (counter as u128 * 1_000_000_000 / frequency.max(1) as u128) as u64
}

// --- Running a reader's program for an exercise's check (`crate::exercise`) ---

/// Starts the command in a process group of its own, so that
/// [`kill_process_group`] ends it with every process it started.
#[cfg(unix)]
pub fn own_process_group(command: &mut std::process::Command) {
    use std::os::unix::process::CommandExt;
    command.process_group(0);
}

/// Windows has no process groups of this kind: the child alone is killed.
#[cfg(not(unix))]
pub fn own_process_group(_command: &mut std::process::Command) {}

/// Kills the process group that `child` leads (started with [`own_process_group`]):
/// the child and every process it started that is still in its group. The caller
/// still waits for the child.
///
/// Can safe code misuse this into undefined behaviour? No: it sends a signal, which
/// touches no memory of ours; at worst it signals a group that no longer exists.
#[cfg(unix)]
pub fn kill_process_group(child: &mut std::process::Child) {
    // A child not yet waited for keeps its pid, so the group's id (the pid) cannot have
    // been reused by another group.
    let Ok(group) = libc::pid_t::try_from(child.id()) else { return };
    if group > 1 {
        // SAFETY: `kill` takes plain integers and touches no memory; a negative pid
        // names the process group `group`, which is > 1, so never "every process" (-1).
        unsafe { libc::kill(-group, libc::SIGKILL) };
    }
    // Never started its group (or already gone): the child itself.
    let _ = child.kill();
}

/// Whether any process is still in the process group that `child` led (started with
/// [`own_process_group`]): after the child has exited, these are the processes it
/// left behind.
#[cfg(unix)]
pub fn process_group_alive(child: &std::process::Child) -> bool {
    let Ok(group) = libc::pid_t::try_from(child.id()) else { return false };
    // SAFETY: signal 0 is only the check that a process of the group exists (and may
    // be signalled); nothing is sent, no memory is touched; `group > 1` rules out -1.
    group > 1 && unsafe { libc::kill(-group, 0) } == 0
}

/// Sends SIGINT to the process group whose leader has the pid `leader` (a child
/// started with [`own_process_group`]), as a terminal does on Ctrl-C.
#[cfg(unix)]
pub fn interrupt_process_group(leader: u32) {
    let Ok(group) = libc::pid_t::try_from(leader) else { return };
    if group > 1 {
        // SAFETY: as in `kill_process_group`: plain integers, no memory touched. The
        // caller sends it while the leader is not yet waited for, so its group's id
        // is still its own.
        unsafe { libc::kill(-group, libc::SIGINT) };
    }
}

/// Makes this process a "child subreaper" (Linux, `prctl(2)`, since 3.4): a process
/// that one of our children leaves behind when it exits becomes our child, not
/// init's, so that a zombie it never waited for stays visible in its group until
/// [`reap_process_group`] reaps it. Elsewhere nothing changes: init adopts them.
#[cfg(target_os = "linux")]
pub fn become_subreaper() {
    // SAFETY: PR_SET_CHILD_SUBREAPER takes an integer flag and touches no memory;
    // the unused arguments are 0, as prctl(2) asks.
    unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) };
}

/// Not Linux: no subreaper; what a program leaves behind is init's to reap.
#[cfg(not(target_os = "linux"))]
pub fn become_subreaper() {}

/// Reaps every process of the group that `child` led that is our child now (the
/// ones we adopted as a subreaper), waiting for each killed one to end.
#[cfg(unix)]
pub fn reap_process_group(child: &std::process::Child) {
    let Ok(group) = libc::pid_t::try_from(child.id()) else { return };
    if group <= 1 {
        return;
    }
    loop {
        let mut status = 0;
        // SAFETY: `waitpid` writes only the local `status`; the negative pid names the
        // process group `group` (> 1), never "any child" (-1).
        let reaped = unsafe { libc::waitpid(-group, &mut status, 0) };
        if reaped <= 0 {
            return; // ECHILD: no child of ours is left in the group.
        }
    }
}

/// Windows: nothing to reap.
#[cfg(not(unix))]
pub fn reap_process_group(_child: &std::process::Child) {}

/// Windows has no SIGINT to send to a group: nothing is sent.
#[cfg(not(unix))]
pub fn interrupt_process_group(_leader: u32) {}

/// Windows has no process groups of this kind: no strays are found.
#[cfg(not(unix))]
pub fn process_group_alive(_child: &std::process::Child) -> bool {
    false
}

/// Kills the child (Windows: no process group to kill with it).
#[cfg(not(unix))]
pub fn kill_process_group(child: &mut std::process::Child) {
    let _ = child.kill();
}

/// How a process ended, in words: `exit code 3`, `killed by SIGSEGV (signal 11)`.
pub fn describe_status(status: std::process::ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return format!("killed by {} (signal {signal})", signal_name(signal));
        }
    }
    match status.code() {
        Some(code) => format!("exit code {code}"),
        None => format!("{status}"),
    }
}

/// The name of a signal: `SIGSEGV`; `SIG?` for one not in the list.
#[cfg(unix)]
pub fn signal_name(signal: i32) -> &'static str {
    const NAMES: &[(i32, &str)] = &[
        (libc::SIGHUP, "SIGHUP"),
        (libc::SIGINT, "SIGINT"),
        (libc::SIGQUIT, "SIGQUIT"),
        (libc::SIGILL, "SIGILL"),
        (libc::SIGTRAP, "SIGTRAP"),
        (libc::SIGABRT, "SIGABRT"),
        (libc::SIGBUS, "SIGBUS"),
        (libc::SIGFPE, "SIGFPE"),
        (libc::SIGKILL, "SIGKILL"),
        (libc::SIGUSR1, "SIGUSR1"),
        (libc::SIGSEGV, "SIGSEGV"),
        (libc::SIGUSR2, "SIGUSR2"),
        (libc::SIGPIPE, "SIGPIPE"),
        (libc::SIGALRM, "SIGALRM"),
        (libc::SIGTERM, "SIGTERM"),
        (libc::SIGCHLD, "SIGCHLD"),
    ];
    NAMES.iter().find(|(number, _)| *number == signal).map_or("SIG?", |(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_only_stds_print_failure_on_a_closed_stdout() {
        // The messages std 1.95 gives on Windows and under Wine 8.
        assert!(is_closed_stdout_message(
            "failed printing to stdout: The pipe is being closed. (os error 232)"
        ));
        assert!(is_closed_stdout_message("failed printing to stdout: Pipe not connected. (os error 233)"));
        assert!(is_closed_stdout_message(
            "failed printing to stdout: The pipe has been ended. (os error 109)"
        ));
        // stderr, another error, or another panic: reported as before.
        assert!(!is_closed_stdout_message(
            "failed printing to stderr: The pipe is being closed. (os error 232)"
        ));
        assert!(!is_closed_stdout_message("failed printing to stdout: Access is denied. (os error 5)"));
        assert!(!is_closed_stdout_message("item 3 is bad (a panic on purpose) (os error 232)"));
    }
}
