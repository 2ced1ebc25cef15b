//! The only unsafe code of `shared`: each platform call wrapped once in a safe function,
//! behind `cfg(…)` so that every target builds. Callers use the safe functions.

/// Restores the default action of SIGPIPE: the process ends, silently, when it writes to a
/// pipe whose reader has gone (`examples-threads | head -1`).
///
/// Rust programs start with SIGPIPE ignored, so such a write returns `BrokenPipe` and
/// `println!` panics with "failed printing to stdout". Handling `BrokenPipe` at every print
/// would clutter every example; the default action is what `cat`, `yes` and every C tool do.
/// Children started with `Command` or `fork` inherit the default action, and end the same way.
///
/// Can safe code misuse this into undefined behaviour? No: it installs no handler, only the
/// default action, so no code of ours ever runs inside a signal.
#[cfg(unix)]
pub fn restore_default_sigpipe() {
    // SAFETY: `signal` with `SIG_DFL` installs no handler (so no async-signal-safety concern)
    // and touches no memory of ours; `signal` is documented as safe to call from any thread.
    let previous = unsafe {
        libc::signal(
            libc::SIGPIPE, // The signal whose action we set.
            libc::SIG_DFL, // Its default action: terminate the process.
        )
    };
    // `SIG_ERR` only happens for an invalid signal number, which SIGPIPE is not.
    debug_assert_ne!(previous, libc::SIG_ERR, "signal(SIGPIPE, SIG_DFL) failed");
}

/// Nothing to do: only Unix has SIGPIPE. On Windows a write to a pipe whose reader has gone
/// fails with an error (`ERROR_NO_DATA`, Rust's `BrokenPipe`) and no signal is sent.
#[cfg(not(unix))]
pub fn restore_default_sigpipe() {}
