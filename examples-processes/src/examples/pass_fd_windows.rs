//! `pass-fd` on Windows: it explains why it cannot run there, and the program
//! exits with code 77 ("not on this platform").

use shared::cli::NotOnThisPlatform;

/// Why `pass-fd` cannot run on Windows, printed instead of running it.
pub const NO_FD_PASSING: &str = "\
Rust's std has no Unix-domain sockets on Windows, and Windows passes handles another way.
  On Unix an open file descriptor travels over a Unix-domain socket (SCM_RIGHTS), and
  the receiver gets a new descriptor for the same open file. Windows 10 has AF_UNIX
  sockets, but not SCM_RIGHTS; there a process copies a handle into another process
  with DuplicateHandle, and says its number over a named pipe or a socket. Python's
  multiprocessing does just that (multiprocessing.reduction.DupHandle), and shares
  memory by name (CreateFileMapping) where Linux can pass a memfd.
  Run this example on Linux or macOS.";

/// Explains how Windows passes handles instead; exit code 77.
pub fn run() -> anyhow::Result<()> {
    Err(anyhow::Error::new(NotOnThisPlatform(NO_FD_PASSING.to_owned())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explains_how_windows_passes_handles_and_is_not_on_this_platform() {
        let error = run().unwrap_err();
        assert!(error.is::<NotOnThisPlatform>());
        let text = error.to_string();
        for words in ["SCM_RIGHTS", "DuplicateHandle", "named pipe"] {
            assert!(text.contains(words), "missing {words:?} in {text}");
        }
    }
}
