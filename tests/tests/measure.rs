//! The `measure` commands of both binaries, end to end, in `--quick` mode: each runs, prints
//! one JSON object with exactly the documented keys, and exits 0, which also means every
//! parallel result equalled the sequential one (the command checks that itself and fails
//! otherwise). Bad options exit 2 with a message. No test looks at a timing: the figures
//! depend on the machine, and a loaded CI runner would make any bound flaky.

#![cfg(unix)] // The harness needs Unix.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use serde_json::Value;
use tests::{Bin, Finished, Runner};

/// Generous: a debug build on a shared, noisy machine. `--quick` takes a few seconds.
const DEADLINE: Duration = Duration::from_secs(60);

/// Reading the report, failing the test with the value at hand when it has another shape.
trait Report {
    /// `self[key]`.
    fn at(&self, key: &str) -> &Value;
    /// The object's keys, in the order written (`serde_json` keeps it: `preserve_order`).
    fn keys(&self) -> Vec<&str>;
    fn number(&self) -> f64;
    fn text(&self) -> &str;
    /// The elements of a non-empty array.
    fn rows(&self) -> &[Value];
}

impl Report for Value {
    #[track_caller]
    fn at(&self, key: &str) -> &Value {
        self.get(key).unwrap_or_else(|| panic!("no key '{key}' in {self}"))
    }

    #[track_caller]
    fn keys(&self) -> Vec<&str> {
        let object = self.as_object().unwrap_or_else(|| panic!("expected an object, got {self}"));
        object.keys().map(String::as_str).collect()
    }

    #[track_caller]
    fn number(&self) -> f64 {
        self.as_f64().unwrap_or_else(|| panic!("expected a number, got {self}"))
    }

    #[track_caller]
    fn text(&self) -> &str {
        self.as_str().unwrap_or_else(|| panic!("expected a string, got {self}"))
    }

    #[track_caller]
    fn rows(&self) -> &[Value] {
        match self.as_array() {
            Some(rows) if !rows.is_empty() => rows,
            _ => panic!("expected a non-empty array, got {self}"),
        }
    }
}

/// Checks that `value` is an object with exactly the keys `expected`, in that order.
#[track_caller]
fn assert_keys(value: &Value, expected: &[&str]) {
    assert_eq!(value.keys(), expected, "not the documented keys, in order, in {value}");
}

/// Runs `measure --quick --json` and returns the report, after checking that it succeeded,
/// left nothing behind, panicked nowhere, and printed exactly one JSON object on stdout.
fn quick_report(bin: Bin) -> (Value, Finished) {
    let finished = Runner::new(bin).args(&["measure", "--quick", "--json"]).deadline(DEADLINE).run();
    finished.assert_success().assert_no_panic();
    let report: Value = serde_json::from_str(&finished.stdout)
        .unwrap_or_else(|error| panic!("stdout is not one JSON value: {error}\n{finished}"));
    assert!(report.is_object(), "stdout is not a JSON object\n{finished}");
    (report, finished)
}

/// The keys every report starts with: when, where, how.
const COMMON_KEYS: [&str; 5] = ["date", "machine", "mode", "build", "duration_s"];

fn check_common(report: &Value) {
    assert_eq!(report.at("mode").text(), "quick");
    let machine = report.at("machine");
    assert_keys(machine, &["line", "cpu", "cpus", "memory_gib", "kernel", "transparent_huge_pages"]);
    assert!(machine.at("cpus").number() >= 1.0);
    assert!(report.at("date").text().ends_with('Z'));
}

/// A median with its spread: `{"median", "p10", "p90", "min", "max", "samples"}`,
/// min ≤ p10 ≤ median ≤ p90 ≤ max.
fn check_summary(summary: &Value) {
    assert_keys(summary, &["median", "p10", "p90", "min", "max", "samples"]);
    let [median, p10, p90, min, max] =
        ["median", "p10", "p90", "min", "max"].map(|key| summary.at(key).number());
    assert!(
        min <= p10 && p10 <= median && median <= p90 && p90 <= max,
        "not min ≤ p10 ≤ median ≤ p90 ≤ max: {summary:?}"
    );
    assert!(summary.at("samples").number() >= 1.0);
}

