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
pub fn cpu_job(range: Range<u64>) -> u64 {
    range.map(collatz_steps).sum()
}

/// The part of the CPU-bound job that worker `worker` of `workers` does when the range is
/// *interleaved*: every `workers`-th number, starting at its own. Larger numbers take more
/// steps, so consecutive halves are unequal work; interleaved parts are nearly equal. The
/// parts' results add up to [`cpu_job`]'s.
pub fn cpu_job_interleaved(range: Range<u64>, worker: usize, workers: usize) -> u64 {
    assert!(worker < workers, "worker {worker} of {workers}");
    (range.start.saturating_add(worker as u64)..range.end).step_by(workers).map(collatz_steps).sum()
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
        for workers in [1, 2, 3, 4] {
            let parts: u64 = (0..workers).map(|worker| cpu_job_interleaved(1..1000, worker, workers)).sum();
            assert_eq!(parts, cpu_job(1..1000), "{workers} workers");
        }
        // Worker 1 of 2 takes the even numbers 2, 4, 6, 8: 1 + 2 + 8 + 3 steps.
        assert_eq!(cpu_job_interleaved(1..10, 1, 2), 14);
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
