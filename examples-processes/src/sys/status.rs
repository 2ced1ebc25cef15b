//! Exit statuses in words, for forked children and for `std::process::Command`
//! children alike (both are `std::process::ExitStatus`): signal names on Unix,
//! exception codes on Windows. No `unsafe` here, but what a status means is the
//! platform's, so the examples find it in this layer, beside the calls.

#[cfg(unix)]
use std::os::unix::process::ExitStatusExt;
use std::process::ExitStatus;

use anyhow::bail;

use super::Waited;
#[cfg(unix)]
use super::signal_name;

// ANCHOR: describe
/// How a child ended, in words: `exited with code 3`, `killed by signal 11
/// (SIGSEGV)`, `killed by signal 6 (SIGABRT) (core dumped)`.
#[cfg(unix)]
pub fn describe(status: ExitStatus) -> String {
    if let Some(code) = status.code() {
        format!("exited with code {code}")
    } else if let Some(signal) = status.signal() {
        let core = if status.core_dumped() { " (core dumped)" } else { "" };
        format!("killed by signal {signal} ({}){core}", signal_name(signal))
    } else {
        // Only reported for stopped or continued children, which we never ask
        // `waitpid` for.
        format!("ended with raw wait status {:#x}", status.into_raw())
    }
}
// ANCHOR_END: describe

/// How a child ended, in words: `exited with code 3`, or for a crash, whose exit code
/// on Windows is the exception code, `crashed: exception 0xC0000005
/// (STATUS_ACCESS_VIOLATION)`.
#[cfg(windows)]
pub fn describe(status: ExitStatus) -> String {
    // Always `Some` on Windows: every process ends with an exit code.
    let code = status.code().unwrap_or(-1);
    match super::exception_name(code as u32) {
        Some(name) => format!("crashed: exception {:#010X} ({name})", code as u32),
        None => format!("exited with code {code}"),
    }
}

/// `Ok` if the child called `what` exited with code 0; otherwise an error that says
/// how it ended. A child killed by SIGPIPE means our shared stdout was closed (`|
/// head -1`): this process then ends quietly the same way instead of reporting it.
/// On Windows the same holds for a child that exited with
/// `shared::cli::CLOSED_STDOUT_EXIT_CODE` while our stdout is a closed pipe.
pub fn check_exit(what: &str, status: ExitStatus) -> anyhow::Result<()> {
    if status.success() {
        return Ok(());
    }
    end_as_child_did_on_closed_stdout(status);
    bail!("{what} {}", describe(status))
}

/// If `status` says the child was ended by the stdout it shares with us being
/// closed (`examples-processes | head -1`): on Unix, killed by SIGPIPE; on
/// Windows, `ended_on_closed_stdout`. Then this
/// process ends quietly the same way, as a pipeline expects, instead of
/// reporting the child. Otherwise it returns, and the caller looks at `status`.
///
/// Can safe code misuse this into undefined behaviour? No: it only decides
/// whether to call `die_of_sigpipe` (Unix) or `die_of_closed_stdout` (Windows).
pub fn end_as_child_did_on_closed_stdout(status: ExitStatus) {
    #[cfg(unix)]
    if std::os::unix::process::ExitStatusExt::signal(&status) == Some(libc::SIGPIPE) {
        super::die_of_sigpipe();
    }
    #[cfg(windows)]
    if super::ended_on_closed_stdout(status) {
        super::die_of_closed_stdout();
    }
}

/// Like [`check_exit`], for a wait with a deadline: an error also if the deadline passed
/// and the child had to be killed.
pub fn check_waited(what: &str, waited: Waited) -> anyhow::Result<()> {
    match waited {
        Waited::Ended(status) => check_exit(what, status),
        Waited::Killed(status) => {
            bail!("{what} overran its deadline and was killed ({})", describe(status))
        }
    }
}

#[cfg(all(test, windows))]
mod windows_tests {
    use std::os::windows::process::ExitStatusExt;

    use super::*;

    #[test]
    fn describes_codes_and_exceptions() {
        assert_eq!(describe(ExitStatus::from_raw(3)), "exited with code 3");
        assert_eq!(
            describe(ExitStatus::from_raw(0xC000_0005)),
            "crashed: exception 0xC0000005 (STATUS_ACCESS_VIOLATION)"
        );
        assert_eq!(
            describe(ExitStatus::from_raw(0xC000_0409)),
            "crashed: exception 0xC0000409 (STATUS_STACK_BUFFER_OVERRUN)"
        );
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn describes_codes_and_signals() {
        // Raw wait statuses as the kernel encodes them: code << 8, or the signal
        // number, with 0x80 set when a core was dumped.
        assert_eq!(describe(ExitStatus::from_raw(3 << 8)), "exited with code 3");
        assert_eq!(describe(ExitStatus::from_raw(0)), "exited with code 0");
        assert_eq!(
            describe(ExitStatus::from_raw(libc::SIGSEGV)),
            "killed by signal 11 (SIGSEGV)"
        );
        assert_eq!(
            describe(ExitStatus::from_raw(libc::SIGABRT | 0x80)),
            "killed by signal 6 (SIGABRT) (core dumped)"
        );
    }
}
