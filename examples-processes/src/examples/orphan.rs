//! An orphan, a child whose parent has ended, learns it and ends too: the portable
//! way, a lifeline pipe (every Unix, and Windows), and Linux's `PR_SET_PDEATHSIG`.

use std::io::{self, Read};
use std::time::Duration;

use anyhow::{Context, ensure};

use crate::status::check_waited;
use crate::{sys, tasks};

const DEADLINE: Duration = Duration::from_secs(5);

/// The lifeline, then (on Linux) the parent death signal.
pub fn run() -> anyhow::Result<()> {
    lifeline()?;
    #[cfg(target_os = "linux")]
    linux::parent_death_signal()?;
    #[cfg(not(target_os = "linux"))]
    println!("PR_SET_PDEATHSIG: Linux only; the lifeline is the way everywhere else");
    Ok(())
}

// ANCHOR: lifeline
/// A child starts a grandchild whose stdin is a pipe, keeps its only write end, and
/// exits. However a process ends, even by SIGKILL, the kernel closes its files: the
/// grandchild's read returns end of file, its sign that its parent is gone.
fn lifeline() -> anyhow::Result<()> {
    let (mut report, report_writer) = io::pipe()?;
    // Steps 1 to 3: the child; its stdout, and so its child's, is our report pipe.
    let mut child =
        tasks::command("lifeline-parent", &[])?.stdout(report_writer).spawn()?;
    // Step 4: join it. It exits at once; its child lives on, an orphan.
    check_waited("the child", sys::wait_or_kill(&mut child, DEADLINE)?)?;
    ensure!(
        sys::wait_readable(&[&report], DEADLINE)?[0],
        "no report within {DEADLINE:?}"
    );
    // End of file on the report comes once the grandchild, its last writer, has ended
    // too.
    print!("{}", io::read_to_string(&mut report).context("reading the report")?);
    Ok(())
}

/// The `lifeline-parent` task: starts `lifeline` with its stdin piped from us; exits.
pub fn lifeline_parent(_args: &[String]) -> anyhow::Result<()> {
    let grandchild = tasks::command("lifeline", &[])?
        .stdin(std::process::Stdio::piped())
        .spawn()?;
    println!(
        "lifeline: the child exits, leaving its child {} an orphan",
        grandchild.id()
    );
    // No wait, and the handle is given up: the write end closes only when this
    // process ends.
    std::mem::forget(grandchild);
    Ok(())
}

/// The `lifeline` task: waits (bounded) for end of file on its stdin, then exits.
pub fn watch_lifeline(_args: &[String]) -> anyhow::Result<()> {
    ensure!(
        sys::wait_readable(&[io::stdin()], DEADLINE * 2)?[0],
        "the lifeline stayed open"
    );
    ensure!(io::stdin().read(&mut [0])? == 0, "something came down the lifeline");
    println!(
        "lifeline: the orphan {} read end of file: its parent is gone; it exits",
        sys::current_pid()
    );
    Ok(())
}
// ANCHOR_END: lifeline

#[cfg(target_os = "linux")]
mod linux {
    use super::*;
    use crate::status::describe;
    use crate::sys::{ForkedChild, Pid, current_pid, fork_child_fallible};

    // ANCHOR: pdeathsig
    /// A child starts a grandchild and exits: the orphaned grandchild is signalled.
    pub fn parent_death_signal() -> anyhow::Result<()> {
        // Our children's orphans are reparented to us, not init: we can reap them.
        sys::become_child_subreaper()?;
        let (mut pid_reader, pid_writer) = io::pipe()?;
        // Steps 1 to 3: a child that starts a grandchild, then exits without waiting
        // for it.
        let mut child = fork_child_fallible(move || -> io::Result<()> {
            let parent = current_pid();
            let grandchild =
                fork_child_fallible(move || orphan_to_be(parent, pid_writer))?;
            std::mem::forget(grandchild); // Give up the handle: no kill, no wait.
            Ok(())
        })?;
        // Step 4: join the child.
        check_waited("the child", child.join_or_kill(DEADLINE)?)?;
        ensure!(
            sys::wait_readable(&[&pid_reader], DEADLINE)?[0],
            "no pid within {DEADLINE:?}"
        );
        let mut pid_bytes = [0; 4];
        pid_reader
            .read_exact(&mut pid_bytes)
            .context("reading the grandchild's pid")?;
        let orphan = Pid::from_le_bytes(pid_bytes);
        // The grandchild is ours now (we are a subreaper): reap it and see what ended
        // it.
        let ending =
            describe(ForkedChild::adopt(orphan).join_or_kill(DEADLINE)?.status());
        println!(
            "PR_SET_PDEATHSIG: the child exited; its child {orphan}, orphaned, \
             {ending}"
        );
        Ok(())
    }

    /// The grandchild: asks for SIGTERM when its parent ends, then sleeps.
    fn orphan_to_be(parent: Pid, mut report: io::PipeWriter) -> anyhow::Result<()> {
        io::Write::write_all(&mut report, &current_pid().to_le_bytes())?;
        sys::set_parent_death_signal(libc::SIGTERM)?;
        // If the parent ended before that call, no signal will come: end as it would
        // have.
        if sys::parent_pid()? != parent {
            sys::die_of_signal(libc::SIGTERM);
        }
        std::thread::sleep(DEADLINE * 2);
        anyhow::bail!("the parent death signal never came")
    }
    // ANCHOR_END: pdeathsig
}
