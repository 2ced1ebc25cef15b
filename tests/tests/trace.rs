//! `--trace FILE` end to end: the Chrome trace-event JSON parses and follows the format, the
//! overlap it shows is the overlap the example prints, and a FILE in a missing directory is a
//! usage error. No timing is asserted.

#![cfg(unix)] // The harness needs Unix.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value;
use tempfile::TempDir;
use tests::{Bin, Finished, Runner, run};

/// Longer than the harness's default: a debug build on a loaded machine is slow. A deadline
/// still: nothing may hang.
const DEADLINE: Duration = Duration::from_secs(240);

/// A fresh path for a trace, in a new private directory (`tempfile`: a random name, never a
/// symlink followed) that is removed when the returned `TempDir` is dropped.
fn trace_path(name: &str) -> (TempDir, PathBuf) {
    let dir = tempfile::Builder::new()
        .prefix(&format!("trace-test-{name}-"))
        .tempdir()
        .expect("creating a temporary directory");
    let path = dir.path().join(format!("{name}.json"));
    (dir, path)
}

/// One `X` event of a trace: lane `(pid, tid)`, start and end in µs, the CPU if known.
#[derive(Debug)]
struct Event {
    lane: (u64, u64),
    start: f64,
    end: f64,
    cpu: Option<u64>,
    name: String,
}

/// Runs `bin example --trace FILE` (for a thread example, `timeline example --trace FILE`:
/// the examples themselves record nothing), which must succeed; reads the trace and checks its format:
/// every slice names a thread and a process described by metadata, and ends after it starts.
/// Returns the run, the slices, and the lanes' names.
#[track_caller]
fn traced(bin: Bin, example: &str) -> (Finished, Vec<Event>, BTreeMap<(u64, u64), String>) {
    let (dir, path) = trace_path(example);
    let mut args = vec![example, "--trace", path.to_str().expect("a UTF-8 path")];
    if bin == Bin::Threads {
        args.insert(0, "timeline");
    }
    let finished = Runner::new(bin).args(&args).deadline(DEADLINE).run();
    finished.assert_success().assert_no_panic();
    assert!(finished.stderr.contains("open it at https://ui.perfetto.dev"), "{finished}");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("no trace: {error}\n{finished}"));
    let json: Value = serde_json::from_str(&text).expect("the trace is JSON");
    let events = json["traceEvents"].as_array().expect("a traceEvents array");
    let (mut lanes, mut processes, mut slices) = (BTreeMap::new(), Vec::new(), Vec::new());
    for event in events {
        let (pid, tid) = (event["pid"].as_u64().expect("a pid"), event["tid"].as_u64().expect("a tid"));
        match (event["ph"].as_str(), event["name"].as_str()) {
            (Some("M"), Some("thread_name")) => {
                lanes.insert((pid, tid), event["args"]["name"].as_str().expect("a name").to_owned());
            }
            (Some("M"), Some("process_name")) => processes.push(pid),
            (Some("M"), _) => {}
            (Some("X"), Some(name)) => {
                let start = event["ts"].as_f64().expect("ts in µs");
                let end = start + event["dur"].as_f64().expect("dur in µs");
                let cpu = event["args"]["cpu"].as_u64();
                slices.push(Event { lane: (pid, tid), start, end, cpu, name: name.to_owned() });
            }
            (Some("i"), Some(_)) => assert!(processes.contains(&pid), "a mark on an unknown process"),
            other => panic!("an event of an unexpected kind {other:?}: {event}"),
        }
    }
    assert!(!slices.is_empty(), "no slices\n{finished}");
    for slice in &slices {
        assert!(slice.start < slice.end, "a slice ends before it starts: {slice:?}");
        assert!(lanes.contains_key(&slice.lane), "a slice on an unnamed lane: {slice:?}");
        assert!(processes.contains(&slice.lane.0), "a slice in an unnamed process: {slice:?}");
    }
    dir.close().expect("removing the trace");
    (finished, slices, lanes)
}

#[test]
fn parallel_proof_trace_shows_the_overlap_it_prints() {
    let (finished, slices, lanes) = traced(Bin::Threads, "parallel-proof");
    let on = |name: &str| -> Vec<&Event> { slices.iter().filter(|s| lanes[&s.lane] == name).collect() };
    let (a, b) = (on("thread A"), on("thread B"));
    // Time both lanes ran at once, on different CPUs (or CPUs unknown), from the trace.
    let mut overlap_us = 0.0;
    for x in &a {
        for y in &b {
            let (from, to) = (x.start.max(y.start), x.end.min(y.end));
            if from < to && (x.cpu.is_none() || x.cpu != y.cpu) {
                overlap_us += to - from;
            }
        }
    }
    let line = finished.stdout.lines().rev().find(|line| line.contains("both ran at once")).expect("a round");
    let printed_ms: f64 =
        line.split("for ").nth(1).and_then(|rest| rest.split(' ').next()).unwrap().parse().unwrap();
    // The example prints one decimal; the trace holds the same stretches, in µs.
    assert!(
        (overlap_us / 1e3 - printed_ms).abs() <= 0.051,
        "trace {overlap_us} µs, printed {line}\n{finished}"
    );
    if std::thread::available_parallelism().map_or(1, |cpus| cpus.get()) >= 2 {
        assert!(overlap_us > 0.0, "no overlap on two or more CPUs\n{finished}");
    }
}

#[test]
fn cpu_vs_io_trace_has_a_lane_per_worker() {
    let (_, slices, lanes) = traced(Bin::Threads, "cpu-vs-io");
    let workers: Vec<&String> = lanes.values().filter(|name| name.starts_with("worker ")).collect();
    assert_eq!(workers.len(), 8, "{lanes:?}");
    // 8 tasks of each kind, on 1, 2, 4 and 8 threads, 3 runs each.
    assert_eq!(slices.len(), 2 * 8 * 4 * 3);
}

#[test]
fn rayon_trace_has_every_piece() {
    let (_, slices, _) = traced(Bin::Threads, "rayon");
    assert!((0..64).all(|piece| slices.iter().any(|s| s.name == format!("piece {piece}"))));
}

#[test]
fn trace_into_a_missing_directory_is_a_usage_error() {
    let args = ["timeline", "parallel-proof", "--trace", "/no/such/directory/x.json"];
    let finished = run(Bin::Threads, &args);
    finished.assert_code(2);
    assert!(finished.stderr.contains("the directory /no/such/directory does not exist"), "{finished}");
    assert!(finished.stdout.is_empty(), "{finished}");
}

#[test]
fn without_the_plot_feature_the_svg_is_skipped_with_one_line() {
    let (dir, path) = trace_path("cpu-vs-io-svg");
    let finished = run(Bin::Threads, &["timeline", "cpu-vs-io", "--trace", path.to_str().unwrap()]);
    finished.assert_success();
    let svg = path.with_extension("svg");
    if cfg!(feature = "plot") {
        assert!(std::fs::read_to_string(&svg).unwrap().starts_with("<svg"), "{finished}");
    } else {
        assert!(finished.stderr.contains("no SVG timeline"), "{finished}");
        assert!(!svg.exists());
    }
    dir.close().unwrap();
}