/// The workers column of a table of rows.
fn workers(rows: &[Value]) -> Vec<f64> {
    rows.iter().map(|row| row.at("workers").number()).collect()
}

/// `{"skipped": reason}` without python3, else its figures (the comparison is optional).
fn check_python(python: &Value, figures: &[&str]) {
    if python.keys() == ["skipped"] {
        assert!(!python.at("skipped").text().is_empty());
    } else {
        assert!(!python.at("version").text().is_empty());
        let label = python.at("interpreter").text();
        assert!(
            label.ends_with("GIL on") || label.ends_with("GIL off"),
            "every Python figure is labelled: {label}"
        );
        for figure in figures {
            python.at(figure);
        }
    }
}

#[test]
fn threads_measure_quick_json_has_every_key() {
    let (report, _) = quick_report(Bin::Threads);
    assert_same_keys_as_the_snapshot(&report, "threads.json");
    let mut expected: Vec<&str> = COMMON_KEYS.to_vec();
    expected.extend([
        "spawn_join_us",
        "stack_curve",
        "rss_per_thread_kib",
        "pss_per_thread_kib",
        "page_tables_per_thread_kib",
        "speedup_sequential_ms",
        "speedup",
        "io_speedup",
        "false_sharing",
        "contention",
        "waits",
        "python",
        "timeline",
    ]);
    assert_keys(&report, &expected);
    check_common(&report);
    check_summary(report.at("spawn_join_us"));

    let stack_curve = report.at("stack_curve").rows();
    for point in stack_curve {
        assert_keys(point, &["stack_kib", "cached_us", "mapped_us"]);
        check_summary(point.at("cached_us"));
        check_summary(point.at("mapped_us"));
    }
    let stacks: Vec<f64> = stack_curve.iter().map(|point| point.at("stack_kib").number()).collect();
    assert_eq!((stacks[0], stacks[stacks.len() - 1]), (64.0, 65536.0), "the curve spans 64 KiB … 64 MiB");

    // Each parked thread has touched at least its first stack page and its thread-local
    // block, so RSS grows; but only the pages it touched are resident, far from the 2 MiB
    // reserved for its stack. (0 would mean the threads were not there when RSS was read.)
    let rss_per_thread = report.at("rss_per_thread_kib").number();
    assert!(rss_per_thread > 0.0 && rss_per_thread < 2048.0, "{rss_per_thread} KiB per idle thread");
    // PSS grows by the same pages (this process shares none of its threads' pages with
    // another process); the page tables grow too, each stack needing its own entries.
    // (Both are read from /proc: Linux only; elsewhere the report says why they are skipped.)
    if cfg!(target_os = "linux") {
        let pss_per_thread = report.at("pss_per_thread_kib").number();
        assert!(
            pss_per_thread > 0.0 && pss_per_thread < 2048.0,
            "{pss_per_thread} KiB of PSS per idle thread"
        );
        let page_tables_per_thread = report.at("page_tables_per_thread_kib").number();
        assert!(page_tables_per_thread > 0.0, "{page_tables_per_thread} KiB of page tables per idle thread");
    }
    check_summary(report.at("speedup_sequential_ms"));
    let speedup = report.at("speedup").rows();
    assert_eq!(workers(speedup), [1.0, 2.0, 4.0]);
    for row in speedup {
        assert_keys(row, &["workers", "threads_contiguous", "threads_interleaved", "rayon"]);
        for way in ["threads_contiguous", "threads_interleaved", "rayon"] {
            assert!(row.at(way).number() > 0.0, "{way}: {row}");
        }
    }
    let io_speedup = report.at("io_speedup").rows();
    let io_workers = workers(io_speedup);
    assert_eq!((io_workers[0], io_workers[io_workers.len() - 1]), (1.0, 64.0));
    for row in io_speedup {
        assert_keys(row, &["workers", "speedup"]);
    }
    // False sharing: both layouts timed, the ratio given; its size is not checked (timing).
    let false_sharing = report.at("false_sharing");
    assert_keys(false_sharing, &["increments_per_thread", "one_line_ms", "padded_ms", "ratio"]);
    check_summary(false_sharing.at("one_line_ms"));
    check_summary(false_sharing.at("padded_ms"));
    assert_quotient(
        false_sharing.at("ratio"),
        false_sharing.at("one_line_ms"),
        false_sharing.at("padded_ms"),
    );
    // Contention: each of 1, 2, 4, 8 threads timed three ways; the times are not compared.
    let contention = report.at("contention");
    assert_keys(contention, &["increments", "rows"]);
    let rows = contention.at("rows").rows();
    assert_eq!(rows.iter().map(|row| row.at("threads").number()).collect::<Vec<_>>(), [1.0, 2.0, 4.0, 8.0]);
    for row in rows {
        assert_keys(row, &["threads", "mutex_ms", "atomic_ms", "sharded_ms"]);
        ["mutex_ms", "atomic_ms", "sharded_ms"].into_iter().for_each(|way| check_summary(row.at(way)));
    }
    // Every wait done, both ways; memory a number, or null where the platform gives none.
    let waits = report.at("waits");
    let count = waits.at("count").number();
    for way in ["tokio_tasks", "threads"] {
        let figures = waits.at(way);
        assert_keys(figures, &["done", "start_ms", "total_ms", "memory_kib"]);
        assert_eq!(figures.at("done").number(), count, "{way}: every wait done");
    }
    check_python(
        report.at("python"),
        &[
            "thread_start_join_us",
            "thread_start_join_ratio_to_rust",
            "cpu_speedup_2_threads",
            "asyncio_waits",
        ],
    );
    // Who ran when: the recorder's cost is reported (never asserted: a timing), and each
    // pair's figures, or why CPython's were skipped.
    let timeline = report.at("timeline");
    assert!(timeline.at("trace_overhead_ns_per_slice").number() > 0.0);
    for pair in ["rust_threads", "python_threads", "python_processes"] {
        let figures = timeline.at(pair);
        if figures.keys() != ["skipped"] {
            assert!(figures.at("overlap_ms").number() >= 0.0, "{pair}");
            figures.at("switches");
            // Each worker ran: a worker with no stretch at all is a lost or torn line.
            for ran in figures.at("ran_ms").rows() {
                assert!(ran.number() > 0.0, "{pair}: a worker that never ran: {figures}");
            }
        }
    }
}

