//! 10,000 concurrent waits (sleeps standing in for I/O), as tokio tasks and as
//! OS threads (the `thread-per-wait` example's): what each costs.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use super::thread_per_wait::{
    Figures, WAIT, report, rss_growth, waits_arg, with_threads,
};

/// The same waits as tokio tasks, then as OS threads (`thread-per-wait`),
/// compared.
pub fn run(args: &[String]) -> anyhow::Result<()> {
    let waits = waits_arg(args, "async-vs-threads")?;
    println!("{waits} concurrent waits of {} ms each", WAIT.as_millis());
    // Tasks first: memory the threads free stays resident, for later tasks to
    // reuse.
    report("tokio tasks", &with_tasks(waits)?);
    report("threads", &with_threads(waits)?);
    Ok(())
}

// ANCHOR: tasks
/// One tokio task per wait, all on this thread (`current_thread`: waits need no
/// CPU).
pub fn with_tasks(waits: usize) -> anyhow::Result<Figures> {
    let before = shared::measure::rss_kib().ok();
    let (clock, running) = (Instant::now(), Arc::new(AtomicUsize::new(0)));
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_time().build()?;
    runtime.block_on(async {
        let wait = |running: Arc<AtomicUsize>| async move {
            running.fetch_add(1, Ordering::Relaxed);
            // Yields to the runtime: no thread is blocked.
            tokio::time::sleep(WAIT).await;
        };
        let tasks: Vec<_> =
            (0..waits).map(|_| tokio::spawn(wait(running.clone()))).collect();
        while running.load(Ordering::Relaxed) < waits {
            // Lets the spawned tasks run to their first wait.
            tokio::task::yield_now().await;
        }
        let (started, memory_kib) = (clock.elapsed(), rss_growth(before));
        for task in tasks {
            // A task's panic comes back here as an error, as a thread's from
            // join.
            task.await?;
        }
        Ok(Figures { done: waits, started, total: clock.elapsed(), memory_kib })
    })
}
// ANCHOR_END: tasks
