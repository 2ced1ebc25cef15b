//! A child ended by our closed stdout: the parent ends the same way, quietly.

use std::process::ExitStatus;

/// If `status` says the child was ended by the stdout it shares with us being
/// closed (`examples-processes | head -1`): on Unix, killed by SIGPIPE; on
/// Windows, [`ended_on_closed_stdout`](super::ended_on_closed_stdout). Then this
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
