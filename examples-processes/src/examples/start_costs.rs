//! What starting a child costs with each of Python's start methods: fork,
//! spawn and forkserver.

use std::io::{self, Read, Write};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::sys::{self, check_waited, fork_child, fork_child_fallible};

const DEADLINE: Duration = Duration::from_secs(5);
const RUNS: usize = 7;
const MIB: usize = 64;

pub fn run() -> Result<()> {
    sys::say_if_busy(1);
    // The forkserver starts first, while this process is small: per request
    // byte, it forks a child, joins it and replies with a byte.
    let (mut request_reader, mut requests) = io::pipe()?;
    let (mut replies, mut reply_writer) = io::pipe()?;
    let mut server = fork_child_fallible(|| -> Result<()> {
        for _ in 0..RUNS {
            request_reader.read_exact(&mut [0])?;
            check_waited("child", fork_child(|| ())?.join_or_kill(DEADLINE)?)?;
            reply_writer.write_all(&[0])?;
        }
        Ok(())
    })?;
    // Without our copy, a server that fails ends our read with end of file.
    drop(reply_writer);
    // Then the parent grows, as a program does once it has loaded its data.
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
    let server_cost = median_time(|| {
        requests.write_all(&[0])?;
        Ok(replies.read_exact(&mut [0])?)
    })?;
    check_waited("forkserver", server.join_or_kill(DEADLINE)?)?;
    println!(
        "start a child, run an empty task, join it (median of {RUNS} runs):
  fork        {fork_cost:>9.2?}  copies the page tables of {MIB} MiB
  spawn       {spawn_cost:>9.2?}  a fresh program: exec, load, start
  forkserver  {server_cost:>9.2?}  a request; the small server forks"
    );
    Ok(())
}

fn median_time(
    mut start_and_join: impl FnMut() -> Result<()>,
) -> Result<Duration> {
    let mut times = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        start_and_join()?;
        times.push(started.elapsed());
    }
    times.sort();
    Ok(times[RUNS / 2])
}
