//! The test harness every end-to-end test uses: run a binary under a **deadline**, capture
//! what it prints, and make sure nothing is left behind; and the few helpers several test
//! files share.
//!
//! - [`binary`] builds the example binaries once per test run (so a fresh checkout needs
//!   no manual build) and returns the path of one.
//! - [`run`] and [`Runner`] start a program under the `reaper` helper (see
//!   `src/bin/reaper.rs`), in a process group of its own, with stdout and stderr captured.
//!   The reaper is a child subreaper: every descendant the program leaves behind is
//!   reparented to it, reported as a stray, killed and reaped.
//! - When the deadline passes, the whole tree is killed (every descendant, whatever its
//!   process group), reaped, and the test fails with what was printed so far.
//!
//! No test waits on a thread or a process without a deadline. The harness needs Unix: on
//! Linux the reaper is a subreaper and reads `/proc`; on macOS and the BSDs, which have
//! neither, it watches the program's process group and asks `ps` (see `src/bin/reaper.rs`).
//! On Windows only [`workspace_root`] is built.

use std::path::{Path, PathBuf};

/// The workspace's root directory, where `book/`, `shared/` and the examples are.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ is in the workspace").to_path_buf()
}

#[cfg(unix)]
mod harness;
#[cfg(unix)]
pub use harness::*;
