//! What our safe layer costs over the bare calls: `fork_child` + `join` against
//! `fork` + `waitpid`, and a named `thread::Builder` spawn with a checked join (the
//! way the examples start threads) against `thread::spawn` + `join`. Samples
//! alternate between the two.

use std::hint::black_box;
use std::thread;
use std::time::Duration;

use anyhow::{Context, anyhow, ensure};
use shared::measure::{Options, Summary, time_pair};

use super::raw;
use crate::status;
use crate::sys::fork_child;

/// One wrapper against its bare baseline.
#[derive(serde::Serialize)]
pub struct Overhead {
    pub wrapper: &'static str,
    pub baseline: &'static str,
    pub ours_us: Summary,
    pub raw_us: Summary,
    pub ratio: f64,
}

impl Overhead {
    fn new(
        wrapper: &'static str,
        baseline: &'static str,
        ours: &[Duration],
        bare: &[Duration],
    ) -> Self {
        let (ours_us, raw_us) = (Summary::micros(ours), Summary::micros(bare));
        Overhead {
            wrapper,
            baseline,
            ours_us,
            raw_us,
            ratio: ours_us.median / raw_us.median,
        }
    }
}

fn empty_target() -> u64 {
    black_box(1)
}

/// Measures both pairs.
pub fn measure(options: &Options) -> anyhow::Result<Vec<Overhead>> {
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
    let fork = Overhead::new("fork_child + join", "fork + waitpid", &ours, &bare);

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
    let thread = Overhead::new(
        "thread::Builder (named) + checked join",
        "thread::spawn + join",
        &ours,
        &bare,
    );
    Ok(vec![fork, thread])
}
