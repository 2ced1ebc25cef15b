//! Timing and statistics: warm-up, then many samples, summarised by the median with its
//! range; several jobs timed in turns; the CPU-bound job calibrated to a duration.

use std::hint::black_box;
use std::ops::Range;
use std::time::{Duration, Instant};

use crate::work::cpu_job;

/// A median with its spread: how every timing is reported. Plots draw the 10th–90th percentile
/// band as whiskers (one delayed sample cannot stretch it); the JSON keeps min and max too. The
/// median of an even count is the mean of the two middle values; the percentiles are nearest
/// rank (`p10`: the value at index round(0.1·(n−1)) once sorted), and `samples` is the count.
#[allow(missing_docs)] // The fields are what their names say; the doc above says how they are taken.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Summary {
    pub median: f64,
    pub p10: f64,
    pub p90: f64,
    pub min: f64,
    pub max: f64,
    pub samples: usize,
}

impl Summary {
    /// Summarises `values`. Panics if there are none (a measurement always takes some).
    pub fn of(values: &[f64]) -> Summary {
        assert!(!values.is_empty(), "no samples to summarise");
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let last = sorted.len() - 1;
        // For an odd count, both middle indices are the one middle value.
        let median = (sorted[last / 2] + sorted[sorted.len() / 2]) / 2.0;
        let [p10, p90] = [0.1, 0.9].map(|fraction: f64| sorted[(fraction * last as f64).round() as usize]);
        Summary { median, p10, p90, min: sorted[0], max: sorted[last], samples: sorted.len() }
    }

    /// Summarises durations in microseconds.
    pub fn micros(durations: &[Duration]) -> Summary {
        Summary::of(&Vec::from_iter(durations.iter().map(|duration| duration.as_secs_f64() * 1e6)))
    }

    /// Summarises durations in milliseconds.
    pub fn millis(durations: &[Duration]) -> Summary {
        Summary::of(&Vec::from_iter(durations.iter().map(|duration| duration.as_secs_f64() * 1e3)))
    }

    /// Each value mapped through `f` (which must be monotonic: a rate from a time reverses
    /// min and max, and the percentiles, and this puts them back).
    pub fn map(&self, f: impl Fn(f64) -> f64) -> Summary {
        let mut values = [self.min, self.p10, self.median, self.p90, self.max].map(f);
        values.sort_by(f64::total_cmp);
        let [min, p10, median, p90, max] = values;
        Summary { median, p10, p90, min, max, samples: self.samples }
    }
}

/// Runs `run` `warmup` times untimed, then `samples` times timed; what it returns goes through
/// [`black_box`], so the work cannot be optimised away. An error from any run ends the measurement.
pub fn time_samples<T>(
    warmup: usize,
    samples: usize,
    mut run: impl FnMut() -> anyhow::Result<T>,
) -> anyhow::Result<Vec<Duration>> {
    let mut job = || run().map(|output| drop(black_box(output)));
    Ok(time_round_robin(warmup, samples, &mut [&mut job])?.remove(0))
}

/// Like [`time_samples`] for several jobs to compare: one run of each per round (the first
/// `warmup` rounds untimed), each round starting one job later, so a change in the machine's
/// load during the run falls on every job alike. Returns each job's durations, in the order of `jobs`.
pub fn time_round_robin(
    warmup: usize,
    samples: usize,
    jobs: &mut [&mut dyn FnMut() -> anyhow::Result<()>],
) -> anyhow::Result<Vec<Vec<Duration>>> {
    let mut durations = vec![Vec::with_capacity(samples); jobs.len()];
    for round in 0..warmup + samples {
        for offset in 0..jobs.len() {
            let index = (round + offset) % jobs.len();
            let start = Instant::now();
            jobs[index]()?;
            if round >= warmup {
                durations[index].push(start.elapsed());
            }
        }
    }
    Ok(durations)
}

