//! 10,000 concurrent waits (sleeps standing in for I/O), as tokio tasks and as OS
//! threads: cost.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use shared::{join_scoped, usage_error};

/// How long each wait lasts: long enough that every wait has started before the first
/// ends.
pub const WAIT: Duration = Duration::from_secs(1);
/// Small: a sleeping thread needs little, and 10,000 default stacks (2 MiB) reserve
/// 20 GiB.
const STACK: usize = 64 * 1024;

/// What one way of waiting cost: when all had started, when all were done, memory
/// added.
pub struct Figures {
    pub done: usize,
    pub started: Duration,
    pub total: Duration,
    pub memory_kib: Option<u64>,
}

pub fn run(args: &[String]) -> anyhow::Result<()> {
    let waits = match args {
        [] => Some(10_000),
        [flag, count] if flag == "--waits" => {
            count.parse().ok().filter(|&waits| waits > 0)
        }
        _ => None,
    };
    let waits = waits
        .ok_or_else(|| usage_error!("usage: async-vs-threads [--waits N] (N > 0)"))?;
    println!("{waits} concurrent waits of {} ms each", WAIT.as_millis());
    // Tasks first: memory the threads free stays resident, and tasks after them would
    // reuse it.
    for (name, figures) in
        [("tokio tasks", with_tasks(waits)?), ("threads", with_threads(waits)?)]
    {
        let (done, started, total) =
            (figures.done, figures.started.as_millis(), figures.total.as_millis());
        let memory = match figures.memory_kib {
            Some(kib) => format!(
                "memory +{kib} KiB ({} bytes per wait)",
                kib * 1024 / done.max(1) as u64
            ),
            None => "memory not measured on this platform".to_string(),
        };
        println!(
            "{name}: {done} waits; all started after {started} ms, done after \
             {total} ms; {memory}"
        );
    }
    Ok(())
}

// ANCHOR: threads
/// One OS thread per wait, each with a small stack; stops spawning at the first
/// failure.
pub fn with_threads(waits: usize) -> anyhow::Result<Figures> {
    let (before, clock, running) =
        (shared::measure::rss_kib().ok(), Instant::now(), AtomicUsize::new(0));
    thread::scope(|scope| {
        let mut threads = Vec::with_capacity(waits);
        for number in 0..waits {
            let running = &running;
            let spawned = thread::Builder::new().stack_size(STACK).spawn_scoped(
                scope,
                move || {
                    running.fetch_add(1, Ordering::Relaxed);
                    // Blocks this OS thread: the kernel wakes it when the time is up.
                    thread::sleep(WAIT);
                },
            );
            let Ok(thread) = spawned.inspect_err(|error| {
                println!(
                    "threads: thread {number} did not start ({error}): see `ulimit \
                     -u`, vm.max_map_count"
                );
            }) else {
                break;
            };
            threads.push(thread);
        }
        while running.load(Ordering::Relaxed) < threads.len() {
            // Until every thread is inside its wait.
            thread::sleep(Duration::from_millis(1));
        }
        let (started, memory_kib) = (clock.elapsed(), rss_growth(before));
        let done = threads
            .into_iter()
            .map(join_scoped)
            .collect::<anyhow::Result<Vec<()>>>()?
            .len();
        Ok(Figures { done, started, total: clock.elapsed(), memory_kib })
    })
}
// ANCHOR_END: threads

// ANCHOR: tasks
/// One tokio task per wait, all on the calling thread (`current_thread`: waiting
/// needs no CPU).
pub fn with_tasks(waits: usize) -> anyhow::Result<Figures> {
    let (before, clock, running) = (
        shared::measure::rss_kib().ok(),
        Instant::now(),
        std::sync::Arc::new(AtomicUsize::new(0)),
    );
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_time().build()?;
    runtime.block_on(async {
        let wait = |running: std::sync::Arc<AtomicUsize>| async move {
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
            // A task's panic comes back here as an error, as a thread's does from
            // join.
            task.await?;
        }
        Ok(Figures { done: waits, started, total: clock.elapsed(), memory_kib })
    })
}
// ANCHOR_END: tasks

/// How much resident memory grew since `before`, KiB; `None` where the platform does
/// not say.
fn rss_growth(before: Option<u64>) -> Option<u64> {
    Some(shared::measure::rss_kib().ok()?.saturating_sub(before?))
}
