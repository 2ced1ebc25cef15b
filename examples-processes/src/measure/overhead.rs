//! What our safe layer costs over the bare calls: `fork_child` + `join` against
//! `fork` + `waitpid`, and a named `thread::Builder` spawn with a checked join (the
//! way the examples start threads) against `thread::spawn` + `join`. Samples
//! alternate between the two.

use std::hint::black_box;
use std::thread;
use std::time::Duration;

use anyhow::{Context, anyhow, ensure};
use serde_json::{Value, json};
use shared::measure::{Found, Options, Summary, time_pair};

use super::raw;
use crate::status;
use crate::sys::fork_child;

/// One wrapper against its bare baseline: both times (µs) and their medians' ratio.
fn row(wrapper: &str, baseline: &str, ours: &[Duration], bare: &[Duration]) -> Value {
    let (ours_us, raw_us) = (Summary::micros(ours), Summary::micros(bare));
    json!({
        "wrapper": wrapper,
        "baseline": baseline,
        "ours_us": ours_us,
        "raw_us": raw_us,
        "ratio": ours_us.median / raw_us.median,
    })
}

fn empty_target() -> u64 {
    black_box(1)
}

/// Measures both pairs.
pub fn measure(options: &Options) -> anyhow::Result<Found> {
    let (warmup, samples) = options.pick((20, 400), (5, 60));
    let (ours, bare) = time_pair(
        warmup,
        samples,
        || -> anyhow::Result<()> {
            let mut child = fork_child(|| ())?;
            status::check("a measured fork child", child.join()?)
        },
        || -> anyhow::Result<()> {
            let raw_status = raw::fork_and_wait().context("fork + waitpid")?;
            ensure!(
                raw_status == 0,
                "a bare fork child ended with raw wait status {raw_status:#x}"
            );
            Ok(())
        },
    )?;
    let fork = row("fork_child + join", "fork + waitpid", &ours, &bare);

    let (warmup, samples) = options.pick((100, 2000), (20, 300));
    let (ours, bare) = time_pair(
        warmup,
        samples,
        || -> anyhow::Result<u64> {
            let handle = thread::Builder::new()
                .name("measured".into())
                .spawn(empty_target)
                .context("spawning thread 'measured'")?;
            shared::join(handle)
        },
        || -> anyhow::Result<u64> {
            thread::spawn(empty_target)
                .join()
                .map_err(|_| anyhow!("a thread panicked"))
        },
    )?;
    let wrapper = "thread::Builder (named) + checked join";
    let thread = row(wrapper, "thread::spawn + join", &ours, &bare);
    let heading = "Wrapper overhead: our safe layer against the bare calls (goal: ratio ≤ 1.10)";
    Ok(Found::new(heading, json!({ "wrapper_overhead": [fork, thread] })))
}
