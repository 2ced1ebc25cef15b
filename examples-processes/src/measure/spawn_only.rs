//! `measure` where there is no fork (Windows): the cost of spawning a child,
//! start+wait, the figure every platform can give. Every figure that needs fork (the
//! fork curve, the forked speedup, shared-memory handoff, the memory of a forked
//! child, the wrapper overhead, the CPython fork comparison) appears in `--json` as
//! `{"skipped": "reason"}`.

use serde_json::json;
use shared::measure::{Session, Summary, print_report, time_samples};

use crate::{status, sys, tasks};

const PACKAGE: &str = "examples-processes";
const NO_FORK: &str = "needs fork, which Windows does not have";

/// Runs the measurement; `args` are the options after `measure`.
pub fn run(args: &[String]) -> anyhow::Result<()> {
    let what = "spawn cost (fork figures are skipped: no fork here)";
    let Some(Session { options, machine, date, mut progress }) =
        Session::start(args, PACKAGE, what, 1)?
    else {
        return Ok(()); // `--help`: the usage is printed.
    };
    if options.plot_dir.is_some() {
        return Err(shared::usage_error!("--plot: no curves to plot without fork"));
    }
    progress.section("spawn+wait of a child that does nothing");
    let (warmup, samples) = options.pick((3, 30), (1, 7));
    // ANCHOR: spawn_wait
    let spawn = time_samples(warmup, samples, || {
        let mut child = tasks::command("nothing", &[])?.spawn()?;
        status::check_waited(
            "a measured spawn child",
            sys::wait_or_kill(&mut child, DEADLINE)?,
        )
    })?;
    // ANCHOR_END: spawn_wait
    let spawn_wait_us = Summary::micros(&spawn);
    let skipped = json!({ "skipped": NO_FORK });
    let json = json!({
        "date": date,
        "machine": machine.to_json(),
        "mode": options.mode(),
        "build": if cfg!(debug_assertions) { "debug" } else { "release" },
        "duration_s": progress.elapsed().as_secs_f64(),
        "spawn_wait_us": spawn_wait_us.to_json(),
        "fork_curve": skipped,
        "fork_slope_ms_per_gib": skipped,
        "spawn_curve": { "skipped": "grows the parent's memory to compare with fork" },
        "speedup": skipped,
        "handoff": skipped,
        "pss_per_process_kib": skipped,
        "page_tables_per_process_kib": skipped,
        "wrapper_overhead": skipped,
        "python": skipped,
    });
    let text = format!(
        "Processes, measured on: {}\n{date}, {} mode.\n\n\
         spawn+wait of this program on an empty task: {} µs, median (min–max)\n\
         skipped, each {NO_FORK}: the fork curve, the forked speedup, handoff, the memory of \
         a forked child, the wrapper overhead, the CPython comparison.\n",
        machine.line(),
        options.mode(),
        spawn_wait_us.cell()
    );
    print_report(&options, &json, &text);
    Ok(())
}

/// A spawned child that does nothing ends long before this, even on a loaded machine.
const DEADLINE: std::time::Duration = std::time::Duration::from_secs(60);
