//! Linux's `PR_SET_PDEATHSIG`: a child asks the kernel for a signal when its
//! parent ends. The portable way is the `orphan` example's lifeline pipe.

#[cfg(target_os = "linux")]
pub use linux::run;

#[cfg(not(target_os = "linux"))]
pub fn run() -> anyhow::Result<()> {
    println!(
        "PR_SET_PDEATHSIG: Linux only; \
         the lifeline (`orphan`) is the way elsewhere"
    );
    Ok(())
}

#[cfg(target_os = "linux")]
mod linux {
    use std::io::{self, Read};
    use std::time::Duration;

    use crate::sys::{self, ForkedChild, Pid, check_waited, describe};
    use crate::sys::{current_pid, fork_child_fallible};

    const DEADLINE: Duration = Duration::from_secs(5);

    pub fn run() -> anyhow::Result<()> {
        sys::become_child_subreaper()?;
        let (mut pid_reader, pid_writer) = io::pipe()?;
        // Steps 1 to 3: a child that starts a grandchild, and exits.
        let mut child = fork_child_fallible(move || -> io::Result<()> {
            let parent = current_pid();
            let grandchild =
                fork_child_fallible(move || orphan_to_be(parent, pid_writer))?;
            std::mem::forget(grandchild); // No kill, no wait.
            Ok(())
        })?;
        // Step 4: join the child. The grandchild's pid comes before its sleep.
        check_waited("the child", child.join_or_kill(DEADLINE)?)?;
        let ready = sys::wait_readable(&[&pid_reader], DEADLINE)?[0];
        anyhow::ensure!(ready, "no pid within {DEADLINE:?}");
        let mut pid_bytes = [0; 4];
        pid_reader.read_exact(&mut pid_bytes)?;
        let orphan = Pid::from_le_bytes(pid_bytes);
        // Ours now (we are a subreaper): reap it, and see what ended it.
        let ending = describe(
            ForkedChild::adopt(orphan)?.join_or_kill(DEADLINE)?.status(),
        );
        println!(
            "PR_SET_PDEATHSIG: the child exited; its child {orphan}, orphaned, \
             {ending}"
        );
        Ok(())
    }

    fn orphan_to_be(
        parent: Pid,
        mut report: io::PipeWriter,
    ) -> anyhow::Result<()> {
        io::Write::write_all(&mut report, &current_pid().to_le_bytes())?;
        sys::set_parent_death_signal(libc::SIGTERM)?;
        // Parent gone before that call: no signal will come; die of it anyway.
        if sys::parent_pid()? != parent {
            sys::die_of_signal(libc::SIGTERM);
        }
        std::thread::sleep(DEADLINE * 2);
        anyhow::bail!("the parent death signal never came")
    }
}