/// `--python PATH` with this machine's `python3`: the comparison runs with that interpreter,
/// and its label names that Python's version (as `python3 --version` prints it) and the GIL.
#[test]
fn the_python_given_is_the_python_measured() {
    let Some(python) = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths).map(|dir| dir.join("python3")).find(|path| path.is_file())
    }) else {
        println!("skipped: no python3 on the PATH");
        return;
    };
    let version = std::process::Command::new(&python).arg("--version").output().expect("python3 --version");
    let version = String::from_utf8_lossy(&version.stdout).trim().replace("Python ", "");
    assert!(!version.is_empty(), "python3 --version printed no version");
    let path = python.to_str().expect("a UTF-8 path");
    let finished = Runner::new(Bin::Processes)
        .args(&["measure", "--quick", "--json", "--python", path])
        .deadline(DEADLINE)
        .run();
    finished.assert_success().assert_no_panic();
    let report: Value = serde_json::from_str(&finished.stdout).expect("one JSON value");
    let label = report.at("python").at("interpreter").text();
    assert_eq!(label, format!("CPython {version}, GIL on"), "{finished}");
}

/// `--python PATH` with a path that is not a Python: one line on stderr, exit 2.
#[test]
fn a_path_that_is_not_a_python_is_a_usage_error() {
    for bin in tests::Bin::ALL {
        let finished = Runner::new(bin).args(&["measure", "--quick", "--python", "/bin/true"]).run();
        finished.assert_code(2);
        assert!(
            finished.stderr.contains("error: --python /bin/true: not a Python interpreter"),
            "{finished}"
        );
        assert!(finished.stdout.is_empty(), "{finished}");
    }
}

