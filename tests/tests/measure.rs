//! The `measure` commands of both binaries, end to end, in `--quick` mode: each runs, prints
//! one JSON object with exactly the documented keys, and exits 0, which also means every
//! parallel result equalled the sequential one (the command checks that itself and fails
//! otherwise). Bad options exit 2 with a message. No test looks at a timing: the figures
//! depend on the machine, and a loaded CI runner would make any bound flaky.

use std::path::Path;
use std::time::Duration;

use tests::{Bin, Finished, Runner};

/// Generous: a debug build on a shared, noisy machine. `--quick` takes a few seconds.
const DEADLINE: Duration = Duration::from_secs(60);

/// A parsed JSON value: just enough of JSON to check the report's shape.
#[derive(Debug, PartialEq)]
enum Value {
    Null,
    Bool(bool),
    Number(f64),
    Text(String),
    Array(Vec<Value>),
    Object(Vec<(String, Value)>),
}

impl Value {
    fn get(&self, key: &str) -> &Value {
        match self {
            Value::Object(pairs) => {
                pairs.iter().find(|(name, _)| name == key).map(|(_, value)| value).unwrap_or_else(|| {
                    let keys: Vec<&str> = pairs.iter().map(|(name, _)| name.as_str()).collect();
                    panic!("no key '{key}' in an object with keys {keys:?}")
                })
            }
            other => panic!("looked up '{key}' in a non-object: {other:?}"),
        }
    }

    fn keys(&self) -> Vec<&str> {
        match self {
            Value::Object(pairs) => pairs.iter().map(|(name, _)| name.as_str()).collect(),
            other => panic!("expected an object, got {other:?}"),
        }
    }

    fn number(&self) -> f64 {
        match self {
            Value::Number(number) => *number,
            other => panic!("expected a number, got {other:?}"),
        }
    }

    fn text(&self) -> &str {
        match self {
            Value::Text(text) => text,
            other => panic!("expected a string, got {other:?}"),
        }
    }

    fn rows(&self) -> &[Value] {
        match self {
            Value::Array(rows) if !rows.is_empty() => rows,
            other => panic!("expected a non-empty array, got {other:?}"),
        }
    }
}

/// Parses `text` as exactly one JSON value (whitespace around it allowed).
fn parse_json(text: &str) -> Result<Value, String> {
    let mut parser = Parser { bytes: text.as_bytes(), at: 0 };
    let value = parser.value()?;
    parser.skip_space();
    if parser.at != parser.bytes.len() {
        return Err(format!("text after the JSON value, at byte {}", parser.at));
    }
    Ok(value)
}

struct Parser<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn skip_space(&mut self) {
        while self.bytes.get(self.at).is_some_and(|byte| byte.is_ascii_whitespace()) {
            self.at += 1;
        }
    }

    fn expect(&mut self, byte: u8) -> Result<(), String> {
        self.skip_space();
        if self.bytes.get(self.at) == Some(&byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(format!("expected '{}' at byte {}", byte as char, self.at))
        }
    }

    fn value(&mut self) -> Result<Value, String> {
        self.skip_space();
        let rest = &self.bytes[self.at..];
        for (word, value) in
            [("null", Value::Null), ("true", Value::Bool(true)), ("false", Value::Bool(false))]
        {
            if rest.starts_with(word.as_bytes()) {
                self.at += word.len();
                return Ok(value);
            }
        }
        match rest.first() {
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') => self.string().map(Value::Text),
            Some(byte) if *byte == b'-' || byte.is_ascii_digit() => self.number(),
            _ => Err(format!("unexpected input at byte {}", self.at)),
        }
    }

    fn object(&mut self) -> Result<Value, String> {
        self.expect(b'{')?;
        let mut pairs = Vec::new();
        self.skip_space();
        if self.bytes.get(self.at) == Some(&b'}') {
            self.at += 1;
            return Ok(Value::Object(pairs));
        }
        loop {
            self.skip_space();
            let key = self.string()?;
            self.expect(b':')?;
            pairs.push((key, self.value()?));
            self.skip_space();
            match self.bytes.get(self.at) {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Value::Object(pairs));
                }
                _ => return Err(format!("expected ',' or '}}' at byte {}", self.at)),
            }
        }
    }

    fn array(&mut self) -> Result<Value, String> {
        self.expect(b'[')?;
        let mut values = Vec::new();
        self.skip_space();
        if self.bytes.get(self.at) == Some(&b']') {
            self.at += 1;
            return Ok(Value::Array(values));
        }
        loop {
            values.push(self.value()?);
            self.skip_space();
            match self.bytes.get(self.at) {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Value::Array(values));
                }
                _ => return Err(format!("expected ',' or ']' at byte {}", self.at)),
            }
        }
    }

    fn string(&mut self) -> Result<String, String> {
        self.expect(b'"')?;
        let mut text = String::new();
        loop {
            let rest = std::str::from_utf8(&self.bytes[self.at..]).map_err(|error| error.to_string())?;
            let mut chars = rest.chars();
            match chars.next() {
                None => return Err("unterminated string".into()),
                Some('"') => {
                    self.at += 1;
                    return Ok(text);
                }
                Some('\\') => {
                    let escaped = chars.next().ok_or("unterminated escape")?;
                    self.at += 2;
                    match escaped {
                        'n' => text.push('\n'),
                        't' => text.push('\t'),
                        'r' => text.push('\r'),
                        'u' => {
                            let hex = rest.get(2..6).ok_or("short \\u escape")?;
                            let code = u32::from_str_radix(hex, 16).map_err(|error| error.to_string())?;
                            text.push(char::from_u32(code).ok_or("bad \\u escape")?);
                            self.at += 4;
                        }
                        other => text.push(other),
                    }
                }
                Some(other) => {
                    text.push(other);
                    self.at += other.len_utf8();
                }
            }
        }
    }

    fn number(&mut self) -> Result<Value, String> {
        let start = self.at;
        while self.bytes.get(self.at).is_some_and(|byte| b"+-.eE0123456789".contains(byte)) {
            self.at += 1;
        }
        let text = std::str::from_utf8(&self.bytes[start..self.at]).map_err(|error| error.to_string())?;
        text.parse().map(Value::Number).map_err(|_| format!("bad number '{text}' at byte {start}"))
    }
}

