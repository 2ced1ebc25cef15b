//! A process group: one signal ends a child and every grandchild it started.

use std::io::{BufRead, BufReader};
use std::os::fd::AsFd;
use std::os::unix::process::CommandExt;
use std::process::{ChildStdout, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, ensure};

use crate::sys::{self, ForkedChild, Pid, check_waited, describe};

const DEADLINE: Duration = Duration::from_secs(5);

pub fn run() -> anyhow::Result<()> {
    // Orphans come to us (a subreaper), not to init, so that we can reap them
    // and show how they ended.
    #[cfg(target_os = "linux")]
    sys::become_child_subreaper()?;
    // Steps 1 to 3: a child in a new process group, whose id is the child's
    // pid; its three grandchildren join the group.
    let mut leader = Command::new(std::env::current_exe()?)
        .args(["__task", "family", "3"])
        .process_group(0)
        .stdout(Stdio::piped())
        .spawn()?;
    let grandchildren = read_pids(leader.stdout.take().expect("piped"));
    sys::signal_process_group(leader.id() as Pid, libc::SIGTERM)?;
    // Step 4: join the child, with a deadline, then its orphans.
    let leader_end =
        describe(sys::wait_or_kill(&mut leader, DEADLINE)?.status());
    let mut endings = Vec::new();
    for pid in grandchildren? {
        endings.push((pid, grandchild_ending(pid)?));
    }
    println!("group signal SIGTERM: child (the group's leader) {leader_end}");
    for (pid, ending) in endings {
        println!("group signal SIGTERM: grandchild {pid} {ending}");
    }
    Ok(())
}

/// The `family N` task: starts N sleepers, prints their pids, sleeps.
fn family(args: &[String]) -> anyhow::Result<()> {
    let count: usize = args.first().context("a number of children")?.parse()?;
    let mut sleepers = Vec::new();
    for _ in 0..count {
        sleepers.push(Command::new("sleep").arg("20").spawn()?);
    }
    let pids: Vec<_> = sleepers.iter().map(|c| c.id().to_string()).collect();
    println!("{}", pids.join(" "));
    // The group signal is meant to end us all before this sleep does.
    thread::sleep(Duration::from_secs(20));
    for sleeper in &mut sleepers {
        check_waited("a sleeper", sys::wait_or_kill(sleeper, DEADLINE)?)?;
    }
    Ok(())
}

type Task = fn(&[String]) -> anyhow::Result<()>;
pub const TASKS_WITH_ARGS: &[(&str, Task)] = &[("family", family)];

fn grandchild_ending(pid: Pid) -> anyhow::Result<String> {
    if cfg!(target_os = "linux") {
        let waited = ForkedChild::adopt(pid)?.join_or_kill(DEADLINE)?;
        return Ok(describe(waited.status()));
    }
    let give_up = Instant::now() + DEADLINE;
    while sys::process_state(pid).is_some() {
        ensure!(Instant::now() < give_up, "grandchild {pid} still there");
        thread::sleep(Duration::from_millis(5));
    }
    Ok("ended, and init reaped it (only Linux has subreapers)".to_owned())
}

fn read_pids(family_stdout: ChildStdout) -> anyhow::Result<Vec<Pid>> {
    let ready = sys::wait_readable(&[family_stdout.as_fd()], DEADLINE)?;
    ensure!(ready[0], "the family task printed nothing within {DEADLINE:?}");
    let mut line = String::new();
    BufReader::new(family_stdout).read_line(&mut line)?;
    let pids = line.split_whitespace().map(|pid| pid.parse());
    Ok(pids.collect::<Result<_, _>>()?)
}
