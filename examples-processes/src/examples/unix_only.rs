//! What a fork example does where there is no fork (Windows): it explains why, and
//! what Python does instead, and the program exits with code 77 ("not on this
//! platform").

use shared::cli::NotOnThisPlatform;

// ANCHOR: explanation
/// Why a fork example cannot run on Windows, printed instead of running it.
pub const EXPLANATION: &str = "\
this example forks, and Windows has no fork.
  fork copies the running process: its memory, its open files, the very point it is at.
  Windows creates every process from a program file (CreateProcess) and has no call that
  copies a running one, so there is nothing for this example to show here.
  Python's multiprocessing on Windows therefore has one start method, spawn: each child is a
  fresh interpreter that imports the main module again (hence the
  `if __name__ == \"__main__\":` guard), and the target and its arguments reach it pickled,
  over a pipe. This program does the same in seed, steps, start-methods, exit-status, pipes,
  queue, pool and cpu-bound: std::process::Command re-runs it, told which task to run.
  Run this example on Linux or macOS.";
// ANCHOR_END: explanation

/// The `run` of every fork example on Windows: returns the explanation as a
/// [`NotOnThisPlatform`] error, which the dispatcher prints and turns into exit code
/// 77.
pub fn run() -> anyhow::Result<()> {
    Err(anyhow::Error::new(NotOnThisPlatform(EXPLANATION.to_owned())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explains_and_is_not_on_this_platform() {
        let error = run().unwrap_err();
        assert!(error.is::<NotOnThisPlatform>());
        let text = error.to_string();
        for words in
            ["Windows has no fork", "CreateProcess", "spawn", "pickled", "__main__"]
        {
            assert!(text.contains(words), "missing {words:?} in {text}");
        }
    }
}
