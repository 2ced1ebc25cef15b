//! `Barrier`, Python's `threading.Barrier`: every thread finishes phase 1
//! before any thread starts phase 2.

use std::sync::Barrier;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::thread;

pub fn main() -> anyhow::Result<()> {
    let barrier = Barrier::new(4);
    let phase_one_done = AtomicUsize::new(0);
    let seen = thread::scope(|scope| {
        let workers: Vec<_> = (0..4)
            .map(|worker| {
                let (barrier, phase_one_done) = (&barrier, &phase_one_done);
                scope.spawn(move || {
                    println!("worker {worker}: phase 1");
                    phase_one_done.fetch_add(1, SeqCst);
                    let leader = barrier.wait().is_leader(); // One of the four.
                    let seen = phase_one_done.load(SeqCst);
                    let role = if leader { " (leader)" } else { "" };
                    println!(
                        "worker {worker}: phase 2, sees {seen} of 4 phase-1 \
                         results{role}"
                    );
                    (seen, leader)
                })
            })
            .collect();
        let seen = workers.into_iter().map(|worker| worker.join());
        seen.map(|seen| seen.expect("a worker panicked")).collect::<Vec<_>>()
    });
    let leaders = seen.iter().filter(|(_, leader)| *leader).count();
    let all_saw_all = seen.iter().all(|&(seen, _)| seen == 4);
    println!(
        "every worker saw all 4 phase-1 results: {all_saw_all}; leaders: \
         {leaders}"
    );
    assert!(all_saw_all && leaders == 1);
    Ok(())
}
