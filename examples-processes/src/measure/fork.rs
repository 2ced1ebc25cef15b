//! g(S): what starting a child costs as the parent's resident memory S grows. fork
//! copies the parent's page tables (its pages are shared copy-on-write, but every
//! page-table entry is copied and every page's reference count raised), so fork+wait
//! grows with S; spawning a program (`posix_spawn`, built on `vfork`) copies no page
//! tables, so it stays flat. std takes `posix_spawn` only when it can: a `Command`
//! with a `pre_exec` closure, a `uid` or `gid`, or `PATH` changed for a bare program
//! name forks first (`library/std/src/sys/process/unix/unix.rs`), and then grows as
//! fork does. The one below sets none of them.

use std::hint::black_box;
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;

use anyhow::{Context, anyhow};
use serde_json::{Map, Value, json};
use shared::measure::plot::{LineChart, Series, write_line_chart};
use shared::measure::{Found, Options, Summary, rss_kib, time_pair};

use crate::status;
use crate::sys::{bare_fork_and_wait, fork_child};

const CHUNK_MIB: usize = 64;

// ANCHOR: start_and_wait
/// Fork a child that does nothing, and wait for it.
fn fork_and_wait() -> anyhow::Result<()> {
    let mut child = fork_child(|| ())?;
    status::check("a measured fork child", child.join()?)
}

/// Spawn a tiny program, and wait for it. It cannot hang: `true` exits at once.
fn spawn_and_wait(program: &str) -> anyhow::Result<()> {
    let exit = Command::new(program)
        .stdin(Stdio::null())
        .status()
        .with_context(|| format!("spawning {program}"))?;
    status::check(program, exit)
}
// ANCHOR_END: start_and_wait

/// Grows this process to each size in turn, and times fork+wait and spawn+wait
/// there, interleaved.
pub fn measure(options: &Options, _: &Map<String, Value>) -> anyhow::Result<Found> {
    let (steps, step_mib) = options.pick((8, 128), (4, 64));
    let (warmup, samples) = options.pick((2, 15), (1, 5));
    let program = if Path::new("/bin/true").exists() { "/bin/true" } else { "true" };
    // Chunks of touched memory: a non-zero `vec![byte; n]` writes every page.
    let mut ballast: Vec<Vec<u8>> = Vec::new();
    // Each parent size: its resident memory (MiB), [fork+wait, spawn+wait] (µs).
    let mut points: Vec<(f64, [Summary; 2])> = Vec::new();
    for mib in (0..=steps).map(|k| k * step_mib) {
        // ANCHOR: grow
        while ballast.len() * CHUNK_MIB < mib {
            ballast.push(vec![0xA5; CHUNK_MIB << 20]);
        }
        black_box(&ballast);
        let rss_mib = rss_kib()? as f64 / 1024.0;
        let (fork, spawn) =
            time_pair(warmup, samples, fork_and_wait, || spawn_and_wait(program))?;
        // ANCHOR_END: grow
        points.push((rss_mib, [&fork, &spawn].map(|times| Summary::micros(times))));
    }
    drop(ballast);
    // Curve `i` (0 fork, 1 spawn): its rows, its points in ms for the plot, and the
    // line fitted to its medians, ms against GiB: (slope, intercept, R²).
    let curve = |i: usize, key: &str| {
        let rows =
            points.iter().map(|(rss, us)| json!({ "rss_mib": rss, key: us[i] }));
        let ms: Vec<_> =
            points.iter().map(|&(rss, us)| (rss, us[i].map(|us| us / 1e3))).collect();
        let line: Vec<_> =
            ms.iter().map(|(rss, ms)| (rss / 1024.0, ms.median)).collect();
        let fit = least_squares(&line)
            .context("fitting a line needs two parent sizes or more")?;
        anyhow::Ok((rows.collect::<Vec<_>>(), ms, fit))
    };
    let (fork_rows, fork_ms, (slope, intercept, r2)) = curve(0, "fork_wait_us")?;
    let (spawn_rows, spawn_ms, (spawn_slope, ..)) = curve(1, "spawn_wait_us")?;
    let keys = json!({
        "fork_curve": fork_rows, "fork_slope_ms_per_gib": slope, "fork_slope_r2": r2,
        "spawn_curve": spawn_rows, "spawn_slope_ms_per_gib": spawn_slope,
    });
    let fitted =
        points.iter().map(|&(rss, _)| (rss, intercept + slope * rss / 1024.0));
    let label = format!("fit: {slope:.2} ms per GiB, R² {r2:.3}");
    let chart = LineChart {
        title: "Start+wait of a child against the parent's memory: g(S)".into(),
        x_label: "parent resident memory, MiB".into(),
        y_label: "start + wait, ms".into(),
        log_x: false,
        series: vec![
            Series::summarised("fork + wait: median, 10th–90th percentile", &fork_ms),
            Series::summarised("spawn /bin/true + wait", &spawn_ms),
            Series::reference(&label, fitted.collect()),
        ],
    };
    let heading = "Start+wait of a child against the parent's resident memory, g(S)\n\
        (fork: a copy of this process, exits at once; spawn: Command runs /bin/true; \
        slopes fitted by least squares)";
    Ok(Found {
        plot: Some(Box::new(move |dir| {
            write_line_chart(dir, "processes-fork-spawn.svg", &chart)
        })),
        ..Found::new(heading, keys)
    })
}

