//! A child that has ended but has not been waited for is a *zombie*: the kernel
//! keeps its process table entry, state `Z`, to hold its exit status until the
//! parent asks. `wait` (here `join`) collects the status and the entry goes.

use std::thread;
use std::time::{Duration, Instant};

use anyhow::bail;

use crate::sys::{self, describe, fork_child};

// ANCHOR: zombie
pub fn run() -> anyhow::Result<()> {
    // Steps 1 to 3: a child whose target does nothing: it exits at once.
    let mut child = fork_child(|| ())?;
    let pid = child.pid();

    // Not joining yet. Poll /proc/<pid>/stat until the child has ended: it is
    // then a zombie.
    let give_up = Instant::now() + Duration::from_secs(5);
    let state = loop {
        match sys::process_state(pid) {
            Some('Z') => break 'Z',
            state if Instant::now() >= give_up => {
                bail!("child {pid} never became a zombie: {state:?}")
            }
            _ => thread::sleep(Duration::from_millis(1)),
        }
    };
    // `/proc/<pid>` on Linux.
    let record = sys::PROCESS_RECORD.replace("PID", &pid.to_string());
    println!(
        "before wait: {record} says state {state}: ended, not yet waited \
         for (a zombie)"
    );

    // Step 4: join. `waitpid` hands over the exit status, and the kernel frees
    // the entry.
    let exit_status = child.join()?; // It has ended already: this cannot block.
    println!("wait: child {pid} {}", describe(exit_status));
    sys::check_exit("the child", exit_status)?;
    match sys::process_state(pid) {
        None => {
            println!("after wait: {record} is gone: nothing left of the child")
        }
        Some(state) => {
            bail!("child {pid} still listed after wait, state {state}")
        }
    }
    Ok(())
}
// ANCHOR_END: zombie
