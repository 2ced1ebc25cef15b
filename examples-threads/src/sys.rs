//! The only unsafe code of the thread examples: each platform call wrapped once in a
//! safe function. Examples call these; the raw calls and why they are sound are here.
//!
//! One function per platform behind `cfg(target_os = …)`: Linux (`sched_getcpu`),
//! macOS (`pthread_cpu_number_np`), Windows (`GetCurrentProcessorNumber`), and a
//! fallback that answers `None` everywhere else, so every target builds.

/// Where [`current_cpu`] gets its answer on this platform, or why it gets none: the
/// line an example prints when it cannot name CPUs.
pub const CURRENT_CPU_SOURCE: Result<&str, &str> = if cfg!(target_os = "linux") {
    Ok("sched_getcpu")
} else if cfg!(target_os = "macos") {
    Ok("pthread_cpu_number_np")
} else if cfg!(target_os = "windows") {
    Ok("GetCurrentProcessorNumber")
} else {
    Err("this platform has no call, wrapped here, that says which CPU a thread runs \
         on")
};

/// The number of the CPU the calling thread is running on at this instant, or `None`
/// if the system cannot say. The scheduler may move the thread right after: the
/// answer is a sample.
///
/// Can safe code misuse this into undefined behaviour? No: it takes nothing, hands
/// out a plain number, and the call only reads the calling thread's own scheduling
/// state.
#[cfg(target_os = "linux")]
pub fn current_cpu() -> Option<usize> {
    // SAFETY: `sched_getcpu` (glibc ≥ 2.6, musl) takes no arguments, touches no
    // memory of ours and only reads the calling thread's scheduling state; it returns
    // -1 (errno set) on failure, which `try_from` turns into `None`.
    let cpu = unsafe { libc::sched_getcpu() };
    usize::try_from(cpu).ok()
}

/// The number of the CPU the calling thread is running on at this instant, or `None`
/// if the system cannot say. The scheduler may move the thread right after: the
/// answer is a sample. `pthread_cpu_number_np` is in macOS 11 (2020) and later.
///
/// Can safe code misuse this into undefined behaviour? No: the only pointer passed is
/// to a local variable of the right type that lives across the call, and nothing else
/// is shared.
#[cfg(target_os = "macos")]
pub fn current_cpu() -> Option<usize> {
    let mut cpu: libc::size_t = 0;
    // SAFETY: `pthread_cpu_number_np` writes one `size_t` through its pointer and
    // keeps no copy of it; `cpu` is a live, aligned, writable `size_t`. It returns 0
    // on success, an error number otherwise (then `cpu` is not used).
    let status = unsafe {
        libc::pthread_cpu_number_np(
            &mut cpu, // Out: the CPU number.
        )
    };
    (status == 0).then_some(cpu)
}

/// The number of the CPU the calling thread is running on at this instant (within its
/// processor group of at most 64 CPUs), or `None` if the system cannot say. The
/// scheduler may move the thread right after: the answer is a sample.
///
/// Can safe code misuse this into undefined behaviour? No: it takes nothing, hands
/// out a plain number, and the call only reads the calling thread's own scheduling
/// state.
#[cfg(target_os = "windows")]
pub fn current_cpu() -> Option<usize> {
    // SAFETY: `GetCurrentProcessorNumber` (kernel32, Windows Vista and later) takes
    // no arguments, touches no memory of ours and cannot fail.
    let cpu =
        unsafe { windows_sys::Win32::System::Threading::GetCurrentProcessorNumber() };
    usize::try_from(cpu).ok()
}

/// No call for the CPU number is wrapped for this platform: always `None`
/// ([`CURRENT_CPU_SOURCE`] says why). Examples still show their lesson without it.
#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
pub fn current_cpu() -> Option<usize> {
    None
}
