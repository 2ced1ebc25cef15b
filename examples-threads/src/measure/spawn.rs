//! What a thread costs to create, against its stack size, and in resident memory.

use std::hint::black_box;
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Instant;

use anyhow::Context;
use serde_json::json;
use shared::measure::plot::{LineChart, Series, write_line_chart};
use shared::measure::{
    Found, Options, Summary, figure_or_skipped, pss_and_page_tables_kib, rss_kib,
    time_samples,
};

fn spawn_and_join(builder: thread::Builder) -> anyhow::Result<u64> {
    shared::join(builder.spawn(|| black_box(1)).context("spawning a thread")?)
}

/// Spawn+join of an empty thread with the default settings, µs.
pub fn spawn_join(options: &Options) -> anyhow::Result<Found> {
    let (warmup, samples) = options.pick((100, 2000), (20, 300));
    let durations =
        time_samples(warmup, samples, || spawn_and_join(thread::Builder::new()))?;
    let keys = json!({ "spawn_join_us": Summary::micros(&durations) });
    Ok(Found::new("Spawn+join of an empty thread", keys))
}

/// Larger than glibc's whole stack cache (40 MiB, `stack_cache_maxsize`,
/// nptl/nptl-stack.c, glibc 2.36): joining a thread with it empties the cache.
const CACHE_FLUSH_STACK: usize = 64 << 20;

/// Spawn+join against the requested stack size, 64 KiB … 64 MiB, µs: `cached_us`
/// back to back (glibc hands each thread the previous one's stack), `mapped_us`
/// with the cache emptied first, untimed, so each timed spawn maps a new stack.
/// The book's "The model, measured" says why both are flat.
pub fn stack_curve(options: &Options) -> anyhow::Result<Found> {
    // 64 KiB × 2^k up to 64 MiB: every doubling, every other one quick.
    let step = options.pick(1, 2);
    let (warmup, samples) = options.pick((20, 300), (5, 60));
    let (mut points, mut cached_line, mut mapped_line) = (vec![], vec![], vec![]);
    for stack_kib in (0..=10).step_by(step).map(|k| 64u64 << k) {
        // ANCHOR: stack_size
        let builder = || thread::Builder::new().stack_size(stack_kib as usize * 1024);
        let cached = time_samples(warmup, samples, || spawn_and_join(builder()))?;
        // ANCHOR_END: stack_size
        let mut mapped = Vec::with_capacity(warmup + samples);
        for _ in 0..warmup + samples {
            spawn_and_join(thread::Builder::new().stack_size(CACHE_FLUSH_STACK))?;
            let start = Instant::now();
            black_box(spawn_and_join(builder())?);
            mapped.push(start.elapsed());
        }
        mapped.drain(..warmup);
        let (cached_us, mapped_us) =
            (Summary::micros(&cached), Summary::micros(&mapped));
        points.push(json!({ "stack_kib": stack_kib, "cached_us": cached_us, "mapped_us": mapped_us }));
        cached_line.push((stack_kib as f64, cached_us));
        mapped_line.push((stack_kib as f64, mapped_us));
    }
    let chart = LineChart {
        title: "Thread spawn+join against requested stack size: f(M)".into(),
        x_label: "requested stack size, KiB (log scale)".into(),
        y_label: "spawn+join, µs".into(),
        log_x: true,
        series: vec![
            Series::summarised(
                "new stack mapped each time: median, 10th–90th percentile",
                &mapped_line,
            ),
            Series::summarised(
                "back to back, stack from glibc's cache",
                &cached_line,
            ),
        ],
    };
    let heading = "Spawn+join against the requested stack size, f(M): stacks are reserved, not committed\n\
        (cached: back to back, glibc hands each thread the last one's stack; mapped: a new stack each time)";
    Ok(Found {
        plot: Some(Box::new(move |dir| {
            write_line_chart(dir, "threads-stack-curve.svg", &chart)
        })),
        ..Found::new(heading, json!({ "stack_curve": points }))
    })
}

/// Starts N threads that wait at a barrier, reads the process's RSS, PSS and page
/// tables, releases them. PSS is taken as the processes' figure is, so the two
/// compare; neither RSS nor PSS counts the kernel's memory for a thread.
pub fn rss_per_thread(options: &Options) -> anyhow::Result<Found> {
    let source = match shared::sys::RESIDENT_MEMORY_SOURCE {
        Ok(source) => source,
        Err(reason) => {
            let keys = json!({
                "rss_per_thread_kib": { "skipped": reason },
                "pss_per_thread_kib": { "skipped": reason },
                "page_tables_per_thread_kib": { "skipped": reason },
            });
            return Ok(Found::new("Resident memory per idle thread ", keys));
        }
    };
    let threads = options.pick(500, 100);
    // Warm up: the first spawn initialises what every later one reuses.
    spawn_and_join(thread::Builder::new())?;
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
    let grown = before.and_then(|before| Ok((before, after?)));
    let pss = grown.clone().map(|(before, after)| per_thread(before.0, after.0));
    let page_tables = grown.map(|(before, after)| per_thread(before.1, after.1));
    let heading = format!(
        "Resident memory per idle thread ({threads} threads parked, resident \
         {rss_before_kib} → {rss_after_kib} KiB: {source}; PSS and page tables (VmPTE) \
         grow too)"
    );
    let keys = json!({
        "rss_per_thread_kib": per_thread(rss_before_kib, rss_after_kib),
        "pss_per_thread_kib": figure_or_skipped(&pss),
        "page_tables_per_thread_kib": figure_or_skipped(&page_tables),
    });
    Ok(Found::new(heading, keys))
}
