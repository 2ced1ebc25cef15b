//! `Barrier`, Python's `threading.Barrier`: every thread finishes phase 1
//! before any thread starts phase 2.

use std::sync::Barrier;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

const THREADS: usize = 4;

pub fn main() -> anyhow::Result<()> {
    // ANCHOR: barrier
    let barrier = Barrier::new(THREADS);
    let phase_one_done = AtomicUsize::new(0);

    let seen = thread::scope(|scope| {
        let handles: Vec<_> = (0..THREADS)
            .map(|worker| {
                let (barrier, phase_one_done) = (&barrier, &phase_one_done);
                scope.spawn(move || {
                    println!("worker {worker}: phase 1");
                    phase_one_done.fetch_add(1, Ordering::SeqCst);
                    // Blocks until all four have arrived; exactly one of them
                    // is told it is the leader (Python's `wait()` returns an
                    // index for the same purpose).
                    let leader = barrier.wait().is_leader();
                    let seen = phase_one_done.load(Ordering::SeqCst);
                    println!(
                        "worker {worker}: phase 2, sees {seen} of {THREADS} \
                         phase-1 results{}",
                        if leader { " (leader)" } else { "" }
                    );
                    (seen, leader)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("a worker panicked"))
            .collect::<Vec<_>>()
    });
    // ANCHOR_END: barrier

    let leaders = seen.iter().filter(|(_, leader)| *leader).count();
    let all_saw_everything = seen.iter().all(|&(seen, _)| seen == THREADS);
    println!(
        "every worker saw all {THREADS} phase-1 results: {all_saw_everything}; \
         leaders: {leaders}"
    );
    assert!(all_saw_everything);
    assert_eq!(leaders, 1);
    Ok(())
}
