//! `measure` where there is no fork (Windows): the cost of spawning a child,
//! start+wait, the figure every platform can give. Every other figure appears in
//! `--json` as `{"skipped": "reason"}`, each with its own reason.

use std::time::Duration;

use serde_json::json;
use shared::measure::driver::{self, Command, Found, Section};
use shared::measure::{Summary, skipped, time_samples};
use shared::usage_error;

use crate::{status, sys, tasks};

const NO_FORK: &str = "needs fork, which Windows does not have";
const PSS: &str = "the children measured are forked, and PSS is read from \
                   /proc/PID/smaps_rollup: Linux only";
/// Why each figure but the spawn cost is skipped here: (JSON key, reason).
const SKIPPED: [(&str, &str); 9] = [
    ("fork_curve", NO_FORK),
    ("fork_slope_ms_per_gib", NO_FORK),
    (
        "spawn_curve",
        "grows the parent's memory to compare with fork, which Windows does not have",
    ),
    (
        "speedup",
        "its workers are forked children, and Windows has no fork (the cpu-bound example \
         times spawned workers)",
    ),
    (
        "handoff",
        "its shared-memory way is an anonymous mapping a forked child inherits, and Windows \
         has no fork; the thread and pipe ways are measured beside it, on Unix only",
    ),
    ("pss_per_process_kib", PSS),
    ("page_tables_per_process_kib", PSS),
    (
        "wrapper_overhead",
        "its first row sets fork_child against a bare fork, which Windows does not have; \
         the thread row is measured beside it, on Unix only",
    ),
    (
        "python",
        "sets each of CPython's start methods beside Rust's fork and fork server, and its \
         pool uses the fork context: Windows has neither fork nor a fork server",
    ),
];

const SECTIONS: &[Section] = &[
    ("spawn+wait of a child that does nothing", |options, _| {
        if options.plot_dir.is_some() {
            return Err(usage_error!("--plot: no curves to plot without fork"));
        }
        let (warmup, samples) = options.pick((3, 30), (1, 7));
        let spawn = time_samples(warmup, samples, || {
            let mut child = tasks::command("nothing", &[])?.spawn()?;
            // An empty task ends long before this, even on a loaded machine.
            let waited = sys::wait_or_kill(&mut child, Duration::from_secs(60))?;
            status::check_waited("a measured spawn child", waited)
        })?;
        let heading = "spawn+wait of this program on an empty task, µs";
        Ok(Found::new(heading, json!({ "spawn_wait_us": Summary::micros(&spawn) })))
    }),
    ("figures that need fork: skipped", |_, _| {
        let keys = SKIPPED.map(|(key, reason)| (key.to_owned(), skipped(reason)));
        let heading = "Not measured on this platform:".to_owned();
        Ok(Found { heading, keys: keys.into_iter().collect(), ..Found::default() })
    }),
];

pub fn run(args: &[String]) -> anyhow::Result<()> {
    let command = Command {
        package: "examples-processes",
        title: "Processes",
        what: "spawn cost (fork figures are skipped: no fork here)",
        sections: SECTIONS,
        run_order: &[],
    };
    driver::run(args, &command)
}
