//! Exit statuses in words, for forked children and for `std::process::Command` children
//! alike (both are `std::process::ExitStatus`).

use std::os::unix::process::ExitStatusExt;
use std::process::ExitStatus;

use anyhow::bail;

use crate::sys::Waited;

/// How a child ended, in words: `exited with code 3`, `killed by signal 11 (SIGSEGV)`,
/// `killed by signal 6 (SIGABRT) (core dumped)`.
pub fn describe(status: ExitStatus) -> String {
    if let Some(code) = status.code() {
        format!("exited with code {code}")
    } else if let Some(signal) = status.signal() {
        let core = if status.core_dumped() { " (core dumped)" } else { "" };
        format!("killed by signal {signal} ({}){core}", signal_name(signal))
    } else {
        // Only reported for stopped or continued children, which we never ask `waitpid` for.
        format!("ended with raw wait status {:#x}", status.into_raw())
    }
}

/// The conventional name of a signal number: `SIGSEGV` for 11 on Linux.
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

/// `Ok` if the child called `what` exited with code 0; otherwise an error that says how it
/// ended. A child killed by SIGPIPE means our shared stdout was closed (`| head -1`): this
/// process then ends quietly the same way instead of reporting it.
pub fn check(what: &str, status: ExitStatus) -> anyhow::Result<()> {
    if status.success() {
        return Ok(());
    }
    if status.signal() == Some(libc::SIGPIPE) {
        crate::sys::die_of_sigpipe();
    }
    bail!("{what} {}", describe(status))
}

/// Like [`check`], for a wait with a deadline: an error also if the deadline passed and the
/// child had to be killed.
pub fn check_waited(what: &str, waited: Waited) -> anyhow::Result<()> {
    match waited {
        Waited::Ended(status) => check(what, status),
        Waited::Killed(status) => bail!("{what} overran its deadline and was killed ({})", describe(status)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_codes_and_signals() {
        // Raw wait statuses as the kernel encodes them: code << 8, or the signal number,
        // with 0x80 set when a core was dumped.
        assert_eq!(describe(ExitStatus::from_raw(3 << 8)), "exited with code 3");
        assert_eq!(describe(ExitStatus::from_raw(0)), "exited with code 0");
        assert_eq!(describe(ExitStatus::from_raw(libc::SIGSEGV)), "killed by signal 11 (SIGSEGV)");
        assert_eq!(
            describe(ExitStatus::from_raw(libc::SIGABRT | 0x80)),
            "killed by signal 6 (SIGABRT) (core dumped)"
        );
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