/// A printed ratio is the quotient of the two printed medians (which are rounded to 6
/// digits), so a ratio computed from other figures, or not at all, fails.
#[track_caller]
fn assert_quotient(ratio: &Value, numerator: &Value, denominator: &Value) {
    let quotient = numerator.at("median").number() / denominator.at("median").number();
    let printed = ratio.number();
    assert!(
        quotient > 0.0 && (printed - quotient).abs() <= 1e-3 * quotient,
        "ratio {printed}, but the medians give {quotient}: {numerator} / {denominator}"
    );
}

/// The slope and R² of the least-squares line through `points`.
fn least_squares(points: &[(f64, f64)]) -> (f64, f64) {
    let count = points.len() as f64;
    let mean_x = points.iter().map(|point| point.0).sum::<f64>() / count;
    let mean_y = points.iter().map(|point| point.1).sum::<f64>() / count;
    let sxx: f64 = points.iter().map(|&(x, _)| (x - mean_x).powi(2)).sum();
    let sxy: f64 = points.iter().map(|&(x, y)| (x - mean_x) * (y - mean_y)).sum();
    let syy: f64 = points.iter().map(|&(_, y)| (y - mean_y).powi(2)).sum();
    (sxy / sxx, sxy * sxy / (sxx * syy))
}

