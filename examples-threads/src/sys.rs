//! The only unsafe code of the thread examples: each libc call wrapped once in a safe
//! function. Examples call these; the raw calls and why they are sound are here.

/// The number of the CPU the calling thread is running on at this instant, or `None`
/// if the kernel cannot say. The scheduler may move the thread right after: the
/// answer is a sample.
pub fn current_cpu() -> Option<usize> {
    // SAFETY: `sched_getcpu` takes no arguments, touches no memory of ours and only
    // reads the calling thread's scheduling state; it returns -1 (with errno set) on
    // failure.
    let cpu = unsafe { libc::sched_getcpu() };
    usize::try_from(cpu).ok()
}
