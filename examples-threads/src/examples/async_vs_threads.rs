//! 10,000 concurrent waits (sleeps standing in for I/O), as tokio tasks and as OS
//! threads: cost.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use shared::{join_scoped, usage_error};

/// How long each wait lasts: every wait has started before the first ends.
pub const WAIT: Duration = Duration::from_secs(1);
/// Small: a sleeping thread needs little; 10,000 default stacks reserve 20 GiB.
const STACK: usize = 64 * 1024;
const LIMITS: &str = "see `ulimit -u`, vm.max_map_count";

/// What one way of waiting cost: all started after, all done after, memory added.
pub struct Figures {
    pub done: usize,
    pub started: Duration,
    pub total: Duration,
    pub memory_kib: Option<u64>,
}

pub fn run(args: &[String]) -> anyhow::Result<()> {
    let usage = || usage_error!("usage: async-vs-threads [--waits N] (N > 0)");
    let waits: usize = match args {
        [] => 10_000,
        [flag, count] if flag == "--waits" => count.parse().map_err(|_| usage())?,
        _ => return Err(usage()),
    };
    if waits == 0 {
        return Err(usage());
    }
    println!("{waits} concurrent waits of {} ms each", WAIT.as_millis());
    // Tasks first: threads' freed memory stays resident, and tasks after would reuse it.
    for (name, figures) in
        [("tokio tasks", with_tasks(waits)?), ("threads", with_threads(waits)?)]
    {
        let (done, started, total) =
            (figures.done, figures.started.as_millis(), figures.total.as_millis());
        let per_wait = |kib: u64| kib * 1024 / done.max(1) as u64;
        let memory = match figures.memory_kib {
            Some(kib) => {
                format!("memory +{kib} KiB ({} bytes per wait)", per_wait(kib))
            }
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
/// One OS thread per wait, small stacks; stops spawning at the first failure.
pub fn with_threads(waits: usize) -> anyhow::Result<Figures> {
    let (before, clock, running) =
        (shared::measure::rss_kib().ok(), Instant::now(), AtomicUsize::new(0));
    thread::scope(|scope| {
        let mut threads = Vec::with_capacity(waits);
        for number in 0..waits {
            let running = &running;
            let builder = thread::Builder::new().stack_size(STACK);
            let spawned = builder.spawn_scoped(scope, move || {
                running.fetch_add(1, Ordering::Relaxed);
                // Blocks this OS thread: the kernel wakes it when the time is up.
                thread::sleep(WAIT);
            });
            let Ok(thread) = spawned.inspect_err(|error| {
                println!(
                    "threads: thread {number} did not start ({error}): {LIMITS}"
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
        let joined: anyhow::Result<Vec<()>> =
            threads.into_iter().map(join_scoped).collect();
        let done = joined?.len();
        Ok(Figures { done, started, total: clock.elapsed(), memory_kib })
    })
}
// ANCHOR_END: threads

// ANCHOR: tasks
/// One tokio task per wait, all on this thread (`current_thread`: waits need no CPU).
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
            // A task's panic comes back here as an error, as a thread's from join.
            task.await?;
        }
        Ok(Figures { done: waits, started, total: clock.elapsed(), memory_kib })
    })
}
// ANCHOR_END: tasks

/// How much resident memory grew since `before`, KiB (`None`: not measured here).
fn rss_growth(before: Option<u64>) -> Option<u64> {
    Some(shared::measure::rss_kib().ok()?.saturating_sub(before?))
}
