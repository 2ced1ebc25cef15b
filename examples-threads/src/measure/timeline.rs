//! Claim C1 as a picture: the same sampling job on two Rust threads, on two CPython threads
//! and in two CPython processes, each noting when it certainly ran (two samples close
//! together), on one clock (`shared::sys::monotonic_ns`, which CPython's
//! `time.perf_counter_ns()` also reads). The report counts, per pair, how long both ran at
//! once and how often the two took turns; `--plot DIR` draws the lanes, Rust's on top, into
//! `DIR/timeline-c1.svg` (and the trace into `DIR/timeline-c1.json`, for Perfetto). Also the
//! recorder's own cost per slice, measured here, never asserted.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use shared::measure::{Found, Options, PythonOutput, run_python};
use shared::trace::{self, Slice};
use shared::work::cpu_job;

/// How long each worker samples.
fn duration(options: &Options) -> Duration {
    Duration::from_millis(options.pick(300, 120))
}
/// Two samples this close: the worker ran the whole time between (a Rust piece of work
/// takes about 1 µs, a CPython one about 20 µs; losing the GIL costs at least the
/// switch interval, 5 ms).
const RUST_GAP: Duration = Duration::from_micros(20);
const PYTHON_GAP_NS: u64 = 300_000;

/// The CPython side: `sample(lane)` notes the stretches it ran, from `start_at` for
/// `duration_ns`, as `lanes: {NAME: [[start, end], …]}`.
const SNIPPET: &str = include_str!("timeline.py");

/// Two workers' stretches: how long each ran, both at once, and how often they took turns.
#[derive(Clone, Debug, Default)]
pub struct Pair {
    /// `[(start_ns, end_ns)]` per worker.
    lanes: [Vec<(u64, u64)>; 2],
}

impl Pair {
    fn ran_ms(&self, lane: usize) -> f64 {
        self.lanes[lane].iter().map(|(a, b)| (b - a) as f64).sum::<f64>() / 1e6
    }

    /// Milliseconds during which both workers ran.
    pub fn overlap_ms(&self) -> f64 {
        let mut total = 0;
        for &(a0, a1) in &self.lanes[0] {
            for &(b0, b1) in &self.lanes[1] {
                total += a1.min(b1).saturating_sub(a0.max(b0));
            }
        }
        total as f64 / 1e6
    }

    /// How many times, in time order, a stretch of one worker followed one of the other.
    pub fn switches(&self) -> usize {
        let mut all: Vec<(u64, usize)> = (0..2)
            .flat_map(|lane| {
                self.lanes[lane].iter().map(move |&(start, _)| (start, lane))
            })
            .collect();
        all.sort();
        all.windows(2).filter(|pair| pair[0].1 != pair[1].1).count()
    }

    fn to_json(&self) -> Value {
        json!({ "ran_ms": [self.ran_ms(0), self.ran_ms(1)], "overlap_ms": self.overlap_ms(), "switches": self.switches() })
    }
}

/// Samples from `start_at` (or now, if later) for `length`, noting the stretches the
/// thread certainly ran.
fn sample_rust(
    start_at: Instant,
    length: Duration,
) -> Vec<(u64, u64, Option<usize>)> {
    while Instant::now() < start_at {}
    let (mut runs, mut last) = (Vec::new(), Instant::now());
    let end = last + length;
    let mut run_start = (last, shared::sys::current_cpu());
    while last < end {
        std::hint::black_box(cpu_job(1..50));
        let now = Instant::now();
        let cpu = shared::sys::current_cpu();
        if now - last >= RUST_GAP || cpu != run_start.1 {
            if last > run_start.0 {
                runs.push((
                    trace::ns_of(run_start.0),
                    trace::ns_of(last),
                    run_start.1,
                ));
            }
            run_start = (now, cpu);
        }
        last = now;
    }
    if last > run_start.0 {
        runs.push((trace::ns_of(run_start.0), trace::ns_of(last), run_start.1));
    }
    runs
}

