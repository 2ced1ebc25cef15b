//! What a thread costs to create, against its stack size, and in resident memory.

use std::hint::black_box;
use std::sync::{Arc, Barrier};
use std::thread;

use anyhow::Context;
use serde_json::{Value, json};
use shared::measure::{Options, Progress, Summary, rss_kib, time_samples};

/// Spawns a thread running `target` with `builder`'s settings and joins it; a panic
/// in the thread is an error.
fn spawn_and_join(
    builder: thread::Builder,
    target: fn() -> u64,
) -> anyhow::Result<u64> {
    let handle = builder.spawn(target).context("spawning a thread")?;
    shared::join(handle)
}

fn empty_target() -> u64 {
    black_box(1)
}

/// Spawn+join of an empty thread with the default settings, µs.
pub fn spawn_join(options: &Options) -> anyhow::Result<Summary> {
    let (warmup, samples) = options.pick((100, 2000), (20, 300));
    let durations = time_samples(warmup, samples, || {
        spawn_and_join(thread::Builder::new(), empty_target)
    })?;
    Ok(Summary::micros(&durations))
}

/// One point of f(M): spawn+join time with a requested stack size.
pub struct StackPoint {
    /// The requested stack size, KiB.
    pub stack_kib: u64,
    /// Spawn+join, µs.
    pub spawn_join_us: Summary,
}

impl StackPoint {
    /// `{"stack_kib": …, "spawn_join_us": {…}}`.
    pub fn to_json(&self) -> Value {
        json!({ "stack_kib": self.stack_kib, "spawn_join_us": self.spawn_join_us.to_json() })
    }
}

/// Spawn+join against the requested stack size, 64 KiB … 64 MiB.
///
/// The stack is reserved (`mmap`), not committed: pages are backed only when touched,
/// so the size barely matters. glibc keeps a cache of freed stacks (about 40 MiB), so
/// small stacks are reused without any `mmap` at all; the largest ones are mapped
/// each time.
pub fn stack_curve(
    options: &Options,
    progress: &Progress,
) -> anyhow::Result<Vec<StackPoint>> {
    // 64 KiB × 2^k up to 64 MiB: every doubling in full mode, every fourth size
    // quick.
    let step = options.pick(1, 2);
    let sizes: Vec<u64> = (0..=10).step_by(step).map(|k| 64 << k).collect();
    let (warmup, samples) = options.pick((20, 300), (5, 60));
    let mut points = Vec::new();
    for (index, &stack_kib) in sizes.iter().enumerate() {
        progress.item(
            &format!("stack {}", super::kib_text(stack_kib)),
            index,
            sizes.len(),
        );
        // ANCHOR: stack_size
        let builder = || thread::Builder::new().stack_size(stack_kib as usize * 1024);
        let durations = time_samples(warmup, samples, || {
            spawn_and_join(builder(), empty_target)
        })?;
        // ANCHOR_END: stack_size
        points.push(StackPoint {
            stack_kib,
            spawn_join_us: Summary::micros(&durations),
        });
    }
    Ok(points)
}

/// Resident memory of many idle threads.
pub struct ThreadMemory {
    /// How many threads were parked.
    pub threads: usize,
    /// The process's RSS before they started, KiB.
    pub rss_before_kib: u64,
    /// Its RSS with all of them started and waiting, KiB.
    pub rss_after_kib: u64,
    /// (after − before) / threads.
    pub kib_per_thread: f64,
}

/// Starts N threads that wait at a barrier, reads the process's RSS, releases them.
///
/// Each thread's stack is reserved at the default size (2 MiB) but only the pages it
/// touches become resident; kernel memory for the thread (its kernel stack, its task
/// structure) is not part of RSS.
pub fn rss_per_thread(options: &Options) -> anyhow::Result<ThreadMemory> {
    let threads = options.pick(500, 100);
    // Warm up: the first spawn initialises what every later one reuses.
    spawn_and_join(thread::Builder::new(), empty_target)?;
    let rss_before_kib = rss_kib()?;
    let started = Arc::new(Barrier::new(threads + 1));
    let release = Arc::new(Barrier::new(threads + 1));
    let mut handles = Vec::with_capacity(threads);
    for index in 0..threads {
        let (started, release) = (Arc::clone(&started), Arc::clone(&release));
        // If a spawn fails, the threads already started stay parked until the process
        // ends with the error: nothing is leaked beyond this run.
        let handle = thread::Builder::new()
            .spawn(move || {
                started.wait();
                release.wait();
            })
            .with_context(|| format!("spawning idle thread {index} of {threads}"))?;
        handles.push(handle);
    }
    started.wait();
    let rss_after = rss_kib();
    release.wait();
    for handle in handles {
        shared::join(handle)?;
    }
    let rss_after_kib = rss_after?;
    let kib_per_thread =
        rss_after_kib.saturating_sub(rss_before_kib) as f64 / threads as f64;
    Ok(ThreadMemory { threads, rss_before_kib, rss_after_kib, kib_per_thread })
}
