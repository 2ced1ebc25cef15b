//! A forked child that does not exit runs on into the parent's code.

use std::time::Duration;

use crate::sys::{
    Fork, check_waited, current_pid, exit_immediately, fork_child, fork_raw,
};

pub fn run() -> anyhow::Result<()> {
    println!("before the fork: process {}", current_pid());

    // ANCHOR: fall_through
    // Steps 1 to 3: a raw fork, as in C or Python's `os.fork()`; it returns in
    // both processes.
    let fork = fork_raw()?;
    if let Fork::Child = fork {
        println!("child {}: doing the child's work", current_pid());
        // Forgotten: `exit_immediately(0);`, so the child carries on below.
    }
    println!("process {}: this line ran twice", current_pid());
    // ANCHOR_END: fall_through

    // ANCHOR: bound
    let mut child = match fork {
        Fork::Child => exit_immediately(0),
        Fork::Parent(child) => child,
    };
    // Step 4: join, with a deadline, and check how the child ended.
    check_waited("the child", child.join_or_kill(Duration::from_secs(5))?)?;
    // ANCHOR_END: bound

    // ANCHOR: fixed
    let mut child = fork_child(|| {
        println!("child {}: doing the child's work", current_pid())
    })?;
    check_waited("the child", child.join_or_kill(Duration::from_secs(5))?)?;
    println!("process {}: this line ran once", current_pid());
    // ANCHOR_END: fixed
    Ok(())
}