/// Runs CPython's `sample` in `mode` (`threads`, or one process's lane name); its lanes
/// (`lanes`) and its output. Checks that its clock is ours.
fn python(
    options: &Options,
    mode: &str,
    start_at: u64,
) -> Result<(PythonOutput, u32), String> {
    let before = shared::sys::monotonic_ns();
    let args = [
        mode,
        &duration(options).as_nanos().to_string(),
        &PYTHON_GAP_NS.to_string(),
        &start_at.to_string(),
    ];
    let args: Vec<String> = args.iter().map(|arg| arg.to_string()).collect();
    let output =
        run_python(options.python(), SNIPPET, &args, Duration::from_secs(60))?;
    let now = output.get::<u64>("now").map_err(|error| error.to_string())?;
    if now < before || now > shared::sys::monotonic_ns() {
        return Err(format!(
            "python3's perf_counter_ns is not on our clock ({})",
            shared::sys::MONOTONIC_CLOCK
        ));
    }
    let pid = output.get::<u32>("pid").map_err(|error| error.to_string())?;
    Ok((output, pid))
}

/// The stretches CPython's worker `name` gave; `Err` if there are none.
fn lane(output: &PythonOutput, name: &str) -> Result<Vec<(u64, u64)>, String> {
    let lanes = output.get::<HashMap<String, Vec<(u64, u64)>>>("lanes");
    let runs = lanes.map_err(|error| format!("{error:#}"))?.remove(name);
    runs.filter(|runs| !runs.is_empty())
        .ok_or_else(|| format!("CPython's {name} never ran"))
}

fn push(
    trace: &mut trace::Timeline,
    pid: u32,
    lane: &str,
    runs: &[(u64, u64)],
    cpu: Option<usize>,
) {
    trace.slices.extend(runs.iter().map(|&(start_ns, end_ns)| Slice {
        pid,
        lane: lane.to_owned(),
        cpu,
        start_ns,
        end_ns,
        label: "ran".to_owned(),
    }));
}

