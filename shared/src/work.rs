//! A deterministic CPU-bound job, the same one in every example and measurement that compares
//! threads, processes and rayon: the result can be checked, and no part of it waits.

use std::ops::Range;

/// The number of steps the Collatz sequence of `start` takes to reach 1.
pub fn collatz_steps(start: u64) -> u64 {
    let mut value = start;
    let mut steps = 0;
    while value > 1 {
        value = if value.is_multiple_of(2) { value / 2 } else { 3 * value + 1 };
        steps += 1;
    }
    steps
}

/// The CPU-bound job: the sum of [`collatz_steps`] over `range`. Its cost grows about
/// linearly with the length of the range, and any split of the range gives the same total.
///
/// Never inlined: every way of running the job (one thread, threads, rayon, processes)
/// calls this one compiled loop, so a comparison measures how the work was split and run,
/// not how the compiler happened to lay out the loop at each call site (on the snapshot
/// machine, rayon over `map(collatz_steps)` ran about 20% slower on one thread than this
/// loop: a difference in the compiled loop, not in rayon's scheduling).
#[inline(never)]
pub fn cpu_job(range: Range<u64>) -> u64 {
    range.map(collatz_steps).sum()
}

/// How many consecutive numbers [`cpu_job_interleaved`] deals to a worker at a time.
pub const INTERLEAVE_BLOCK: u64 = 1024;

/// The part of the CPU-bound job that worker `worker` of `workers` does when the range is
/// *interleaved*: blocks of [`INTERLEAVE_BLOCK`] consecutive numbers dealt round robin,
/// worker 0 the first block, worker 1 the second, and so on. Larger numbers take more
/// steps, so consecutive halves are unequal work; dealt blocks are nearly equal. Blocks,
/// not single numbers: dealing every other number to two workers splits the range by
/// parity, and an odd number takes more steps than an even one (`3n + 1`, then a halving,
/// against a single halving): about 10% more over `1..1_300_000`, which is as unequal as
/// contiguous halves. The parts' results add up to [`cpu_job`]'s.
pub fn cpu_job_interleaved(range: Range<u64>, worker: usize, workers: usize) -> u64 {
    assert!(worker < workers, "worker {worker} of {workers}");
    blocks(range).skip(worker).step_by(workers).map(cpu_job).sum()
}

/// `range` cut into blocks of [`INTERLEAVE_BLOCK`] consecutive numbers (the last one
/// shorter when the length does not divide evenly): the pieces [`cpu_job_interleaved`]
/// deals, and the pieces rayon steals in `measure`.
pub fn blocks(range: Range<u64>) -> impl Iterator<Item = Range<u64>> {
    let end = range.end;
    range
        .step_by(INTERLEAVE_BLOCK as usize)
        .map(move |start| start..start.saturating_add(INTERLEAVE_BLOCK).min(end))
}

/// Splits `range` into `parts` consecutive ranges of nearly equal length (the first ones one
/// longer when it does not divide evenly), covering it exactly.
pub fn split_range(range: Range<u64>, parts: usize) -> Vec<Range<u64>> {
    assert!(parts > 0, "cannot split a range into 0 parts");
    let length = range.end.saturating_sub(range.start);
    let parts_u64 = parts as u64;
    let (base, extra) = (length / parts_u64, length % parts_u64);
    let mut start = range.start;
    (0..parts_u64)
        .map(|index| {
            let end = start + base + u64::from(index < extra);
            let part = start..end;
            start = end;
            part
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interleaved_parts_add_up_to_the_whole_job() {
        for end in [10, 1000, 5000, 3 * INTERLEAVE_BLOCK + 7] {
            for workers in [1, 2, 3, 4] {
                let parts: u64 =
                    (0..workers).map(|worker| cpu_job_interleaved(1..end, worker, workers)).sum();
                assert_eq!(parts, cpu_job(1..end), "1..{end}, {workers} workers");
            }
        }
        // Worker 1 of 2 starts at the second block: nothing below 1 + INTERLEAVE_BLOCK.
        assert_eq!(cpu_job_interleaved(1..10, 1, 2), 0);
        let second_block = 1 + INTERLEAVE_BLOCK..1 + 2 * INTERLEAVE_BLOCK;
        assert_eq!(cpu_job_interleaved(1..1 + 2 * INTERLEAVE_BLOCK, 1, 2), cpu_job(second_block));
    }

    /// What the split is for: the largest part is within 2% of an equal share for 2 and 4
    /// workers, where contiguous parts are off by 5% or more, and so is dealing single
    /// numbers to 2 workers (odd against even).
    #[test]
    fn interleaved_blocks_are_nearly_equal_work_and_single_numbers_are_not() {
        let range = 1..200_000;
        let whole = cpu_job(range.clone()) as f64;
        let largest_share = |parts: Vec<u64>| {
            let workers = parts.len() as f64;
            *parts.iter().max().unwrap() as f64 / (whole / workers)
        };
        for workers in [2, 4] {
            let blocks = largest_share(
                (0..workers).map(|worker| cpu_job_interleaved(range.clone(), worker, workers)).collect(),
            );
            let contiguous =
                largest_share(split_range(range.clone(), workers).into_iter().map(cpu_job).collect());
            assert!(blocks < 1.02, "{workers} workers, blocks: largest part {blocks:.3} of a share");
            assert!(contiguous > 1.05, "{workers} workers, contiguous: {contiguous:.3}");
        }
        let (even, odd): (Vec<u64>, Vec<u64>) = range.clone().partition(|n| n % 2 == 0);
        let by_parity = largest_share(vec![cpu_job_list(&even), cpu_job_list(&odd)]);
        assert!(by_parity > 1.04, "odd against even: {by_parity:.3}");
    }

    fn cpu_job_list(numbers: &[u64]) -> u64 {
        numbers.iter().copied().map(collatz_steps).sum()
    }

    #[test]
    fn collatz_steps_known_values() {
        assert_eq!(collatz_steps(1), 0);
        assert_eq!(collatz_steps(6), 8);
        assert_eq!(collatz_steps(27), 111);
    }

    #[test]
    fn any_split_gives_the_same_total() {
        let whole = cpu_job(1..10_001);
        for parts in [1, 2, 3, 4, 7, 16] {
            let split = split_range(1..10_001, parts);
            assert_eq!(split.len(), parts);
            assert_eq!(split.first().unwrap().start, 1);
            assert_eq!(split.last().unwrap().end, 10_001);
            assert!(split.windows(2).all(|pair| pair[0].end == pair[1].start));
            assert_eq!(split.into_iter().map(cpu_job).sum::<u64>(), whole);
        }
    }
}
