//! Two things to compare, timed in alternation: fork against spawn at each parent
//! size, the safe layer against the raw calls.

use std::hint::black_box;
use std::time::{Duration, Instant};

/// Like [`shared::measure::time_samples`] for two things to compare: the samples of
/// `a` and `b` alternate (`a b b a a b …`), so a machine that speeds up or slows down
/// during the run affects both alike and their ratio stays fair.
pub fn time_interleaved<A, B>(
    warmup: usize,
    samples: usize,
    mut a: impl FnMut() -> anyhow::Result<A>,
    mut b: impl FnMut() -> anyhow::Result<B>,
) -> anyhow::Result<(Vec<Duration>, Vec<Duration>)> {
    for _ in 0..warmup {
        black_box(a()?);
        black_box(b()?);
    }
    let (mut a_samples, mut b_samples) =
        (Vec::with_capacity(samples), Vec::with_capacity(samples));
    for index in 0..samples {
        let mut time_a = || -> anyhow::Result<()> {
            let start = Instant::now();
            let output = a()?;
            a_samples.push(start.elapsed());
            black_box(output);
            Ok(())
        };
        if index % 2 == 0 {
            time_a()?;
        }
        let start = Instant::now();
        let output = b()?;
        b_samples.push(start.elapsed());
        black_box(output);
        if index % 2 == 1 {
            time_a()?;
        }
    }
    Ok((a_samples, b_samples))
}