/// Measures the recorder's cost, then the three pairs (CPython's two skipped without it).
/// `--plot DIR` writes the trace: `DIR/timeline-c1.json` and, with the `plot` feature,
/// `DIR/timeline-c1.svg`.
pub fn measure(options: &Options) -> anyhow::Result<Found> {
    // The least disturbed of 50 batches: on a busy machine most batches are preempted.
    let overhead_ns = (0..50)
        .map(|_| trace::overhead_ns_per_slice(2_000))
        .fold(f64::INFINITY, f64::min);
    let origin_ns = shared::sys::monotonic_ns();
    let mut timeline = trace::Timeline { origin_ns, ..trace::Timeline::default() };
    let me = std::process::id();
    timeline.process_names.insert(me, "Rust".to_owned());

    // Rust: two threads, started together.
    let (start_at, length) =
        (Instant::now() + Duration::from_millis(20), duration(options));
    let lanes = std::thread::scope(|scope| {
        let sample = || sample_rust(start_at, length);
        let workers = [scope.spawn(sample), scope.spawn(sample)];
        workers.map(shared::join_scoped)
    });
    let mut rust = Pair::default();
    for (index, runs) in lanes.into_iter().enumerate() {
        let runs = runs?;
        for &(start_ns, end_ns, cpu) in &runs {
            let lane = format!("thread {}", index + 1);
            timeline.slices.push(Slice {
                pid: me,
                lane,
                cpu,
                start_ns,
                end_ns,
                label: "ran".to_owned(),
            });
        }
        rust.lanes[index] = runs.iter().map(|&(a, b, _)| (a, b)).collect();
    }

    // CPython: two threads of one interpreter.
    let python_threads = if options.no_python {
        Err("--no-python".to_owned())
    } else {
        let start_at = shared::sys::monotonic_ns(); // No wait: one interpreter.
        python(options, "threads", start_at).and_then(|(output, pid)| {
            // `CPython 3.11.7, GIL on`: the prelude prints the name, version and GIL state.
            let (label, gil) = (output.label(), output.gil());
            let mut pair = Pair::default();
            for (index, name) in ["thread_1", "thread_2"].iter().enumerate() {
                pair.lanes[index] = lane(&output, name)?;
                push(
                    &mut timeline,
                    pid,
                    &format!("thread {}", index + 1),
                    &pair.lanes[index],
                    None,
                );
            }
            timeline.process_names.insert(pid, label.clone());
            let mut figures = pair.to_json();
            (figures["interpreter"], figures["gil"]) = (json!(label), json!(gil));
            Ok(figures)
        })
    };

    // CPython: two processes, started together.
    let python_processes = match &python_threads {
        Err(reason) => Err(reason.clone()),
        Ok(_) => {
            // Room for two interpreters to start on a busy machine, then both go.
            let start_at = shared::sys::monotonic_ns() + 1_500_000_000;
            let results = std::thread::scope(|scope| {
                let one = |name: &'static str| {
                    scope.spawn(move || python(options, name, start_at))
                };
                [one("process_1"), one("process_2")].map(shared::join_scoped)
            });
            let mut pair = Pair::default();
            let mut outcome = Ok(());
            for (index, result) in results.into_iter().enumerate() {
                let name = format!("process_{}", index + 1);
                match result
                    .map_err(|error| error.to_string())
                    .and_then(|inner| inner)
                    .and_then(|(output, pid)| Ok((lane(&output, &name)?, pid)))
                {
                    Ok((runs, pid)) => {
                        pair.lanes[index] = runs;
                        push(&mut timeline, pid, "main", &pair.lanes[index], None);
                        timeline
                            .process_names
                            .insert(pid, format!("CPython process {}", index + 1));
                    }
                    Err(reason) => outcome = Err(reason),
                }
            }
            outcome.map(|()| pair)
        }
    };
    align_groups(&mut timeline);
    // Rust's lanes on top, then CPython's threads, then its processes.
    let mut order: Vec<(usize, u32)> = timeline
        .process_names
        .keys()
        .map(|&pid| (group(&timeline, pid), pid))
        .collect();
    order.sort();
    timeline.process_order = order.into_iter().map(|(_, pid)| pid).collect();
    let skipped = |reason| json!({ "skipped": reason });
    let figures = json!({
        "trace_overhead_ns_per_slice": overhead_ns,
        "rust_threads": rust.to_json(),
        "python_threads": python_threads.unwrap_or_else(skipped),
        "python_processes": python_processes.map_or_else(skipped, |pair| pair.to_json()),
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

/// Which pair process `pid` belongs to: 0 Rust, 1 CPython's threads, 2 its processes.
fn group(timeline: &trace::Timeline, pid: u32) -> usize {
    match timeline.process_names.get(&pid) {
        _ if pid == std::process::id() => 0,
        Some(name) if name.starts_with("CPython process") => 2,
        _ => 1,
    }
}

/// The three pairs ran one after the other; for the picture, each group (Rust's process,
/// CPython's threads, CPython's processes) is moved to start at time 0, so that their lanes
/// line up. Within a group, times are untouched: the overlap is what the clock saw.
fn align_groups(timeline: &mut trace::Timeline) {
    let group = |slice: &Slice| group(timeline, slice.pid);
    let mut starts = [u64::MAX; 3];
    for slice in &timeline.slices {
        let start = &mut starts[group(slice)];
        *start = (*start).min(slice.start_ns);
    }
    let groups: Vec<usize> = timeline.slices.iter().map(group).collect();
    for (slice, group) in timeline.slices.iter_mut().zip(groups) {
        let shift = starts[group].saturating_sub(timeline.origin_ns);
        slice.start_ns -= shift;
        slice.end_ns -= shift;
    }
}
