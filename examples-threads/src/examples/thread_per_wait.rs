//! One OS thread per wait, 10,000 of them (sleeps standing in for I/O): what it costs
//! to start them, to wait, and in memory. `async-vs-threads` compares tokio tasks.

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

/// 10,000 waits (or `--waits N`), each on an OS thread of its own.
pub fn run(args: &[String]) -> anyhow::Result<()> {
    let waits = waits_arg(args, "thread-per-wait")?;
    println!("{waits} concurrent waits of {} ms each", WAIT.as_millis());
    report("threads", &with_threads(waits)?);
    Ok(())
}

/// The number of waits: 10,000, or `--waits N` (N > 0); a usage error otherwise.
pub fn waits_arg(args: &[String], example: &str) -> anyhow::Result<usize> {
    let usage = || usage_error!("usage: {example} [--waits N] (N > 0)");
    match args {
        [] => Ok(10_000),
        [flag, count] if flag == "--waits" => {
            count.parse().ok().filter(|&waits| waits > 0).ok_or_else(usage)
        }
        _ => Err(usage()),
    }
}

/// Prints one way's figures: when all had started, when all were done, memory.
pub fn report(name: &str, figures: &Figures) {
    let (done, started, total) =
        (figures.done, figures.started.as_millis(), figures.total.as_millis());
    let per_wait = |kib: u64| kib * 1024 / done.max(1) as u64;
    let memory = match figures.memory_kib {
        Some(kib) => format!("memory +{kib} KiB ({} bytes per wait)", per_wait(kib)),
        None => "memory not measured on this platform".to_string(),
    };
    println!(
        "{name}: {done} waits; all started after {started} ms, done after \
              {total} ms; {memory}"
    );
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

/// How much resident memory grew since `before`, KiB (`None`: not measured here).
pub fn rss_growth(before: Option<u64>) -> Option<u64> {
    Some(shared::measure::rss_kib().ok()?.saturating_sub(before?))
}
