//! Claim C1 as a picture: the same sampling job on two Rust threads, two CPython
//! threads and two CPython processes, on one clock (`shared::sys::monotonic_ns`, which
//! CPython's `time.perf_counter_ns()` also reads); `--plot DIR` draws the lanes into
//! `DIR/timeline-c1.svg`. Also the recorder's own cost per slice, never asserted.

use std::collections::HashMap;
use std::time::Duration;

use anyhow::{Context, anyhow, ensure};
use serde_json::{Map, Value, json};
use shared::measure::{Found, Options, PythonOutput, run_python, skipped};
use shared::sys::{MONOTONIC_CLOCK, monotonic_ns};
use shared::trace::{self, Timeline};

use super::traced::{Stretch, overlap_ns, sample_two, slices};

/// Two samples this close: a CPython worker ran the whole time between (a piece of its
/// work takes about 20 µs; losing the GIL costs at least the switch interval, 5 ms).
const PYTHON_GAP_NS: u64 = 300_000;

/// The CPython side: `sample(lane)` notes the stretches it ran, from `start_at` for
/// `duration_ns`, as `lanes: {NAME: [[start, end], …]}`.
const SNIPPET: &str = include_str!("timeline.py");

/// Runs CPython's `sample` in `mode` (`threads`, or one process's lane name) for
/// `length` from `start_at`, unless `--no-python`; its pid and output, on our clock.
fn python(
    options: &Options,
    mode: &str,
    length: Duration,
    start_at: u64,
) -> anyhow::Result<(u32, PythonOutput)> {
    ensure!(!options.no_python, "--no-python");
    let before = monotonic_ns();
    let (length, gap) = (length.as_nanos().to_string(), PYTHON_GAP_NS.to_string());
    let args = [mode, &length, &gap, &start_at.to_string()];
    let output =
        run_python(options.python(), SNIPPET, &args, Duration::from_secs(60))
            .map_err(anyhow::Error::msg)?;
    ensure!(
        (before..=monotonic_ns()).contains(&output.get("now")?),
        "python3's perf_counter_ns is not on our clock ({MONOTONIC_CLOCK})"
    );
    Ok((output.get("pid")?, output))
}

/// The stretches CPython's worker `name` gave; `Err` if there are none.
fn lane(output: &PythonOutput, name: &str) -> anyhow::Result<Vec<Stretch>> {
    let mut lanes = output.get::<HashMap<String, Vec<(u64, u64)>>>("lanes")?;
    let runs = lanes.remove(name).filter(|runs| !runs.is_empty());
    let runs = runs.with_context(|| format!("CPython's {name} never ran"))?;
    Ok(runs.into_iter().map(|(start, end)| (start, end, None)).collect())
}

/// Adds a pair's two lanes, `(pid, process, lane, stretches)`; returns how long each
/// ran, both at once, and how many times, in time order, a stretch of one followed
/// one of the other. The pairs ran one after the other; each is moved to start at
/// the timeline's origin, so that their lanes line up.
fn add_pair(
    timeline: &mut Timeline,
    lanes: [(u32, &str, &str, &[Stretch]); 2],
) -> Value {
    let first = lanes.iter().flat_map(|lane| lane.3).map(|run| run.0).min();
    let shift = first.unwrap_or(0).saturating_sub(timeline.origin_ns);
    let mut starts = vec![];
    for (index, (pid, process, lane, stretches)) in lanes.into_iter().enumerate() {
        if timeline.process_names.insert(pid, process.to_owned()).is_none() {
            timeline.process_order.push(pid);
        }
        timeline.slices.extend(slices(pid, lane, stretches, shift));
        starts.extend(stretches.iter().map(|run| (run.0, index)));
    }
    starts.sort();
    let ran_ns =
        lanes.map(|lane| lane.3.iter().map(|run| run.1 - run.0).sum::<u64>());
    json!({
        "ran_ms": ran_ns.map(|ns| ns as f64 / 1e6),
        "overlap_ms": overlap_ns(lanes[0].3, lanes[1].3) as f64 / 1e6,
        "switches": starts.windows(2).filter(|pair| pair[0].1 != pair[1].1).count(),
    })
}

/// Measures the recorder's cost, then the three pairs (CPython's two skipped without it).
pub fn measure(options: &Options, _: &Map<String, Value>) -> anyhow::Result<Found> {
    // The least disturbed of 50 batches: on a busy machine most batches are preempted.
    let overhead_ns = (0..50)
        .map(|_| trace::overhead_ns_per_slice(2_000))
        .fold(f64::INFINITY, f64::min);
    let mut timeline = Timeline { origin_ns: monotonic_ns(), ..Timeline::default() };
    let length = Duration::from_millis(options.pick(300, 120));

    // Rust: two threads, started together.
    let ([one, two], me) = (sample_two(length)?, std::process::id());
    let rust_threads = add_pair(
        &mut timeline,
        [(me, "Rust", "thread 1", &one), (me, "Rust", "thread 2", &two)],
    );

    // CPython: two threads of one interpreter, so no start time to wait for.
    let python_threads = python(options, "threads", length, monotonic_ns()).and_then(
        |(pid, output)| {
            let [one, two] = [lane(&output, "thread_1")?, lane(&output, "thread_2")?];
            let label = output.label();
            let thread_1 = (pid, &*label, "thread 1", &one[..]);
            let thread_2 = (pid, &*label, "thread 2", &two[..]);
            let mut figures = add_pair(&mut timeline, [thread_1, thread_2]);
            (figures["interpreter"], figures["gil"]) =
                (json!(label), json!(output.gil()));
            Ok(figures)
        },
    );

    // CPython: two processes, started together.
    let python_processes = (python_threads.as_ref())
        .map_err(|reason| anyhow!("{reason:#}"))
        .and_then(|_| {
            // Room for two interpreters to start on a busy machine, then both go.
            let start_at = monotonic_ns() + 1_500_000_000;
            let [one, two] = std::thread::scope(|scope| {
                ["process_1", "process_2"]
                    .map(|name| {
                        scope.spawn(move || -> anyhow::Result<_> {
                            let (pid, output) =
                                python(options, name, length, start_at)?;
                            Ok((pid, lane(&output, name)?))
                        })
                    })
                    .map(|worker| shared::join_scoped(worker)?)
            });
            let ((pid_1, lane_1), (pid_2, lane_2)) = (one?, two?);
            let process_1 = (pid_1, "CPython process 1", "main", &lane_1[..]);
            let process_2 = (pid_2, "CPython process 2", "main", &lane_2[..]);
            Ok(add_pair(&mut timeline, [process_1, process_2]))
        });
    let skip = |reason: anyhow::Error| skipped(&format!("{reason:#}"));
    let figures = json!({
        "trace_overhead_ns_per_slice": overhead_ns,
        "rust_threads": rust_threads,
        "python_threads": python_threads.unwrap_or_else(skip),
        "python_processes": python_processes.unwrap_or_else(skip),
    });
    Ok(Found {
        plot: Some(Box::new(move |dir| {
            trace::write(&dir.join("timeline-c1.json"), timeline)
        })),
        ..Found::new(
            "Who ran when (claim C1): two workers sampling, each noting when it certainly ran",
            json!({ "timeline": figures }),
        )
    })
}
