//! 10,000 waits (sleeps standing in for I/O) as tokio tasks, then as threads.

use anyhow::Context;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use std::{num::NonZeroUsize, sync::Arc, thread};

pub const WAIT: Duration = Duration::from_secs(1);

pub struct Figures {
    pub started: Duration,
    pub total: Duration,
    pub memory_kib: Option<u64>,
}

pub fn main() -> anyhow::Result<()> {
    let waits = match std::env::args().skip_while(|a| a != "--waits").nth(1) {
        Some(n) => n.parse::<NonZeroUsize>().context("--waits N, N > 0")?.get(),
        None => 10_000,
    };
    println!("{waits} concurrent waits of {} ms each", WAIT.as_millis());
    // Tasks first: memory the threads free stays resident, for tasks to reuse.
    let (tasks, threads) = (with_tasks(waits)?, with_threads(waits)?);
    for (way, figures) in [("tokio tasks", tasks), ("threads", threads)] {
        let Figures { started, total, memory_kib } = figures;
        let memory = match memory_kib {
            Some(kib) => {
                let per_wait = kib * 1024 / waits as u64;
                format!("memory +{kib} KiB ({per_wait} bytes per wait)")
            }
            None => "memory not measured on this platform".to_owned(),
        };
        let (started, total) = (started.as_millis(), total.as_millis());
        println!(
            "{way}: {waits} waits; all started after {started} ms, \
             done after {total} ms; {memory}"
        );
    }
    Ok(())
}

fn resident_kib() -> Option<u64> {
    Some(memory_stats::memory_stats()?.physical_mem as u64 / 1024)
}

// ANCHOR: tasks
/// One tokio task per wait, all on this thread: waits need no CPU.
pub fn with_tasks(waits: usize) -> anyhow::Result<Figures> {
    let (before, clock) = (resident_kib(), Instant::now());
    let running = Arc::new(AtomicUsize::new(0));
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_time().build()?;
    runtime.block_on(async {
        let wait = |running: Arc<AtomicUsize>| async move {
            running.fetch_add(1, Ordering::Relaxed);
            tokio::time::sleep(WAIT).await; // Yields: no thread is blocked.
        };
        let tasks: Vec<_> =
            (0..waits).map(|_| tokio::spawn(wait(running.clone()))).collect();
        while running.load(Ordering::Relaxed) < waits {
            tokio::task::yield_now().await;
        }
        let (started, after) = (clock.elapsed(), resident_kib());
        for task in tasks {
            task.await?; // A task's panic comes back here, as from join.
        }
        let memory_kib = after.zip(before).map(|(a, b)| a.saturating_sub(b));
        Ok(Figures { started, total: clock.elapsed(), memory_kib })
    })
}
// ANCHOR_END: tasks

// ANCHOR: threads
/// One OS thread per wait; small stacks: 10,000 default ones reserve 20 GiB.
pub fn with_threads(waits: usize) -> anyhow::Result<Figures> {
    let (before, clock) = (resident_kib(), Instant::now());
    let running = AtomicUsize::new(0);
    thread::scope(|scope| {
        let mut threads = Vec::with_capacity(waits);
        for _ in 0..waits {
            // Steps 1 to 3: create, set the target and start, in one call.
            let builder = thread::Builder::new().stack_size(64 * 1024);
            threads.push(builder.spawn_scoped(scope, || {
                running.fetch_add(1, Ordering::Relaxed);
                thread::sleep(WAIT); // Blocks this OS thread until then.
            })?);
        }
        while running.load(Ordering::Relaxed) < waits {
            thread::sleep(Duration::from_millis(1));
        }
        let (started, after) = (clock.elapsed(), resident_kib());
        // Step 4: join every thread.
        for thread in threads {
            thread.join().expect("a waiting thread panicked");
        }
        let memory_kib = after.zip(before).map(|(a, b)| a.saturating_sub(b));
        Ok(Figures { started, total: clock.elapsed(), memory_kib })
    })
}
// ANCHOR_END: threads
