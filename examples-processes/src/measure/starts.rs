//! Starting a process and waiting for it, three ways in turns: this Rust program
//! re-running itself with a hidden task (as the `seed` example does: the counterpart
//! of CPython's `spawn`, which starts a fresh interpreter), `/bin/true` (a tiny C
//! program: the floor any spawn pays), and a child of the book's fork server (the
//! counterpart of CPython's `forkserver`). Then what our safe layer costs over the
//! bare calls, each pair timed in turns.

use std::hint::black_box;
use std::process::{Command, Stdio};
use std::thread;

use anyhow::{Context, anyhow};
use serde_json::{Map, Value, json};
use shared::measure::{Found, Options, Summary, time_pair, time_round_robin};

use crate::examples::fork_server::ForkServer;
use crate::sys::{bare_fork_and_wait, fork_child};
use crate::{status, tasks};

/// Measures the three ways in turns. The fork server is started first, while this
/// process has one thread, and stopped at the end.
pub fn measure(options: &Options, _: &Map<String, Value>) -> anyhow::Result<Found> {
    let (warmup, samples) = options.pick((5, 100), (2, 20));
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
    let rows = ways.iter().zip(&times).map(|(&(way, how), durations)| {
        json!({ "way": way, "how": how, "start_wait_us": Summary::micros(durations) })
    });
    let heading = "Starting a process and waiting for it, in turns";
    Ok(Found::new(heading, json!({ "process_start": rows.collect::<Vec<_>>() })))
}

/// `fork_child` + `join` against `fork` + `waitpid`, and a named `thread::Builder`
/// spawn with a checked join (the way the examples start threads) against
/// `thread::spawn` + `join`: each row both times (µs) and their medians' ratio.
pub fn overhead(options: &Options, _: &Map<String, Value>) -> anyhow::Result<Found> {
    let (warmup, samples) = options.pick((20, 400), (5, 60));
    let fork = time_pair(
        warmup,
        samples,
        || {
            let mut child = fork_child(|| ())?;
            status::check("a measured fork child", child.join()?)
        },
        || status::check("a bare fork child", bare_fork_and_wait()?),
    )?;
    let (warmup, samples) = options.pick((100, 2000), (20, 300));
    let empty_target = || black_box(1);
    let thread = time_pair(
        warmup,
        samples,
        || {
            let builder = thread::Builder::new().name("measured".into());
            shared::join(builder.spawn(empty_target).context("spawning a thread")?)
        },
        || thread::spawn(empty_target).join().map_err(|_| anyhow!("it panicked")),
    )?;
    let rows = [
        ("fork_child + join", "fork + waitpid", fork),
        ("thread::Builder (named) + checked join", "thread::spawn + join", thread),
    ];
    let rows = rows.map(|(wrapper, baseline, (ours, bare))| {
        let (ours_us, raw_us) = (Summary::micros(&ours), Summary::micros(&bare));
        let ratio = ours_us.median / raw_us.median;
        json!({ "wrapper": wrapper, "baseline": baseline,
                "ours_us": ours_us, "raw_us": raw_us, "ratio": ratio })
    });
    let heading = "Wrapper overhead: our safe layer against the bare calls (goal: ratio ≤ 1.10)";
    Ok(Found::new(heading, json!({ "wrapper_overhead": rows })))
}
