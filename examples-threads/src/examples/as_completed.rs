//! `concurrent.futures` in Rust: a pool, results as they finish, cancellation.

use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

use crossbeam::channel;

const WORKERS: usize = 4;
const TASKS: u64 = 20;
// The sleep stands in for I/O.
fn task(input: u64) -> Result<u64, String> {
    thread::sleep(Duration::from_millis(10 * (input % 4 + 1)));
    if input == 6 {
        Err(format!("task {input}: bad input"))
    } else {
        Ok(input * input)
    }
}

pub fn main() -> anyhow::Result<()> {
    // ANCHOR: pool
    let (submit, tasks) = channel::unbounded();
    let (report, results) = channel::unbounded();
    let cancelled = AtomicBool::new(false);
    let mut counts = [0; 3]; // Done, failed, cancelled.
    thread::scope(|scope| {
        let workers: Vec<_> = (0..WORKERS)
            .map(|_| {
                let (tasks, report, cancelled) =
                    (tasks.clone(), report.clone(), &cancelled);
                scope.spawn(move || {
                    for input in tasks {
                        // `None`: cancelled, so never started.
                        let outcome = (!cancelled.load(Ordering::Acquire))
                            .then(|| task(input));
                        report
                            .send((input, outcome))
                            .expect("main keeps the results open");
                    }
                })
            })
            .collect();
        (0..TASKS).try_for_each(|input| submit.send(input))?;
        drop((submit, report));
        for (input, outcome) in &results {
            let (line, slot) = match outcome {
                Some(Ok(square)) => (format!("done, result {square}"), 0),
                Some(Err(error)) => (format!("failed: {error}"), 1),
                None => ("cancelled before it started".to_string(), 2),
            };
            println!("task {input}: {line}");
            counts[slot] += 1;
            if slot == 1 && !cancelled.swap(true, Ordering::AcqRel) {
                println!(
                    "first error: the tasks not started yet are cancelled"
                );
            }
        }
        for worker in workers {
            worker.join().expect("a pool thread panicked");
        }
        anyhow::Ok(())
    })?;
    // ANCHOR_END: pool
    let [done, failed, skipped] = counts;
    println!(
        "{TASKS} submitted: {done} done, {failed} failed, {skipped} cancelled"
    );
    assert_eq!(done + failed + skipped, TASKS);
    Ok(())
}
