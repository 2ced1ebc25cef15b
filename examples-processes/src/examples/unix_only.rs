//! A Unix-only example on Windows says why it cannot run there, and what
//! Python does instead (exit code 77). Two have reasons of their own.

use std::io::{Error, ErrorKind};

const EXPLANATION: &str = "\
this example forks, and Windows has no fork.
  fork copies the running process: its memory, its open files, the very point
  it is at. Windows creates every process from a program file (CreateProcess)
  and has no call that copies a running one, so there is nothing for this
  example to show here. Python's multiprocessing on Windows therefore has one
  start method, spawn: each child is a fresh interpreter that imports the main
  module again (hence the `if __name__ == \"__main__\":` guard), and the
  target and its arguments reach it pickled, over a pipe. This program does
  the same in seed, steps, start-methods, exit-status, pipes, queue, pool and
  cpu-bound: std::process::Command re-runs it, told which task to run.
  Run this example on Linux or macOS.";

const NO_PROCESS_GROUPS: &str = "\
Windows has no process groups to signal.
  On Unix a child made leader of its own process group (setpgid) takes its
  grandchildren into the group, and one kill(-pgid, SIGTERM) reaches them all;
  Python's os.setpgid and os.killpg are Unix only for that reason. Windows has
  neither signals nor process groups to send one to; its nearest counterpart
  is a job object (CreateJobObject, TerminateJobObject), which ends every
  process in it at once, with nothing a child could catch, as terminate shows
  for a single child.
  Run this example on Linux or macOS.";

const NO_PARENT_DEATH_SIGNAL: &str = "\
PR_SET_PDEATHSIG is Linux only, and Windows has no signals.
  On Linux a child asks the kernel (prctl(PR_SET_PDEATHSIG)) for a signal when
  its parent ends; no other system has the call. The portable way for an
  orphan to learn its parent ended is a lifeline pipe, which runs here: see
  the orphan example.
  Run this example on Linux.";

pub fn run() -> anyhow::Result<()> {
    Err(Error::new(ErrorKind::Unsupported, EXPLANATION).into())
}

pub mod process_group {
    use super::*;
    pub fn run() -> anyhow::Result<()> {
        Err(Error::new(ErrorKind::Unsupported, NO_PROCESS_GROUPS).into())
    }
}

pub mod parent_death_signal {
    use super::*;
    pub fn run() -> anyhow::Result<()> {
        Err(Error::new(ErrorKind::Unsupported, NO_PARENT_DEATH_SIGNAL).into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_explains_its_own_reason_and_is_not_on_this_platform() {
        type Run = fn() -> anyhow::Result<()>;
        let fork = ["no fork", "CreateProcess", "spawn", "pickled", "__main__"];
        let groups = ["Windows has no process groups", "killpg"];
        let pdeathsig = ["PR_SET_PDEATHSIG is Linux only", "orphan"];
        let cases: [(Run, &[&str], bool); 3] = [
            (run, &fork, true),
            (process_group::run, &groups, false),
            (parent_death_signal::run, &pdeathsig, false),
        ];
        for (run, words, forks) in cases {
            let error = run().unwrap_err();
            let error = error.downcast_ref::<Error>().unwrap();
            assert_eq!(error.kind(), ErrorKind::Unsupported);
            let text = error.to_string();
            for words in words {
                assert!(text.contains(words), "missing {words:?} in {text}");
            }
            assert_eq!(text.contains("Windows has no fork"), forks, "{text}");
        }
    }
}
