//! `signal-thread` on Windows: it explains why it cannot run there, and the
//! program exits with code 77 ("not on this platform").

use shared::cli::NotOnThisPlatform;

/// Why `signal-thread` cannot run on Windows, printed instead of running it.
pub const NO_SIGNALS: &str = "\
Windows has no signals to block or wait for.
  On Unix a signal sent to a process goes to any one of its threads that does not block
  it; blocking the signals everywhere and taking them in one thread with sigwait makes
  them messages. Windows has no kill, no signal masks and no sigwait: Ctrl-C and
  Ctrl-Break arrive as console control events, and the system runs each handler on a
  new thread of its own (SetConsoleCtrlHandler), which is already the one-thread design
  this example builds.
  Run this example on Linux or macOS.";

/// Explains that Windows has no signals to wait for; exit code 77.
pub fn run() -> anyhow::Result<()> {
    Err(anyhow::Error::new(NotOnThisPlatform(NO_SIGNALS.to_owned())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explains_that_windows_has_no_signals_and_is_not_on_this_platform() {
        let error = run().unwrap_err();
        assert!(error.is::<NotOnThisPlatform>());
        let text = error.to_string();
        for words in
            ["Windows has no signals", "sigwait", "SetConsoleCtrlHandler"]
        {
            assert!(text.contains(words), "missing {words:?} in {text}");
        }
    }
}
