//! Starting a process and waiting for it, three ways in turns: this program
//! re-running itself (as the `seed` example does; CPython's `spawn` starts a fresh
//! interpreter), `/bin/true` (a tiny C program: the floor), and a child of the
//! book's fork server (the counterpart of CPython's `forkserver`).

use std::process::{Command, Stdio};

use anyhow::Context;
use serde_json::{Map, Value, json};
use shared::measure::{Found, Options, Summary, time_round_robin};

use crate::examples::fork_server::ForkServer;
use crate::{status, tasks};

pub fn measure(options: &Options, _: &Map<String, Value>) -> anyhow::Result<Found> {
    let (warmup, samples) = options.pick((5, 100), (2, 20));
    // Forked now, while this process has one thread.
    let mut server =
        ForkServer::start(|_request| ()).context("starting the fork server")?;
    let start_and_wait = |what: &str, mut command: Command| {
        let exit = command.stdin(Stdio::null()).status();
        status::check(what, exit.with_context(|| format!("starting {what}"))?)
    };
    let times = time_round_robin(
        warmup,
        samples,
        &mut [
            &mut || {
                start_and_wait("the 'nothing' task", tasks::command("nothing", &[])?)
            },
            &mut || start_and_wait("/bin/true", Command::new("/bin/true")),
            &mut || {
                let exit = server.start_child(0).context("asking the fork server")?;
                status::check("a fork server child", exit)
            },
        ],
    );
    let stopped = server.stop();
    let times = times?;
    stopped?;
    let ways = ["rust-self-spawn", "bin-true", "rust-fork-server"];
    let hows = [
        "Command re-runs this program with a hidden task that does nothing",
        "Command runs /bin/true: the floor",
        "the fork-server example's server forks a child that does nothing",
    ];
    let rows = ways.iter().zip(hows).zip(&times).map(|((way, how), durations)| {
        json!({ "way": way, "how": how, "start_wait_us": Summary::micros(durations) })
    });
    let heading = "Starting a process and waiting for it, in turns";
    Ok(Found::new(heading, json!({ "process_start": rows.collect::<Vec<_>>() })))
}