/// Our safe layer against the bare calls; the threads row starts them the way the
/// examples do.
pub fn overhead(options: &Options, _: &Map<String, Value>) -> anyhow::Result<Found> {
    let (warmup, samples) = options.pick((20, 400), (5, 60));
    let fork = time_pair(warmup, samples, fork_and_wait, || {
        status::check("a bare fork child", bare_fork_and_wait()?)
    })?;
    let (warmup, samples) = options.pick((100, 2000), (20, 300));
    let empty_target = || black_box(1);
    let named = || {
        let builder = thread::Builder::new().name("measured".into());
        shared::join(builder.spawn(empty_target).context("spawning a thread")?)
    };
    let bare =
        || thread::spawn(empty_target).join().map_err(|_| anyhow!("it panicked"));
    let thread = time_pair(warmup, samples, named, bare)?;
    let rows = [
        ("fork_child + join", "fork + waitpid", fork),
        ("thread::Builder (named) + checked join", "thread::spawn + join", thread),
    ];
    let rows = rows.map(|(wrapper, baseline, (ours, bare))| {
        let (ours_us, raw_us) = (Summary::micros(&ours), Summary::micros(&bare));
        json!({ "wrapper": wrapper, "baseline": baseline, "ours_us": ours_us,
                "raw_us": raw_us, "ratio": ours_us.median / raw_us.median })
    });
    let heading = "Wrapper overhead: our safe layer against the bare calls (goal: ratio ≤ 1.10)";
    Ok(Found::new(heading, json!({ "wrapper_overhead": rows })))
}

/// `(slope, intercept, R²)` of the least-squares line through `points`; `None`
/// with fewer than two distinct x values.
fn least_squares(points: &[(f64, f64)]) -> Option<(f64, f64, f64)> {
    let count = points.len() as f64;
    let mean_x = points.iter().map(|&(x, _)| x).sum::<f64>() / count;
    let mean_y = points.iter().map(|&(_, y)| y).sum::<f64>() / count;
    let sxx: f64 = points.iter().map(|&(x, _)| (x - mean_x).powi(2)).sum();
    let sxy: f64 = points.iter().map(|&(x, y)| (x - mean_x) * (y - mean_y)).sum();
    let syy: f64 = points.iter().map(|&(_, y)| (y - mean_y).powi(2)).sum();
    let slope = sxy / sxx;
    // R² is the share of y's variance the line explains; a flat y is all explained.
    let r2 = if syy == 0.0 { 1.0 } else { sxy * sxy / (sxx * syy) };
    (sxx > 0.0).then_some((slope, mean_y - slope * mean_x, r2))
}

#[test]
fn fits_a_line() {
    let (slope, intercept, r2) =
        least_squares(&[(0.0, 1.0), (1.0, 3.0), (2.0, 5.0)]).unwrap();
    assert!((slope - 2.0).abs() < 1e-12 && (intercept - 1.0).abs() < 1e-12);
    assert!((r2 - 1.0).abs() < 1e-12);
    let noisy = [(0.0, 1.0), (1.0, 0.0), (2.0, 1.0), (3.0, 0.0)];
    assert!(least_squares(&noisy).unwrap().2 < 0.5);
    assert!(least_squares(&[(1.0, 1.0), (1.0, 2.0)]).is_none());
}
