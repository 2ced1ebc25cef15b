//! What a thread costs to create, against its stack size, and in resident memory.

use std::hint::black_box;
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Instant;

use anyhow::Context;
use shared::measure::{
    Options, Summary, pss_and_page_tables_kib, rss_kib, time_samples,
};

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

/// One point of f(M): spawn+join time with a requested stack size, two ways.
#[derive(serde::Serialize)]
pub struct StackPoint {
    pub stack_kib: u64,
    /// Back to back: each thread may get the stack the previous one left in glibc's
    /// cache, so most of these spawns map nothing. µs.
    pub cached_us: Summary,
    /// With the cache emptied before each sample: every spawn maps a new stack
    /// (`mmap` and a guard page) and the join unmaps or caches it. µs.
    pub mapped_us: Summary,
}

/// A stack larger than glibc's whole stack cache (40 MiB by default,
/// `stack_cache_maxsize` in nptl/nptl-stack.c, glibc 2.36): joining a thread that had
/// one pushes the cache over its limit, and glibc unmaps cached stacks, oldest first,
/// until it is under it again, this one included. So after it, no stack is cached.
const CACHE_FLUSH_STACK: usize = 64 << 20;

/// Spawn+join against the requested stack size, 64 KiB … 64 MiB, two ways.
///
/// glibc keeps the stacks of joined threads in a cache (up to 40 MiB in all) and
/// gives a new thread a cached stack that is at least as large as it asked for and at
/// most four times larger (nptl/nptl-stack.c, glibc 2.36). Spawned back to back at
/// one size, each thread gets the previous one's stack: the *cached* path, no `mmap`.
/// The *mapped* path empties the cache first (untimed), so each timed spawn maps a
/// new stack. Either way the stack is reserved, not committed: only the pages a
/// thread touches get memory, so the size barely matters. Other C libraries (macOS,
/// Windows, musl) cache differently or not at all.
pub fn stack_curve(options: &Options) -> anyhow::Result<Vec<StackPoint>> {
    // 64 KiB × 2^k up to 64 MiB: every doubling in full mode, every fourth size
    // quick.
    let step = options.pick(1, 2);
    let sizes: Vec<u64> = (0..=10).step_by(step).map(|k| 64 << k).collect();
    let (warmup, samples) = options.pick((20, 300), (5, 60));
    let flush = || {
        spawn_and_join(
            thread::Builder::new().stack_size(CACHE_FLUSH_STACK),
            empty_target,
        )
    };
    let mut points = Vec::new();
    for &stack_kib in &sizes {
        // ANCHOR: stack_size
        let builder = || thread::Builder::new().stack_size(stack_kib as usize * 1024);
        let cached = time_samples(warmup, samples, || {
            spawn_and_join(builder(), empty_target)
        })?;
        // ANCHOR_END: stack_size
        let mut mapped = Vec::with_capacity(samples);
        for sample in 0..warmup + samples {
            flush()?;
            let start = Instant::now();
            black_box(spawn_and_join(builder(), empty_target)?);
            if sample >= warmup {
                mapped.push(start.elapsed());
            }
        }
        points.push(StackPoint {
            stack_kib,
            cached_us: Summary::micros(&cached),
            mapped_us: Summary::micros(&mapped),
        });
    }
    Ok(points)
}

/// Resident memory of many idle threads.
pub struct ThreadMemory {
    pub threads: usize,
    pub rss_before_kib: u64,
    pub rss_after_kib: u64,
    /// (after − before) / threads.
    pub kib_per_thread: f64,
    /// The growth of the process's proportional set size per thread, KiB (`Pss` in
    /// `/proc/self/smaps_rollup`; `Err` off Linux): measured the same way as the
    /// processes' figure, so the two compare.
    pub pss_kib_per_thread: Result<f64, String>,
    /// The growth of the process's page tables per thread, KiB (`VmPTE` in
    /// `/proc/self/status`): kernel memory that neither RSS nor PSS counts.
    pub page_tables_kib_per_thread: Result<f64, String>,
}

/// Starts N threads that wait at a barrier, reads the process's RSS, releases them.
///
/// Each thread's stack is reserved at the default size (2 MiB) but only the pages it
/// touches become resident. Kernel memory for the thread (its kernel stack, 16 KiB on
/// x86-64 Linux, its task structure, the page tables that map its stack) is part of
/// neither RSS nor PSS; the page tables' growth is read from `VmPTE` and reported
/// beside them.
pub fn rss_per_thread(options: &Options) -> anyhow::Result<ThreadMemory> {
    let threads = options.pick(500, 100);
    // Warm up: the first spawn initialises what every later one reuses.
    spawn_and_join(thread::Builder::new(), empty_target)?;
    let rss_before_kib = rss_kib()?;
    let before = pss_and_page_tables_kib("self");
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
    let after = pss_and_page_tables_kib("self");
    release.wait();
    for handle in handles {
        shared::join(handle)?;
    }
    let rss_after_kib = rss_after?;
    let per_thread = |before: u64, after: u64| {
        after.saturating_sub(before) as f64 / threads as f64
    };
    let kib_per_thread = per_thread(rss_before_kib, rss_after_kib);
    let (pss_kib_per_thread, page_tables_kib_per_thread) = match (before, after) {
        (Ok(before), Ok(after)) => {
            (Ok(per_thread(before.0, after.0)), Ok(per_thread(before.1, after.1)))
        }
        (Err(reason), _) | (_, Err(reason)) => (Err(reason.clone()), Err(reason)),
    };
    Ok(ThreadMemory {
        threads,
        rss_before_kib,
        rss_after_kib,
        kib_per_thread,
        pss_kib_per_thread,
        page_tables_kib_per_thread,
    })
}