#[test]
fn processes_measure_quick_json_has_every_key() {
    let (report, _) = quick_report(Bin::Processes);
    assert_same_keys_as_the_snapshot(&report, "processes.json");
    let mut expected: Vec<&str> = COMMON_KEYS.to_vec();
    expected.extend([
        "fork_curve",
        "fork_slope_ms_per_gib",
        "fork_slope_r2",
        "spawn_curve",
        "spawn_slope_ms_per_gib",
        "speedup_sequential_ms",
        "speedup",
        "handoff_buffer_mib",
        "handoff_pipe_capacity_kib",
        "handoff",
        "shared_memory_first_touch_mib_per_s",
        "pss_per_process_kib",
        "page_tables_per_process_kib",
        "process_start",
        "wrapper_overhead",
        "serialize",
        "python",
    ]);
    assert_keys(&report, &expected);
    check_common(&report);

    for (curve, time) in [("fork_curve", "fork_wait_us"), ("spawn_curve", "spawn_wait_us")] {
        let points = report.at(curve).rows();
        assert!(points.len() >= 2, "{curve} needs two parent sizes or more to fit a line");
        for point in points {
            assert_keys(point, &["rss_mib", time]);
            check_summary(point.at(time));
        }
        // The parent grows from one point to the next (by 64 MiB in quick mode).
        let sizes: Vec<f64> = points.iter().map(|point| point.at("rss_mib").number()).collect();
        assert!(sizes.windows(2).all(|pair| pair[0] < pair[1]), "{curve}: parent sizes {sizes:?}");
    }
    // The slope and R² are the least-squares line through the curve's medians, in ms against
    // GiB: fitted again here from the printed points (which are rounded to 6 digits).
    // Into bytes and back: postcard always; CPython's pickle, or why it was skipped.
    let serialize = report.at("serialize");
    assert_keys(serialize, &["records", "postcard", "python"]);
    let ways = |value: &Value| {
        assert_keys(value, &["encode_ms", "decode_ms", "bytes"]);
        check_summary(value.at("encode_ms"));
        check_summary(value.at("decode_ms"));
        assert!(value.at("bytes").number() > 0.0, "{value}");
    };
    ways(serialize.at("postcard"));
    let pickle = serialize.at("python");
    if pickle.keys() == ["skipped"] {
        assert!(!pickle.at("skipped").text().is_empty());
    } else {
        assert_keys(pickle, &["interpreter", "pickle_protocol", "tuples", "dicts"]);
        ways(pickle.at("tuples"));
        ways(pickle.at("dicts"));
    }
    let points: Vec<(f64, f64)> = report
        .at("fork_curve")
        .rows()
        .iter()
        .map(|point| {
            (point.at("rss_mib").number() / 1024.0, point.at("fork_wait_us").at("median").number() / 1000.0)
        })
        .collect();
    let (slope, r2) = least_squares(&points);
    let (printed_slope, printed_r2) =
        (report.at("fork_slope_ms_per_gib").number(), report.at("fork_slope_r2").number());
    assert!(
        (printed_slope - slope).abs() <= 1e-3 * slope.abs().max(1.0),
        "slope {printed_slope}, refitted {slope}"
    );
    assert!(
        (printed_r2 - r2).abs() <= 1e-3 && (0.0..=1.0).contains(&printed_r2),
        "R² {printed_r2}, refitted {r2}"
    );

    let speedup = report.at("speedup").rows();
    assert_eq!(workers(speedup), [1.0, 2.0, 4.0]);
    for row in speedup {
        assert_keys(row, &["workers", "processes_contiguous", "processes_interleaved"]);
    }

    assert!(report.at("handoff_buffer_mib").number() > 0.0);
    let handoff = report.at("handoff").rows();
    let methods: Vec<&str> = handoff.iter().map(|row| row.at("method").text()).collect();
    assert_eq!(methods, ["thread", "pipe", "shared-memory"]);
    // F_SETPIPE_SZ gives at least what was asked (1 MiB, Linux's default pipe-max-size).
    if cfg!(target_os = "linux") {
        assert!(report.at("handoff_pipe_capacity_kib").number() >= 1024.0);
    }
    for row in handoff {
        assert_keys(row, &["method", "mib_per_s", "baseline", "baseline_mib_per_s", "fraction_of_baseline"]);
        check_summary(row.at("mib_per_s"));
        check_summary(row.at("baseline_mib_per_s"));
        let fraction =
            row.at("mib_per_s").at("median").number() / row.at("baseline_mib_per_s").at("median").number();
        let printed = row.at("fraction_of_baseline").number();
        assert!((printed - fraction).abs() <= 1e-3 * fraction, "fraction {printed}, recomputed {fraction}");
    }
    check_summary(report.at("shared_memory_first_touch_mib_per_s"));

    // Summed over the parent and its idle children, PSS and page tables grow with each child
    // (read from /proc: Linux only).
    if cfg!(target_os = "linux") {
        assert!(report.at("pss_per_process_kib").number() > 0.0);
        assert!(report.at("page_tables_per_process_kib").number() > 0.0);
    }
    let starts = report.at("process_start").rows();
    let ways: Vec<&str> = starts.iter().map(|start| start.at("way").text()).collect();
    assert_eq!(ways, ["rust-self-spawn", "bin-true", "rust-fork-server"]);
    for start in starts {
        assert_keys(start, &["way", "how", "start_wait_us"]);
        check_summary(start.at("start_wait_us"));
    }
    let overhead = report.at("wrapper_overhead").rows();
    assert_eq!(overhead.len(), 2, "fork_child and the thread spawn path");
    for row in overhead {
        assert_keys(row, &["wrapper", "baseline", "ours_us", "raw_us", "ratio"]);
        check_summary(row.at("ours_us"));
        check_summary(row.at("raw_us"));
        assert_quotient(row.at("ratio"), row.at("ours_us"), row.at("raw_us"));
    }
    check_python(
        report.at("python"),
        &["process_start", "bin_true_us", "cpu_speedup_2_processes", "pool", "behaviour"],
    );
    // What the book's pool page says of a dead worker, seen in the interpreter measured.
    let python = report.at("python");
    if python.keys() != ["skipped"] {
        let pool = python.at("behaviour").at("broken_process_pool");
        assert_eq!(pool.at("done_before_the_crash").text(), "result");
        assert_eq!(pool.at("running_on_a_healthy_worker").text(), "BrokenProcessPool");
    }
}

