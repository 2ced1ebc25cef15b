//! An ended child that nobody has waited for yet is a zombie.

use std::thread;
use std::time::{Duration, Instant};

use anyhow::{bail, ensure};

use crate::sys::{self, describe, fork_child};

pub fn run() -> anyhow::Result<()> {
    // Steps 1 to 3: a child whose target does nothing: it exits at once.
    let mut child = fork_child(|| ())?;
    let pid = child.pid();

    // Not joining yet: wait, within 5 s, until the child has ended.
    let give_up = Instant::now() + Duration::from_secs(5);
    while sys::process_state(pid) != Some('Z') {
        ensure!(Instant::now() < give_up, "child {pid} never became a zombie");
        thread::sleep(Duration::from_millis(1));
    }
    let record = sys::PROCESS_RECORD.replace("PID", &pid.to_string());
    println!(
        "before wait: {record} says state Z: ended, not yet waited for \
         (a zombie)"
    );

    // Step 4: join. It has ended already: this cannot block.
    let exit_status = child.join()?;
    println!("wait: child {pid} {}", describe(exit_status));
    sys::check_exit("the child", exit_status)?;
    if let Some(state) = sys::process_state(pid) {
        bail!("child {pid} still listed after wait, state {state}");
    }
    println!("after wait: {record} is gone: nothing left of the child");
    Ok(())
}
