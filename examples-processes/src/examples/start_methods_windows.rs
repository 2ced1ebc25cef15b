//! `start-methods` on Windows, which has spawn only: the child is a fresh run
//! of the program, so it sees none of the parent's changes.

use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::bail;

use crate::sys::{self, check_waited};

static MARKER: AtomicU64 = AtomicU64::new(0);
const DEADLINE: Duration = Duration::from_secs(5);
const RUNS: usize = 7;

pub fn run() -> anyhow::Result<()> {
    sys::say_if_busy(1);
    MARKER.store(42, Ordering::SeqCst);
    println!("parent: marker 42");
    // spawn. Steps 1 and 2: a fresh run of this program, the hidden argument
    // names the task. Step 3: start. Step 4: join.
    let program = std::env::current_exe()?;
    let mut child =
        Command::new(&program).args(["__task", "inherits", "-1"]).spawn()?;
    check_waited("spawn child", sys::wait_or_kill(&mut child, DEADLINE)?)?;
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        let mut child =
            Command::new(&program).args(["__task", "nothing"]).spawn()?;
        check_waited("child", sys::wait_or_kill(&mut child, DEADLINE)?)?;
        times.push(started.elapsed());
    }
    times.sort();
    println!(
        "start a child, run an empty task, join it (median of {RUNS} runs):"
    );
    println!(
        "  spawn       {:>9.2?}  a fresh program: CreateProcess, load, \
         start the runtime",
        times[RUNS / 2]
    );
    println!(
        "  fork, forkserver: Unix only; Windows has no fork, so Python \
         there has spawn only"
    );
    Ok(())
}

pub fn report_task(args: &[String]) -> anyhow::Result<()> {
    let [_no_descriptors_on_windows] = args else { bail!("expected -1") };
    let marker = MARKER.load(Ordering::SeqCst);
    println!(
        "{:<10}  child: marker {marker} (a fresh program: the parent's 42 \
         is not here)",
        "spawn"
    );
    Ok(())
}

type Task = fn(&[String]) -> anyhow::Result<()>;
pub const TASKS_WITH_ARGS: &[(&str, Task)] = &[("inherits", report_task)];