#[test]
fn a_bad_option_is_a_usage_error() {
    for bin in tests::Bin::ALL {
        for args in [&["measure", "--fast"][..], &["measure", "--plot"], &["measure", "quick"]] {
            let finished = Runner::new(bin).args(args).run();
            finished.assert_code(2);
            assert!(finished.stdout.is_empty(), "a usage error prints nothing on stdout\n{finished}");
            assert!(finished.stderr.contains("error:"), "no message\n{finished}");
        }
    }
}

/// Without the `plot` feature, `--plot` is refused with a message naming the feature; with
/// it (`cargo test --all-features` gives it to these tests, and the harness then builds the
/// binaries with it), the plots are written. Which one is decided by the build, not the run.
#[test]
fn plot_names_the_feature_without_it_and_draws_with_it() {
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("measure-plot-test-{}", std::process::id()));
    for bin in tests::Bin::ALL {
        let dir_arg = dir.to_str().expect("a UTF-8 temporary directory");
        let args = ["measure", "--quick", "--json", "--no-python", "--plot", dir_arg];
        let finished = Runner::new(bin).args(&args).deadline(DEADLINE).run();
        if !cfg!(feature = "plot") {
            finished.assert_code(2);
            assert!(
                finished.stderr.contains("--features plot"),
                "the message does not name the feature\n{finished}"
            );
            assert!(finished.stdout.is_empty(), "{finished}");
        } else {
            // A build with the feature (`cargo test --all-features`): the plots are written.
            finished.assert_success();
            let prefix = if bin == Bin::Threads { "threads-" } else { "processes-" };
            let plots = std::fs::read_dir(&dir)
                .expect("the plot directory exists")
                .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
                .filter(|name| name.starts_with(prefix) && name.ends_with(".svg"))
                .count();
            assert_eq!(plots, 3, "{} plots expected in {}\n{finished}", 3, dir.display());
        }
    }
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("removing the plot directory");
    }
}

/// Every key path of `value` (`speedup.workers`: the rows of an array merged), and the paths
/// of the objects that say why they were skipped (`{"skipped": reason}`).
fn key_paths(value: &Value, prefix: &str, paths: &mut BTreeSet<String>, skipped: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) if map.len() == 1 && map.contains_key("skipped") => {
            skipped.insert(prefix.to_owned());
        }
        Value::Object(map) => {
            for (key, inner) in map {
                let path = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
                paths.insert(path.clone());
                key_paths(inner, &path, paths, skipped);
            }
        }
        Value::Array(rows) => rows.iter().for_each(|row| key_paths(row, prefix, paths, skipped)),
        _ => {}
    }
}

/// The report has the keys of the committed snapshot that the book quotes
/// (`book/src/measurements/NAME`), at every depth, and no other: a renamed or new key fails
/// here until the snapshot is taken again. A part skipped on either side (no python3, say)
/// is left out of the comparison.
#[track_caller]
fn assert_same_keys_as_the_snapshot(report: &Value, name: &str) {
    let path = tests::workspace_root().join("book/src/measurements").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let snapshot: Value =
        serde_json::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let (mut ours, mut theirs, mut skipped) = (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    key_paths(report, "", &mut ours, &mut skipped);
    key_paths(&snapshot, "", &mut theirs, &mut skipped);
    let compared = |path: &&String| !skipped.iter().any(|part| path.starts_with(&format!("{part}.")));
    let only_now: Vec<&String> = ours.difference(&theirs).filter(compared).collect();
    let only_snapshot: Vec<&String> = theirs.difference(&ours).filter(compared).collect();
    assert!(
        only_now.is_empty() && only_snapshot.is_empty(),
        "measure --json and the snapshot {name} have different keys\n  \
         only in measure --json: {only_now:?}\n  only in the snapshot: {only_snapshot:?}"
    );
}