/// [`time_round_robin`] for two jobs whose results go through [`black_box`]: their runs
/// alternate (`a b b a a b …`), so their ratio stays fair.
pub fn time_pair<A, B>(
    warmup: usize,
    samples: usize,
    mut a: impl FnMut() -> anyhow::Result<A>,
    mut b: impl FnMut() -> anyhow::Result<B>,
) -> anyhow::Result<(Vec<Duration>, Vec<Duration>)> {
    let mut a = || a().map(|output| drop(black_box(output)));
    let mut b = || b().map(|output| drop(black_box(output)));
    let [a, b]: [_; 2] = time_round_robin(warmup, samples, &mut [&mut a, &mut b])?.try_into().unwrap();
    Ok((a, b))
}

/// A range `1..end` for [`cpu_job`] that takes about `target` on one core of this machine
/// (and this build: a debug build gets a shorter range, so `--quick` stays quick).
pub fn calibrate_cpu_job(target: Duration) -> Range<u64> {
    calibrate(target, |range| {
        let start = Instant::now();
        black_box(cpu_job(black_box(range)));
        start.elapsed()
    })
}

/// The calibration, with `time_job` timing one run of `1..end`, so a test can give a known cost.
fn calibrate(target: Duration, mut time_job: impl FnMut(Range<u64>) -> Duration) -> Range<u64> {
    // Time a run of at least a tenth of the target, then scale: the job's cost grows about
    // linearly with the length of the range.
    let mut end: u64 = 1_000;
    let mut elapsed = time_job(1..end);
    while elapsed < target / 10 && end < 1 << 40 {
        end *= 4;
        elapsed = time_job(1..end);
    }
    let scale = target.as_secs_f64() / elapsed.as_secs_f64().max(1e-9);
    1..((end as f64 * scale) as u64).max(1_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_is_median_and_range() {
        let summary = Summary::of(&[5.0, 1.0, 3.0]);
        assert_eq!(summary, Summary { median: 3.0, p10: 1.0, p90: 5.0, min: 1.0, max: 5.0, samples: 3 });
        // Eleven values 0…10 plus one outlier: the 90th percentile (index 10 of 0…11, rounded
        // from 9.9) leaves the outlier out; the max keeps it.
        let spread = Summary::of(&Vec::from_iter((0..=10).map(f64::from).chain([700.0])));
        assert_eq!((spread.p10, spread.p90, spread.max), (1.0, 10.0, 700.0));
        assert_eq!(Summary::of(&[4.0, 1.0, 2.0, 3.0]).median, 2.5);
        let rate = summary.map(|time| 10.0 / time);
        assert_eq!((rate.min, rate.median, rate.max), (2.0, 10.0 / 3.0, 10.0));
    }

    #[test]
    fn round_robin_times_every_job_every_round() {
        let (mut first, mut second) = (0, 0);
        let mut first_job = || {
            first += 1;
            Ok(())
        };
        let mut second_job = || {
            second += 1;
            Ok(())
        };
        let durations = time_round_robin(1, 3, &mut [&mut first_job, &mut second_job]).unwrap();
        assert_eq!((first, second), (4, 4));
        assert_eq!(durations.iter().map(Vec::len).collect::<Vec<_>>(), [3, 3]);
    }

    #[test]
    fn calibrated_job_takes_roughly_the_target() {
        // Jobs of known cost, 1 ns and 7 ns per number, instead of the clock: the range found
        // must take the target (20 ms) at that cost, within rounding. No timing involved.
        for nanos in [1, 7] {
            let cost = |range: Range<u64>| Duration::from_nanos(range.end * nanos);
            let range = calibrate(Duration::from_millis(20), cost);
            let took = cost(range.clone()).as_secs_f64();
            assert!((took - 0.020).abs() < 0.020 * 0.01, "{range:?} takes {took} s at {nanos} ns each");
        }
        // The real job: a range longer than the starting one, for any machine.
        assert!(calibrate_cpu_job(Duration::from_millis(20)).end > 1_000);
    }
}
