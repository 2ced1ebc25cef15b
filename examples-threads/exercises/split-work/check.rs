//! The check of `split-work`: calls the reader's `split_work` with many sizes
//! and looks at which thread did which number. Even means: every number done
//! by exactly one thread, on the threads `split_work` started, and the parts'
//! sizes within one of each other (with `n = q * threads + r`, `r` parts of
//! `q + 1` and the others of `q`, in whatever order).

use std::collections::HashMap;
use std::sync::Mutex;
use std::thread::{self, ThreadId};

use super::split_work;

/// The sizes tried: the program's own first, then every small one, then a
/// larger one.
fn sizes() -> Vec<(u64, u64)> {
    let mut sizes = vec![(1_000, 6)];
    for threads in 1..=9 {
        sizes.extend((0..=40).map(|numbers| (numbers, threads)));
    }
    sizes.push((100_003, 4));
    sizes
}

/// One call of `split_work(numbers, threads, …)`: what is wrong with it, if
/// anything.
fn check(numbers: u64, threads: u64) -> Result<(), String> {
    let caller = thread::current().id();
    let seen: Mutex<Vec<(u64, ThreadId)>> = Mutex::new(Vec::new());
    let parts = split_work(numbers, threads, |number| {
        let mut seen = seen.lock().expect("the check's lock");
        seen.push((number, thread::current().id()));
        number + 1
    });
    let seen = seen.into_inner().expect("the check's lock");
    let with = format!(
        "with {numbers} number{} on {threads} thread{}",
        if numbers == 1 { "" } else { "s" },
        if threads == 1 { "" } else { "s" },
    );
    let mut times = vec![0u64; numbers as usize];
    let mut by_thread: HashMap<ThreadId, u64> = HashMap::new();
    for &(number, thread) in &seen {
        if number >= numbers {
            return Err(format!(
                "{with}, number {number} was done: it is not in 0..{numbers} \
                 (a part that runs past the end)"
            ));
        }
        if thread == caller {
            return Err(format!(
                "{with}, number {number} was done by the calling thread: the \
                 work must run on the threads `split_work` starts"
            ));
        }
        times[number as usize] += 1;
        *by_thread.entry(thread).or_default() += 1;
    }
    let never: Vec<usize> = (0..times.len()).filter(|&n| times[n] == 0).collect();
    if let Some(first) = never.first() {
        let more = match never.len() {
            1 => String::new(),
            n => format!(" (and {} more, the last {})", n - 1, never[n - 1]),
        };
        return Err(format!(
            "{with}, number {first} was never done{more}: a part was left \
             out (the remainder of a division?)"
        ));
    }
    if let Some(twice) = (0..times.len()).find(|&n| times[n] > 1) {
        return Err(format!(
            "{with}, number {twice} was done {} times: two threads' parts \
             overlap",
            times[twice]
        ));
    }
    let counts: Vec<u64> = parts.iter().map(|done| done.numbers).collect();
    if counts.len() as u64 != threads {
        return Err(format!(
            "{with}, `split_work` returned {} parts, {counts:?}: it must start \
             the {threads} threads asked for, no more, one part each",
            counts.len()
        ));
    }
    let mut reported: Vec<u64> = counts.iter().copied().filter(|&n| n > 0).collect();
    let mut actual: Vec<u64> = by_thread.values().copied().collect();
    reported.sort_unstable();
    actual.sort_unstable();
    if reported != actual {
        return Err(format!(
            "{with}, the threads reported {counts:?} numbers, but the work ran \
             as {actual:?} numbers per thread"
        ));
    }
    let sum: u64 = parts.iter().map(|done| done.sum).sum();
    let expected = numbers * (numbers + 1) / 2;
    if sum != expected {
        return Err(format!(
            "{with}, the parts' sums add up to {sum}, not {expected}, the sum \
             of `work` over every number"
        ));
    }
    let (most, least) = (counts.iter().max(), counts.iter().min());
    if let (Some(&most), Some(&least)) = (most, least)
        && most - least > 1
    {
        return Err(format!(
            "{with}, the parts were {counts:?} numbers: {most} and {least} \
             differ by {}; even means no part more than one number bigger \
             than another",
            most - least
        ));
    }
    Ok(())
}

#[test]
fn the_numbers_divide_evenly() {
    let tried = sizes();
    for &(numbers, threads) in &tried {
        if let Err(why) = check(numbers, threads) {
            panic!("{why}");
        }
    }
    println!("{} sizes, each split evenly", tried.len());
}
