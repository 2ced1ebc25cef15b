//! Ending a child from outside: `terminate` (SIGTERM, which the child may catch to clean up)
//! against `kill` (SIGKILL, which it cannot); a process group, so that one signal ends a child
//! and its grandchildren; `PR_SET_PDEATHSIG`, so that a child ends when its parent does.

use std::io::{self, BufRead, BufReader, PipeReader, PipeWriter, Read, Write};
use std::os::fd::AsFd;
use std::os::unix::process::CommandExt;
use std::process::Stdio;
use std::sync::atomic::Ordering;
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};

use crate::status::{check_waited, describe, signal_name};
use crate::sys::{self, ForkedChild, Pid, Waited, current_pid, fork_child_fallible, fork_child_with_code};
use crate::tasks;

const DEADLINE: Duration = Duration::from_secs(5);

/// The three ways to end a child from outside, one after the other.
pub fn run() -> anyhow::Result<()> {
    // Orphaned grandchildren are reparented to this process instead of init, so that this
    // example can reap them and show how they ended.
    sys::become_child_subreaper()?;
    terminate_and_kill()?;
    process_group()?;
    parent_death_signal()
}

// ANCHOR: terminate
fn terminate_and_kill() -> anyhow::Result<()> {
    let cases = [
        ("terminate(), no handler", libc::SIGTERM, false),
        ("terminate(), a handler that cleans up", libc::SIGTERM, true),
        ("kill(), the same handler", libc::SIGKILL, true),
    ];
    for (what, signal, cleans_up) in cases {
        let (mut ready, ready_writer) = io::pipe()?;
        // Steps 1 to 3: fork a child that waits to be signalled.
        let mut child = fork_child_with_code(move || wait_to_be_signalled(cleans_up, ready_writer))?;
        // Signal it only once it is ready: with its handler in place.
        read_within_deadline(&mut ready, &mut [0])?;
        child.signal(signal)?;
        // Step 4: join, and say how it ended.
        let ending = outcome(child.join_or_kill(DEADLINE)?);
        println!("{what}: sent {}; child {ending}", signal_name(signal));
    }
    Ok(())
}

/// The child: tells the parent it is ready, then waits for a signal.
fn wait_to_be_signalled(cleans_up: bool, mut ready: PipeWriter) -> i32 {
    let terminate_requested = match cleans_up.then(|| sys::catch_signal(libc::SIGTERM)).transpose() {
        Ok(flag) => flag,
        Err(error) => return report_error(error),
    };
    if let Err(error) = ready.write_all(b"r") {
        return report_error(error);
    }
    let give_up = Instant::now() + DEADLINE;
    while Instant::now() < give_up {
        if terminate_requested.is_some_and(|flag| flag.load(Ordering::SeqCst)) {
            println!("  child {}: caught SIGTERM, cleaning up, exiting", current_pid());
            return 128 + libc::SIGTERM; // The shell's code for "ended because of SIGTERM".
        }
        thread::sleep(Duration::from_millis(5));
    }
    report_error("no signal came")
}
// ANCHOR_END: terminate

// ANCHOR: group
fn process_group() -> anyhow::Result<()> {
    // Steps 1 to 3: a child in a new process group of its own (`process_group(0)`: the
    // group's id is the child's pid), which starts three grandchildren: they join its group.
    let mut leader = tasks::command("family", &["3"])?.process_group(0).stdout(Stdio::piped()).spawn()?;
    let grandchildren = read_pids(leader.stdout.take().context("the family's stdout")?);
    // One signal to the whole group (a negative pid) ends the child and every grandchild.
    sys::send_signal(-(leader.id() as Pid), libc::SIGTERM)?;
    // Step 4: join the child, with a deadline.
    let leader_ending = outcome(sys::wait_or_kill(&mut leader, DEADLINE)?);
    // The child is gone; its orphans were reparented to us (a subreaper): reap them too.
    let mut endings = Vec::new();
    for pid in grandchildren? {
        endings.push((pid, outcome(ForkedChild::adopt(pid).join_or_kill(DEADLINE)?)));
    }
    println!("group signal SIGTERM: child (the group's leader) {leader_ending}");
    for (pid, ending) in endings {
        println!("group signal SIGTERM: grandchild {pid} {ending}");
    }
    Ok(())
}

