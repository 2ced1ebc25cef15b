//! Starting a process, three ways, in turns: a Rust program re-running itself with a
//! hidden task argument (what the `seed` example does: the fair counterpart of
//! CPython's `spawn`, which starts a fresh interpreter), `/bin/true` (a tiny C
//! program: the floor any spawn pays), and a child forked by the fork server the book
//! builds (the `fork-server` example: the counterpart of CPython's `forkserver`).
//! Each is started and waited for.

use std::process::Stdio;

use anyhow::Context;
use serde_json::json;
use shared::measure::{Found, Options, Summary, time_round_robin};

use crate::examples::fork_server::ForkServer;
use crate::status;
use crate::tasks;

/// What the fork server's children run: nothing.
fn nothing(_request: i32) {}

/// Measures the three ways in turns. The fork server is started first, while this
/// process has one thread, and stopped at the end.
pub fn measure(options: &Options) -> anyhow::Result<Found> {
    let (warmup, samples) = options.pick((5, 100), (2, 20));
    let mut server =
        ForkServer::start(nothing).context("starting the fork server")?;
    let mut self_spawn = || -> anyhow::Result<()> {
        let exit = tasks::command("nothing", &[])?
            .stdin(Stdio::null())
            .status()
            .context("re-running this program")?;
        status::check("this program's 'nothing' task", exit)
    };
    let mut bin_true = || -> anyhow::Result<()> {
        let exit = std::process::Command::new("/bin/true")
            .stdin(Stdio::null())
            .status()
            .context("spawning /bin/true")?;
        status::check("/bin/true", exit)
    };
    let mut fork_server = || -> anyhow::Result<()> {
        status::check(
            "a fork server child",
            server.start_child(0).context("asking the fork server")?,
        )
    };
    let times = time_round_robin(
        warmup,
        samples,
        &mut [&mut self_spawn, &mut bin_true, &mut fork_server],
    );
    let stopped = server.stop();
    let times = times?;
    stopped?;
    let ways = [
        (
            "rust-self-spawn",
            "Command re-runs this program with a hidden task that does nothing",
        ),
        ("bin-true", "Command runs /bin/true: the floor"),
        (
            "rust-fork-server",
            "the fork-server example's server forks a child that does nothing",
        ),
    ];
    let rows: Vec<_> = (ways.iter().zip(&times))
        .map(|(&(way, how), durations)| {
            json!({ "way": way, "how": how, "start_wait_us": Summary::micros(durations) })
        })
        .collect();
    let heading = "Starting a process and waiting for it, in turns";
    Ok(Found::new(heading, json!({ "process_start": rows })))
}
