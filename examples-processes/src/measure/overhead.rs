//! What our safe layer costs over the bare calls: `fork_child` + `join` against
//! `fork` + `waitpid`, and a named `thread::Builder` spawn with a checked join (the
//! way the examples start threads) against `thread::spawn` + `join`. Samples
//! alternate between the two.

use std::hint::black_box;
use std::thread;

use anyhow::{Context, anyhow, ensure};
use serde_json::{Value, json};
use shared::measure::{Options, Progress, Summary, time_pair};

use super::raw;
use crate::status;
use crate::sys::fork_child;

/// One wrapper against its bare baseline.
pub struct Overhead {
    /// Our way.
    pub wrapper: &'static str,
    /// The bare way.
    pub baseline: &'static str,
    /// Ours, µs.
    pub ours_us: Summary,
    /// Bare, µs.
    pub raw_us: Summary,
}

impl Overhead {
    /// Our median over the bare median.
    pub fn ratio(&self) -> f64 {
        self.ours_us.median / self.raw_us.median
    }

    /// `{"wrapper", "baseline", "ours_us", "raw_us", "ratio"}`.
    pub fn to_json(&self) -> Value {
        json!({ "wrapper": self.wrapper, "baseline": self.baseline, "ours_us": self.ours_us.to_json(), "raw_us": self.raw_us.to_json(), "ratio": self.ratio() })
    }
}

fn empty_target() -> u64 {
    black_box(1)
}

/// Measures both pairs.
pub fn measure(
    options: &Options,
    progress: &Progress,
) -> anyhow::Result<Vec<Overhead>> {
    progress.item("fork_child + join against fork + waitpid", 0, 2);
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
    let fork = Overhead {
        wrapper: "fork_child + join",
        baseline: "fork + waitpid",
        ours_us: Summary::micros(&ours),
        raw_us: Summary::micros(&bare),
    };

    progress.item(
        "named thread::Builder + checked join against thread::spawn + join",
        1,
        2,
    );
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
    let thread = Overhead {
        wrapper: "thread::Builder (named) + checked join",
        baseline: "thread::spawn + join",
        ours_us: Summary::micros(&ours),
        raw_us: Summary::micros(&bare),
    };
    Ok(vec![fork, thread])
}
