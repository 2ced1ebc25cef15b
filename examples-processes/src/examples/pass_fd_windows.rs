//! `pass-fd` on Windows explains why it cannot run there (exit code 77).

use std::io::{Error, ErrorKind};

const NO_FD_PASSING: &str = "\
Rust's std has no Unix-domain sockets on Windows; handles travel otherwise.
  On Unix an open file descriptor travels over a Unix-domain socket
  (SCM_RIGHTS), and the receiver gets a new descriptor for the same open file.
  Windows 10 has AF_UNIX sockets, but not SCM_RIGHTS; there a process copies a
  handle into another process with DuplicateHandle, and says its number over a
  named pipe or a socket. Python's multiprocessing does just that
  (multiprocessing.reduction.DupHandle), and shares memory by name
  (CreateFileMapping) where Linux can pass a memfd.
  Run this example on Linux or macOS.";

pub fn run() -> anyhow::Result<()> {
    Err(Error::new(ErrorKind::Unsupported, NO_FD_PASSING).into())
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
        for words in ["SCM_RIGHTS", "DuplicateHandle", "named pipe"] {
            assert!(text.contains(words), "missing {words:?} in {text}");
        }
    }
}
