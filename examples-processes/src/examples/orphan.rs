//! `PR_SET_PDEATHSIG`: a child asks the kernel for a signal when its parent ends, so
//! that it does not live on as an orphan.

use std::io::{self, PipeWriter, Read, Write};
use std::os::fd::AsFd;
use std::thread;
use std::time::Duration;

use anyhow::{Context, bail, ensure};

use crate::status::{check_waited, describe};
use crate::sys::{self, ForkedChild, Pid, current_pid, fork_child_fallible};

const DEADLINE: Duration = Duration::from_secs(5);

// ANCHOR: pdeathsig
/// A child starts a grandchild and exits: the orphaned grandchild is signalled.
pub fn run() -> anyhow::Result<()> {
    // Orphans of our children are reparented to this process instead of init, so that
    // this example can reap the grandchild and show how it ended.
    sys::become_child_subreaper()?;
    let (mut pid_reader, pid_writer) = io::pipe()?;
    // Steps 1 to 3: a child that starts a grandchild, then exits without waiting for
    // it.
    let mut child = fork_child_fallible(move || -> io::Result<()> {
        let parent = current_pid();
        let grandchild =
            fork_child_fallible(move || orphan_to_be(parent, pid_writer))?;
        std::mem::forget(grandchild); // Give up the handle: no kill, no wait.
        Ok(())
    })?;
    // Step 4: join the child.
    check_waited("the child", child.join_or_kill(DEADLINE)?)?;
    let ready = sys::wait_readable(&[pid_reader.as_fd()], DEADLINE)?;
    ensure!(ready[0], "the grandchild sent no pid within {DEADLINE:?}");
    let mut pid_bytes = [0; 4];
    pid_reader.read_exact(&mut pid_bytes).context("reading the grandchild's pid")?;
    let orphan = Pid::from_le_bytes(pid_bytes);
    // The grandchild is ours now (we are a subreaper): reap it and see what ended it.
    let ending =
        describe(ForkedChild::adopt(orphan).join_or_kill(DEADLINE)?.status());
    println!(
        "PR_SET_PDEATHSIG: the child exited; its child {orphan}, orphaned, {ending}"
    );
    Ok(())
}

/// The grandchild: asks for SIGTERM when its parent ends, then sleeps.
fn orphan_to_be(parent: Pid, mut report: PipeWriter) -> anyhow::Result<()> {
    report.write_all(&current_pid().to_le_bytes())?;
    sys::set_parent_death_signal(libc::SIGTERM)?;
    // If the parent ended before that call, no signal will come: end as it would
    // have.
    if std::os::unix::process::parent_id() as Pid != parent {
        sys::die_of_signal(libc::SIGTERM);
    }
    thread::sleep(DEADLINE * 2);
    bail!("the parent death signal never came")
}
// ANCHOR_END: pdeathsig
