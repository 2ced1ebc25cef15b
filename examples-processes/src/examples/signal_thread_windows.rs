//! `signal-thread` on Windows explains why it cannot run there (exit code 77).

use std::io::{Error, ErrorKind};

const NO_SIGNALS: &str = "\
Windows has no signals to block or wait for.
  On Unix a signal sent to a process goes to any one of its threads that does
  not block it; blocking the signals everywhere and taking them in one thread
  with sigwait makes them messages. Windows has no kill, no signal masks and
  no sigwait: Ctrl-C and Ctrl-Break arrive as console control events, and the
  system runs each handler on a new thread of its own (SetConsoleCtrlHandler),
  which is already the one-thread design this example builds.
  Run this example on Linux or macOS.";

pub fn run() -> anyhow::Result<()> {
    Err(Error::new(ErrorKind::Unsupported, NO_SIGNALS).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_why_it_is_unsupported_here() {
        let error = run().unwrap_err();
        let error = error.downcast_ref::<Error>().unwrap();
        assert_eq!(error.kind(), ErrorKind::Unsupported);
        let text = error.to_string();
        for words in
            ["Windows has no signals", "sigwait", "SetConsoleCtrlHandler"]
        {
            assert!(text.contains(words), "missing {words:?} in {text}");
        }
    }
}