#[test]
fn the_json_parser_reads_what_it_should() {
    let value = parse_json(r#" {"a": [1, -2.5e3, true, null], "b": {"c": "x\"\u00e9"}} "#).unwrap();
    assert_eq!(value.get("a").rows()[1], Value::Number(-2500.0));
    assert_eq!(value.get("b").get("c").text(), "x\"é");
    assert!(parse_json(r#"{"a": 1} {"b": 2}"#).is_err(), "two objects are not one");
    assert!(parse_json(r#"{"a": 1,}"#).is_err());
}

/// Runs `measure --quick --json` and returns the report, after checking that it succeeded,
/// left nothing behind, panicked nowhere, and printed exactly one JSON object on stdout.
fn quick_report(bin: Bin) -> (Value, Finished) {
    let finished = Runner::new(bin).args(&["measure", "--quick", "--json"]).deadline(DEADLINE).run();
    finished.assert_success().assert_no_panic();
    let report = parse_json(&finished.stdout)
        .unwrap_or_else(|error| panic!("stdout is not one JSON object: {error}\n{finished}"));
    assert!(matches!(report, Value::Object(_)), "stdout is not a JSON object\n{finished}");
    (report, finished)
}

/// The keys every report starts with: when, where, how.
const COMMON_KEYS: [&str; 5] = ["date", "machine", "mode", "build", "duration_s"];

fn check_common(report: &Value) {
    assert_eq!(report.get("mode").text(), "quick");
    let machine = report.get("machine");
    assert_eq!(machine.keys(), ["line", "cpu", "cpus", "memory_gib", "kernel", "transparent_huge_pages"]);
    assert!(machine.get("cpus").number() >= 1.0);
    assert!(report.get("date").text().ends_with('Z'));
}

/// A median with its range: `{"median", "min", "max", "samples"}`, min ≤ median ≤ max.
fn check_summary(summary: &Value) {
    assert_eq!(summary.keys(), ["median", "min", "max", "samples"]);
    let (min, median, max) =
        (summary.get("min").number(), summary.get("median").number(), summary.get("max").number());
    assert!(min <= median && median <= max, "not min ≤ median ≤ max: {summary:?}");
    assert!(summary.get("samples").number() >= 1.0);
}

/// The workers column of a table of rows.
fn workers(rows: &[Value]) -> Vec<f64> {
    rows.iter().map(|row| row.get("workers").number()).collect()
}

/// `{"skipped": reason}` without python3, else its figures (the comparison is optional).
fn check_python(python: &Value, figures: &[&str]) {
    if python.keys() == ["skipped"] {
        assert!(!python.get("skipped").text().is_empty());
    } else {
        assert!(!python.get("version").text().is_empty());
        for figure in figures {
            python.get(figure);
        }
    }
}

#[test]
fn threads_measure_quick_json_has_every_key() {
    let (report, _) = quick_report(Bin::Threads);
    let mut expected: Vec<&str> = COMMON_KEYS.to_vec();
    expected.extend([
        "spawn_join_us",
        "stack_curve",
        "rss_per_thread_kib",
        "speedup_sequential_ms",
        "speedup",
        "io_speedup",
        "python",
    ]);
    assert_eq!(report.keys(), expected);
    check_common(&report);
    check_summary(report.get("spawn_join_us"));

    let stack_curve = report.get("stack_curve").rows();
    for point in stack_curve {
        assert_eq!(point.keys(), ["stack_kib", "spawn_join_us"]);
        check_summary(point.get("spawn_join_us"));
    }
    let stacks: Vec<f64> = stack_curve.iter().map(|point| point.get("stack_kib").number()).collect();
    assert_eq!((stacks[0], stacks[stacks.len() - 1]), (64.0, 65536.0), "the curve spans 64 KiB … 64 MiB");

    assert!(report.get("rss_per_thread_kib").number() >= 0.0);
    check_summary(report.get("speedup_sequential_ms"));
    let speedup = report.get("speedup").rows();
    assert_eq!(workers(speedup), [1.0, 2.0, 4.0]);
    for row in speedup {
        assert_eq!(row.keys(), ["workers", "threads", "rayon"]);
        assert!(row.get("threads").number() > 0.0 && row.get("rayon").number() > 0.0);
    }
    let io_speedup = report.get("io_speedup").rows();
    let io_workers = workers(io_speedup);
    assert_eq!((io_workers[0], io_workers[io_workers.len() - 1]), (1.0, 64.0));
    for row in io_speedup {
        assert_eq!(row.keys(), ["workers", "speedup"]);
    }
    check_python(
        report.get("python"),
        &["thread_start_join_us", "thread_start_join_ratio_to_rust", "cpu_speedup_2_threads"],
    );
}

#[test]
fn processes_measure_quick_json_has_every_key() {
    let (report, _) = quick_report(Bin::Processes);
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
        "handoff",
        "rss_per_process_kib",
        "wrapper_overhead",
        "python",
    ]);
    assert_eq!(report.keys(), expected);
    check_common(&report);

    for (curve, time) in [("fork_curve", "fork_wait_us"), ("spawn_curve", "spawn_wait_us")] {
        let points = report.get(curve).rows();
        assert!(points.len() >= 2, "{curve} needs two parent sizes or more to fit a line");
        for point in points {
            assert_eq!(point.keys(), ["rss_mib", time]);
            check_summary(point.get(time));
        }
        // The parent grows from one point to the next (by 64 MiB in quick mode).
        let sizes: Vec<f64> = points.iter().map(|point| point.get("rss_mib").number()).collect();
        assert!(sizes.windows(2).all(|pair| pair[0] < pair[1]), "{curve}: parent sizes {sizes:?}");
    }
    report.get("fork_slope_ms_per_gib").number();
    let r2 = report.get("fork_slope_r2").number();
    assert!(r2 <= 1.0, "R² is at most 1, got {r2}");

    let speedup = report.get("speedup").rows();
    assert_eq!(workers(speedup), [1.0, 2.0, 4.0]);
    for row in speedup {
        assert_eq!(row.keys(), ["workers", "processes"]);
    }

    assert!(report.get("handoff_buffer_mib").number() > 0.0);
    let handoff = report.get("handoff").rows();
    let methods: Vec<&str> = handoff.iter().map(|row| row.get("method").text()).collect();
    assert_eq!(methods, ["thread", "pipe", "shared-memory"]);
    for row in handoff {
        assert_eq!(row.keys(), ["method", "mib_per_s"]);
        check_summary(row.get("mib_per_s"));
    }

    assert!(report.get("rss_per_process_kib").number() > 0.0);
    let overhead = report.get("wrapper_overhead").rows();
    assert_eq!(overhead.len(), 2, "fork_child and the thread spawn path");
    for row in overhead {
        assert_eq!(row.keys(), ["wrapper", "baseline", "ours_us", "raw_us", "ratio"]);
        check_summary(row.get("ours_us"));
        check_summary(row.get("raw_us"));
        assert!(row.get("ratio").number() > 0.0);
    }
    check_python(report.get("python"), &["process_start", "cpu_speedup_2_processes"]);
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

#[test]
fn plot_without_the_feature_names_the_feature() {
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("measure-plot-test-{}", std::process::id()));
    for bin in tests::Bin::ALL {
        let dir_arg = dir.to_str().expect("a UTF-8 temporary directory");
        let args = ["measure", "--quick", "--json", "--no-python", "--plot", dir_arg];
        let finished = Runner::new(bin).args(&args).deadline(DEADLINE).run();
        if finished.status.code() == Some(2) {
            // The default build: a clear message naming the feature and how to turn it on.
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
