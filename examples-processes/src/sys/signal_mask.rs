//! Signals in a process with threads: each thread's signal mask, and `sigwait`,
//! which takes a blocked, pending signal as a return value instead of running a
//! handler. POSIX: the same on every Unix.

use std::io;

/// `pthread_sigmask` and `sigwait` return the error number instead of setting errno.
fn check_returned(result: libc::c_int, call: &str) -> io::Result<()> {
    if result == 0 {
        return Ok(());
    }
    let error = io::Error::from_raw_os_error(result);
    Err(io::Error::new(error.kind(), format!("{call}: {error}")))
}

/// The set of `signals`; an error names a number that is no signal.
fn signal_set(signals: &[libc::c_int]) -> io::Result<libc::sigset_t> {
    // SAFETY: `sigset_t` is plain data; `sigemptyset` below initialises it before
    // use.
    let mut set: libc::sigset_t = unsafe { std::mem::zeroed() };
    // SAFETY: `set` is a valid, writable `sigset_t`; this only clears its bits.
    super::check(unsafe { libc::sigemptyset(&mut set) }, "sigemptyset")?;
    for &signal in signals {
        // SAFETY: as above; this sets one bit, or fails (EINVAL) for a bad number.
        let result = unsafe { libc::sigaddset(&mut set, signal) };
        super::check(result, &format!("sigaddset({signal})"))?;
    }
    Ok(set)
}

/// Blocks `signals` in the calling thread: sent to the process, they wait (pending)
/// until a thread that does not block them, or a `sigwait` for them, takes them.
/// Threads this thread spawns from now on start with the same mask.
///
/// Can safe code misuse this into undefined behaviour? No: it changes only this
/// thread's mask. (Blocking SIGSEGV and the like does not stop a real fault from
/// ending the process.)
pub fn block_in_this_thread(signals: &[libc::c_int]) -> io::Result<()> {
    let set = signal_set(signals)?;
    // SAFETY: `set` is initialised; the old mask is not asked for (null).
    let result = unsafe {
        libc::pthread_sigmask(
            libc::SIG_BLOCK,      // Add these signals to the thread's blocked set.
            &set,                 // The signals.
            std::ptr::null_mut(), // Where to store the old mask: nowhere.
        )
    };
    check_returned(result, "pthread_sigmask(SIG_BLOCK)")
}

/// Whether `signal` is blocked in the calling thread.
///
/// Can safe code misuse this into undefined behaviour? No: it only reads this
/// thread's mask into a local set.
pub fn blocked_in_this_thread(signal: libc::c_int) -> io::Result<bool> {
    let mut mask = signal_set(&[])?;
    // SAFETY: with a null new set the mask is not changed (`how` is ignored); `mask`
    // is a valid, writable `sigset_t` that receives the current mask.
    let result = unsafe {
        libc::pthread_sigmask(
            libc::SIG_BLOCK,  // Ignored: no new set.
            std::ptr::null(), // No change.
            &mut mask,        // Out: the current mask.
        )
    };
    check_returned(result, "pthread_sigmask")?;
    // SAFETY: `mask` is initialised; this reads one bit (-1 for a bad number).
    let member = unsafe { libc::sigismember(&mask, signal) };
    Ok(super::check(member, &format!("sigismember({signal})"))? == 1)
}

/// Waits until one of `signals` is pending, takes it off the pending set, and
/// returns its number: no handler runs. The signals must be blocked in every thread
/// (else one of those may take them first, by its handler or default action).
///
/// Can safe code misuse this into undefined behaviour? No: the only pointers are to
/// two locals that live across the call.
pub fn wait_for_signal(signals: &[libc::c_int]) -> io::Result<libc::c_int> {
    let set = signal_set(signals)?;
    let mut taken: libc::c_int = 0;
    // SAFETY: `set` is initialised and `taken` is a writable `c_int`; `sigwait` keeps
    // neither pointer.
    let result = unsafe {
        libc::sigwait(
            &set,       // The signals to wait for.
            &mut taken, // Out: the one taken.
        )
    };
    check_returned(result, "sigwait")?;
    Ok(taken)
}
