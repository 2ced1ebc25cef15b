//! What starting a child costs with each of Python's start methods, done in
//! Rust: fork, spawn and forkserver, each timed starting a child that runs an
//! empty task.

use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::Result;

use super::fork_server::ForkServer;
use crate::sys::{self, check_waited, fork_child};

const DEADLINE: Duration = Duration::from_secs(5);
const RUNS: usize = 7;
/// The memory the parent writes once the forkserver runs, as a grown program
/// would.
const MIB: usize = 64;

// ANCHOR: costs
/// Starts the forkserver, grows the parent, then times each way of starting a
/// child.
pub fn run() -> Result<()> {
    // The forkserver starts first, while this process is small. Its children:
    // no-ops.
    let mut server = ForkServer::start(|_| ())?;
    // Kept to the end.
    let _written = std::hint::black_box(vec![1u8; MIB << 20]);
    let fork =
        || check_waited("child", fork_child(|| ())?.join_or_kill(DEADLINE)?);
    let fork_cost = median_time(fork)?;
    let program = std::env::current_exe()?;
    let spawn_cost = median_time(|| {
        let mut child =
            Command::new(&program).args(["__task", "nothing"]).spawn()?;
        check_waited("child", sys::wait_or_kill(&mut child, DEADLINE)?)
    })?;
    let forkserver = || sys::check_exit("child", server.start_child(0)?);
    let forkserver_cost = median_time(forkserver)?;
    println!(
        "start a child, run an empty task, join it (median of {RUNS} runs):"
    );
    println!(
        "  fork        {fork_cost:>9.2?}  copies the page tables of {MIB} MiB"
    );
    println!(
        "  spawn       {spawn_cost:>9.2?}  a fresh program: exec, load, start"
    );
    println!(
        "  forkserver  {forkserver_cost:>9.2?}  a request; the small server forks"
    );
    server.stop()
}
// ANCHOR_END: costs

/// The median time of [`RUNS`] runs of `start_and_join`.
fn median_time(
    mut start_and_join: impl FnMut() -> Result<()>,
) -> Result<Duration> {
    let mut times = (0..RUNS)
        .map(|_| Instant::now())
        .map(|started| start_and_join().map(|()| started.elapsed()))
        .collect::<Result<Vec<_>>>()?;
    times.sort();
    Ok(times[RUNS / 2])
}
