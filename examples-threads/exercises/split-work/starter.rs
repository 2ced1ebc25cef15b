// Exercise `split-work`: split the numbers between the threads evenly: every
// number done by exactly one thread, and no thread given more than one number
// more than another.
//
// The check calls `split_work` with many sizes (0 to 40 numbers on 1 to 9
// threads, and more) and looks at which thread did which number.
use std::thread;

const NUMBERS: u64 = 1_000;
const THREADS: u64 = 6;

/// What one thread did: how many numbers, and the sum of their results.
#[derive(Debug)]
struct Done {
    numbers: u64,
    sum: u64,
}

/// Runs `work` on every number of `0..numbers`, split over `threads` threads;
/// returns what each thread did, in thread order.
fn split_work(
    numbers: u64,
    threads: u64,
    work: impl Fn(u64) -> u64 + Sync,
) -> Vec<Done> {
    let work = &work;
    // Each thread gets a part of `chunk` numbers.
    let chunk = numbers / threads;
    thread::scope(|scope| {
        // Steps 1 to 3: create, set the target and start, in one call.
        let workers: Vec<_> = (0..threads)
            .map(|index| {
                let part = index * chunk..(index + 1) * chunk;
                scope.spawn(move || {
                    let mut done = Done { numbers: 0, sum: 0 };
                    for number in part {
                        done.numbers += 1;
                        done.sum += work(number);
                    }
                    done
                })
            })
            .collect();
        // Step 4: join each one, for what it did.
        let joined = workers.into_iter().map(|worker| worker.join());
        joined.map(|done| done.expect("a worker panicked")).collect()
    })
}

/// CPU-bound work: the steps the Collatz sequence from `n` takes to reach 1.
fn collatz_steps(mut n: u64) -> u64 {
    let mut steps = 0;
    while n > 1 {
        n = if n.is_multiple_of(2) { n / 2 } else { 3 * n + 1 };
        steps += 1;
    }
    steps
}

fn main() {
    let parts = split_work(NUMBERS, THREADS, collatz_steps);
    let counts: Vec<u64> = parts.iter().map(|done| done.numbers).collect();
    let sum: u64 = parts.iter().map(|done| done.sum).sum();
    println!("{THREADS} threads did {counts:?} of the {NUMBERS} numbers");
    // The same work on this thread alone: the two sums must agree.
    let expected: u64 = (0..NUMBERS).map(collatz_steps).sum();
    println!("sum of the steps: {sum} (on one thread: {expected})");
}