/// The `family N` task: starts N sleeping children, prints their pids on one line, sleeps.
pub fn family(args: &[String]) -> anyhow::Result<()> {
    let count: usize = tasks::one_arg(args, "a number of children")?;
    let mut children = Vec::new();
    for _ in 0..count {
        children.push(tasks::command("sleep", &["20"])?.spawn().context("starting a sleeper")?);
    }
    let pids: Vec<String> = children.iter().map(|child| child.id().to_string()).collect();
    println!("{}", pids.join(" "));
    // Not waiting for them here: the group signal is meant to end us all first.
    thread::sleep(Duration::from_secs(20));
    for child in &mut children {
        check_waited("a sleeper", sys::wait_or_kill(child, DEADLINE)?)?;
    }
    Ok(())
}
// ANCHOR_END: group

// ANCHOR: pdeathsig
fn parent_death_signal() -> anyhow::Result<()> {
    let (mut pid_reader, pid_writer) = io::pipe()?;
    // Steps 1 to 3: a child that starts a grandchild, then exits without waiting for it.
    let mut child = fork_child_fallible(move || -> io::Result<()> {
        let parent = current_pid();
        let grandchild = fork_child_fallible(move || orphan_to_be(parent, pid_writer))?;
        std::mem::forget(grandchild); // Give up the handle: no kill, no wait.
        Ok(())
    })?;
    // Step 4: join the child.
    check_waited("the child", child.join_or_kill(DEADLINE)?)?;
    let mut pid_bytes = [0; 4];
    read_within_deadline(&mut pid_reader, &mut pid_bytes)?;
    let orphan = Pid::from_le_bytes(pid_bytes);
    // The grandchild is ours now (we are a subreaper): reap it and see what ended it.
    let ending = outcome(ForkedChild::adopt(orphan).join_or_kill(DEADLINE)?);
    println!("PR_SET_PDEATHSIG: the child exited; its child {orphan}, orphaned, {ending}");
    Ok(())
}

/// The grandchild: asks for SIGTERM when its parent ends, then sleeps.
fn orphan_to_be(parent: Pid, mut report: PipeWriter) -> anyhow::Result<()> {
    report.write_all(&current_pid().to_le_bytes())?;
    sys::set_parent_death_signal(libc::SIGTERM)?;
    // If the parent ended before that call, no signal will come: end as it would have.
    if std::os::unix::process::parent_id() as Pid != parent {
        sys::die_of_signal(libc::SIGTERM);
    }
    thread::sleep(DEADLINE * 2);
    bail!("the parent death signal never came")
}
// ANCHOR_END: pdeathsig

/// How a child ended, in words; a child that overran its deadline was killed.
fn outcome(waited: Waited) -> String {
    match waited {
        Waited::Ended(status) => describe(status),
        Waited::Killed(_) => format!("was still running after {DEADLINE:?}: killed it"),
    }
}

/// Fills `buffer` from `pipe`, waiting at most [`DEADLINE`] for the first byte.
fn read_within_deadline(pipe: &mut PipeReader, buffer: &mut [u8]) -> anyhow::Result<()> {
    let ready = sys::wait_readable(&[pipe.as_fd()], DEADLINE)?;
    ensure!(ready[0], "nothing came through the pipe within {DEADLINE:?}");
    pipe.read_exact(buffer).context("reading from a child")
}

/// The pids the family task prints on its first line, waiting at most [`DEADLINE`].
fn read_pids(family_stdout: std::process::ChildStdout) -> anyhow::Result<Vec<Pid>> {
    let ready = sys::wait_readable(&[family_stdout.as_fd()], DEADLINE)?;
    ensure!(ready[0], "the family task printed nothing within {DEADLINE:?}");
    let mut line = String::new();
    BufReader::new(family_stdout).read_line(&mut line)?;
    line.split_whitespace().map(|pid| pid.parse().with_context(|| format!("a pid: '{pid}'"))).collect()
}

fn report_error(error: impl std::fmt::Display) -> i32 {
    eprintln!("error in child {}: {error}", current_pid());
    1
}
