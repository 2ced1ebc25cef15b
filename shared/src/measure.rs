//! What the `measure` commands of both binaries share: their options, timing (warm-up, then
//! many samples, summarised by the median with its range), a least-squares fit, the machine's
//! description, progress on stderr, aligned tables, a tiny JSON writer, the optional CPython
//! comparison runner and, behind the `plot` feature, SVG plots.
//!
//! Every figure a `measure` command prints comes from samples taken in the same run; a ratio
//! is always the ratio of two medians measured in that run, never against a stored figure.

pub mod json;
#[cfg(feature = "plot")]
pub mod plot;

use std::fmt::Write as _;
use std::hint::black_box;
use std::io::Read;
use std::ops::Range;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

pub use json::Json;

use crate::usage_error;
use crate::work::cpu_job;

// ---------------------------------------------------------------------------------------
// Options.

/// The options every `measure` command takes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// `--quick`: the same keys, with fewer sizes and samples (a few seconds).
    pub quick: bool,
    /// `--json`: one JSON object on stdout instead of the tables.
    pub json: bool,
    /// `--plot DIR`: write SVG plots into `DIR` (needs the `plot` feature).
    pub plot_dir: Option<PathBuf>,
    /// `--no-python`: skip the CPython comparison even when `python3` is on the PATH.
    pub no_python: bool,
    /// `--help`: print the usage and measure nothing.
    pub help: bool,
}

/// The error for `--plot DIR` in a build of `package` without the `plot` feature: a usage
/// error (exit 2) that says how to build with it.
pub fn plot_feature_missing(package: &str, dir: &std::path::Path) -> anyhow::Error {
    usage_error!(
        "--plot needs the `plot` feature, which this build does not have; build with it: \
         cargo run --release --features plot -p {package} -- measure --plot {}",
        dir.display()
    )
}

/// Whether this build can write plots (`--features plot`).
pub const PLOT_FEATURE: bool = cfg!(feature = "plot");

impl Options {
    /// Parses the arguments after `measure`. `package` is the binary's package name, used in
    /// the message that says how to build with plots. Bad arguments are a usage error (exit 2).
    pub fn parse(args: &[String], package: &str) -> anyhow::Result<Options> {
        let mut options = Options::default();
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--quick" => options.quick = true,
                "--json" => options.json = true,
                "--no-python" => options.no_python = true,
                "--help" | "-h" => options.help = true,
                "--plot" => {
                    let Some(dir) = args.next() else {
                        return Err(usage_error!("--plot needs a directory: --plot DIR"));
                    };
                    options.plot_dir = Some(PathBuf::from(dir));
                }
                other if other.starts_with("--plot=") => {
                    options.plot_dir = Some(PathBuf::from(&other["--plot=".len()..]));
                }
                other => {
                    return Err(usage_error!(
                        "unknown option '{other}' for measure; the options are \
                         --quick, --json, --plot DIR, --no-python, --help"
                    ));
                }
            }
        }
        if let Some(dir) = &options.plot_dir {
            if dir.as_os_str().is_empty() {
                return Err(usage_error!("--plot needs a directory: --plot DIR"));
            }
            if !PLOT_FEATURE {
                return Err(plot_feature_missing(package, dir));
            }
        }
        Ok(options)
    }

    /// Picks the full-mode or the quick-mode value.
    pub fn pick<T>(&self, full: T, quick: T) -> T {
        if self.quick { quick } else { full }
    }

    /// `"quick"` or `"full"`, as the report says.
    pub fn mode(&self) -> &'static str {
        self.pick("full", "quick")
    }
}

/// The usage text of `PROGRAM measure --help`; `what` says what this binary measures.
pub fn usage(program: &str, what: &str) -> String {
    format!(
        "{program} measure: {what}

Usage: {program} measure [--quick] [--json] [--plot DIR] [--no-python]

  --quick       fewer sizes and samples: the same keys in a few seconds
  --json        print one JSON object on stdout (units in the key names), nothing else
  --plot DIR    write SVG plots into DIR (build with --features plot)
  --no-python   skip the CPython comparison (it is skipped anyway without python3)

Progress goes to stderr. Build with --release: a debug build measures the debug build.
"
    )
}

// ---------------------------------------------------------------------------------------
// Timing and statistics.

/// A median with its range: how every timing is reported.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Summary {
    /// The middle value (the mean of the two middle ones for an even count).
    pub median: f64,
    /// The smallest value.
    pub min: f64,
    /// The largest value.
    pub max: f64,
    /// How many values.
    pub samples: usize,
}

impl Summary {
    /// Summarises `values`. Panics if there are none (a measurement always takes some).
    pub fn of(values: &[f64]) -> Summary {
        assert!(!values.is_empty(), "no samples to summarise");
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let middle = sorted.len() / 2;
        let median =
            if sorted.len() % 2 == 1 { sorted[middle] } else { (sorted[middle - 1] + sorted[middle]) / 2.0 };
        Summary { median, min: sorted[0], max: sorted[sorted.len() - 1], samples: sorted.len() }
    }

    /// Summarises durations in microseconds.
    pub fn micros(durations: &[Duration]) -> Summary {
        Summary::of(&durations.iter().map(|duration| duration.as_secs_f64() * 1e6).collect::<Vec<_>>())
    }

    /// Summarises durations in milliseconds.
    pub fn millis(durations: &[Duration]) -> Summary {
        Summary::of(&durations.iter().map(|duration| duration.as_secs_f64() * 1e3).collect::<Vec<_>>())
    }

    /// Each value mapped through `f` (which must be monotonic: a rate from a time reverses
    /// min and max, and this puts them back).
    pub fn map(&self, f: impl Fn(f64) -> f64) -> Summary {
        let (a, b) = (f(self.min), f(self.max));
        Summary { median: f(self.median), min: a.min(b), max: a.max(b), samples: self.samples }
    }

    /// `{"median": …, "min": …, "max": …, "samples": …}`.
    pub fn to_json(&self) -> Json {
        Json::object([
            ("median", Json::from(self.median)),
            ("min", Json::from(self.min)),
            ("max", Json::from(self.max)),
            ("samples", Json::from(self.samples)),
        ])
    }

    /// `31.2 (28.9–55.0)`: the median, then the range.
    pub fn cell(&self) -> String {
        format!("{} ({}–{})", number(self.median), number(self.min), number(self.max))
    }
}

/// Runs `run` `warmup` times untimed, then `samples` times timed; returns each sample's
/// duration. What `run` returns goes through [`black_box`], so the work cannot be optimised
/// away; an error from any run ends the measurement.
pub fn time_samples<T>(
    warmup: usize,
    samples: usize,
    mut run: impl FnMut() -> anyhow::Result<T>,
) -> anyhow::Result<Vec<Duration>> {
    for _ in 0..warmup {
        black_box(run()?);
    }
    let mut durations = Vec::with_capacity(samples);
    for _ in 0..samples {
        let start = Instant::now();
        let output = run()?;
        durations.push(start.elapsed());
        black_box(output);
    }
    Ok(durations)
}

/// Like [`time_samples`] for two things to compare: the samples of `a` and `b` alternate
/// (`a b b a a b …`), so a machine that speeds up or slows down during the run affects both
/// alike and their ratio stays fair.
pub fn time_interleaved<A, B>(
    warmup: usize,
    samples: usize,
    mut a: impl FnMut() -> anyhow::Result<A>,
    mut b: impl FnMut() -> anyhow::Result<B>,
) -> anyhow::Result<(Vec<Duration>, Vec<Duration>)> {
    for _ in 0..warmup {
        black_box(a()?);
        black_box(b()?);
    }
    let (mut a_samples, mut b_samples) = (Vec::with_capacity(samples), Vec::with_capacity(samples));
    for index in 0..samples {
        let mut time_a = || -> anyhow::Result<()> {
            let start = Instant::now();
            let output = a()?;
            a_samples.push(start.elapsed());
            black_box(output);
            Ok(())
        };
        if index % 2 == 0 {
            time_a()?;
        }
        let start = Instant::now();
        let output = b()?;
        b_samples.push(start.elapsed());
        black_box(output);
        if index % 2 == 1 {
            time_a()?;
        }
    }
    Ok((a_samples, b_samples))
}

/// Like [`time_samples`] for several jobs to compare: one sample of each per round, the
/// round starting one job later each time, so a change in the machine's load during the run
/// falls on every job alike. Returns each job's durations, in the order of `jobs`.
pub fn time_round_robin(
    warmup: usize,
    samples: usize,
    jobs: &mut [&mut dyn FnMut() -> anyhow::Result<()>],
) -> anyhow::Result<Vec<Vec<Duration>>> {
    for _ in 0..warmup {
        for job in jobs.iter_mut() {
            job()?;
        }
    }
    let mut durations = vec![Vec::with_capacity(samples); jobs.len()];
    for round in 0..samples {
        for offset in 0..jobs.len() {
            let index = (round + offset) % jobs.len();
            let start = Instant::now();
            jobs[index]()?;
            durations[index].push(start.elapsed());
        }
    }
    Ok(durations)
}

/// A straight line `y = slope · x + intercept` fitted by least squares, with R² (1 for a
/// perfect line, near 0 when x explains nothing of y).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fit {
    /// The slope, in y units per x unit.
    pub slope: f64,
    /// y at x = 0.
    pub intercept: f64,
    /// The coefficient of determination.
    pub r2: f64,
}

impl Fit {
    /// Fits `points`; `None` with fewer than two distinct x values.
    pub fn least_squares(points: &[(f64, f64)]) -> Option<Fit> {
        let count = points.len() as f64;
        let mean_x = points.iter().map(|&(x, _)| x).sum::<f64>() / count;
        let mean_y = points.iter().map(|&(_, y)| y).sum::<f64>() / count;
        let sxx: f64 = points.iter().map(|&(x, _)| (x - mean_x).powi(2)).sum();
        let sxy: f64 = points.iter().map(|&(x, y)| (x - mean_x) * (y - mean_y)).sum();
        let syy: f64 = points.iter().map(|&(_, y)| (y - mean_y).powi(2)).sum();
        if points.len() < 2 || sxx == 0.0 {
            return None;
        }
        let slope = sxy / sxx;
        let intercept = mean_y - slope * mean_x;
        let residual: f64 = points.iter().map(|&(x, y)| (y - (slope * x + intercept)).powi(2)).sum();
        let r2 = if syy == 0.0 { 1.0 } else { 1.0 - residual / syy };
        Some(Fit { slope, intercept, r2 })
    }
}

/// A range `1..end` for [`cpu_job`] that takes about `target` on one core of this machine
/// (and this build: a debug build gets a shorter range, so `--quick` stays quick).
pub fn calibrate_cpu_job(target: Duration) -> Range<u64> {
    let mut end: u64 = 1_000;
    loop {
        let start = Instant::now();
        black_box(cpu_job(black_box(1..end)));
        let elapsed = start.elapsed();
        // Time a run of at least a tenth of the target, then scale: the job's cost grows
        // about linearly with the length of the range.
        if elapsed >= target / 10 || end >= 1 << 40 {
            let scale = target.as_secs_f64() / elapsed.as_secs_f64().max(1e-9);
            return 1..((end as f64 * scale) as u64).max(1_000);
        }
        end *= 4;
    }
}

// ---------------------------------------------------------------------------------------
// The machine, memory figures from /proc, the date.

/// What the figures were measured on: they mean little without it.
#[derive(Clone, Debug, PartialEq)]
pub struct Machine {
    /// The CPU model, from `/proc/cpuinfo`.
    pub cpu: String,
    /// The logical CPUs this process may run on.
    pub cpus: usize,
    /// Total memory, GiB.
    pub memory_gib: f64,
    /// The kernel, from `/proc/sys/kernel`.
    pub kernel: String,
    /// The transparent huge pages setting (`always`, `madvise`, `never`): with `always`, a
    /// large heap is mapped with 2 MiB pages and fork copies far fewer page-table entries.
    pub thp: String,
}

impl Machine {
    /// Reads the description of this machine; what cannot be read is `unknown`.
    pub fn detect() -> Machine {
        let read = |path: &str| std::fs::read_to_string(path).unwrap_or_default();
        let cpuinfo = read("/proc/cpuinfo");
        let cpu = cpuinfo
            .lines()
            .find_map(|line| line.strip_prefix("model name")?.split_once(':').map(|(_, name)| name.trim()))
            .unwrap_or("unknown CPU")
            .to_owned();
        let cpus = std::thread::available_parallelism().map_or(1, |count| count.get());
        let memory_gib =
            read_kib_field("/proc/meminfo", "MemTotal").map_or(0.0, |kib| kib as f64 / 1048576.0);
        let kernel = format!(
            "{} {}",
            read("/proc/sys/kernel/ostype").trim(),
            read("/proc/sys/kernel/osrelease").trim()
        );
        let thp_setting = read("/sys/kernel/mm/transparent_hugepage/enabled");
        let thp = thp_setting
            .split_whitespace()
            .find_map(|word| word.strip_prefix('[')?.strip_suffix(']'))
            .unwrap_or("unknown")
            .to_owned();
        Machine { cpu, cpus, memory_gib, kernel: kernel.trim().to_owned(), thp }
    }

    /// `AMD EPYC, 2 CPUs, 23.5 GiB, Linux 6.1.0, transparent huge pages: madvise`.
    pub fn line(&self) -> String {
        format!(
            "{}, {} CPUs, {:.1} GiB, {}, transparent huge pages: {}",
            self.cpu, self.cpus, self.memory_gib, self.kernel, self.thp
        )
    }

    /// The machine as a JSON object, its line first.
    pub fn to_json(&self) -> Json {
        Json::object([
            ("line", Json::from(self.line())),
            ("cpu", Json::from(self.cpu.as_str())),
            ("cpus", Json::from(self.cpus)),
            ("memory_gib", Json::from(self.memory_gib)),
            ("kernel", Json::from(self.kernel.as_str())),
            ("transparent_huge_pages", Json::from(self.thp.as_str())),
        ])
    }
}

/// A `Name:   1234 kB` field of a `/proc` file (`/proc/self/status`'s `VmRSS`,
/// `/proc/PID/smaps_rollup`'s `Pss`), in KiB.
pub fn read_kib_field(path: &str, field: &str) -> anyhow::Result<u64> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {path}"))?;
    let prefix = format!("{field}:");
    let line = text
        .lines()
        .find(|line| line.starts_with(&prefix))
        .with_context(|| format!("no field '{field}' in {path}"))?;
    let value = line[prefix.len()..].trim().trim_end_matches("kB").trim();
    value.parse().with_context(|| format!("field '{field}' of {path} is not a number of kB: {line}"))
}

/// This process's resident memory (all its threads), KiB.
pub fn rss_kib() -> anyhow::Result<u64> {
    read_kib_field("/proc/self/status", "VmRSS")
}

/// The current UTC time, `2026-11-25T12:58:53Z`, computed without a date library.
pub fn utc_now() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_secs()) as i64;
    let (days, time) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    // Howard Hinnant's `civil_from_days`: days since 1970-01-01 to year, month, day.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", time / 3600, time / 60 % 60, time % 60)
}

// ---------------------------------------------------------------------------------------
// Progress and output.

/// Progress on stderr: which section of how many, and which item of a section.
pub struct Progress {
    sections: usize,
    current: usize,
    started: Instant,
}

impl Progress {
    /// Progress through `sections` sections.
    pub fn new(sections: usize) -> Progress {
        Progress { sections, current: 0, started: Instant::now() }
    }

    /// Starts the next section: `measure [2 of 6] stack curve`.
    pub fn section(&mut self, what: &str) {
        self.current += 1;
        eprintln!(
            "measure [{} of {}] {what} ({:.1} s so far)",
            self.current,
            self.sections,
            self.started.elapsed().as_secs_f64()
        );
    }

    /// One item of the current section: `measure [2 of 6]   stack 1 MiB (3 of 11)`.
    pub fn item(&self, what: &str, index: usize, count: usize) {
        eprintln!("measure [{} of {}]   {what} ({} of {count})", self.current, self.sections, index + 1);
    }

    /// How long since the start.
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }
}

/// A number with three significant digits, the way the tables print it: `0.0123`, `1.23`,
/// `12.3`, `123`, `12345`.
pub fn number(value: f64) -> String {
    let magnitude = value.abs();
    if !value.is_finite() {
        "n/a".to_owned()
    } else if magnitude >= 100.0 || magnitude == 0.0 {
        format!("{value:.0}")
    } else if magnitude >= 10.0 {
        format!("{value:.1}")
    } else if magnitude >= 1.0 {
        format!("{value:.2}")
    } else {
        // Three significant digits below 1: 0.123, 0.0123, …
        let decimals = (2 - magnitude.log10().floor() as i32).clamp(3, 9) as usize;
        format!("{value:.decimals$}")
    }
}

/// A table with a header row, printed with aligned columns: the first left-aligned, the
/// others right-aligned.
pub struct Table {
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column headings.
    pub fn new(header: &[&str]) -> Table {
        Table { rows: vec![header.iter().map(|cell| cell.to_string()).collect()] }
    }

    /// Adds a row.
    pub fn row(&mut self, cells: Vec<String>) -> &mut Table {
        self.rows.push(cells);
        self
    }

    /// The table as text, a line of dashes under the header.
    pub fn render(&self) -> String {
        let columns = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> = (0..columns)
            .map(|column| {
                self.rows
                    .iter()
                    .filter_map(|row| row.get(column))
                    .map(|cell| cell.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = String::new();
        for (index, row) in self.rows.iter().enumerate() {
            let mut line = String::new();
            for (column, cell) in row.iter().enumerate() {
                let width = widths[column];
                let _ = if column == 0 {
                    write!(line, "{cell:<width$}")
                } else {
                    write!(line, "  {cell:>width$}")
                };
            }
            out.push_str("  ");
            out.push_str(line.trim_end());
            out.push('\n');
            if index == 0 {
                let total = widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1);
                out.push_str(&format!("  {}\n", "-".repeat(total)));
            }
        }
        out
    }
}

/// What every `measure` command starts with: its options, the machine, the date, and its
/// progress on stderr.
pub struct Session {
    /// The parsed options.
    pub options: Options,
    /// The machine the figures are measured on.
    pub machine: Machine,
    /// When the run started, in UTC.
    pub date: String,
    /// Progress through the run's sections, on stderr.
    pub progress: Progress,
}

impl Session {
    /// Parses the options after `measure` for the binary `package`, which measures `what` in
    /// `sections` sections. With `--help`, prints the usage and returns `None`: nothing to
    /// measure. Otherwise says on stderr what it is about to measure, and where.
    pub fn start(
        args: &[String],
        package: &str,
        what: &str,
        sections: usize,
    ) -> anyhow::Result<Option<Session>> {
        let options = Options::parse(args, package)?;
        if options.help {
            print!("{}", usage(package, what));
            return Ok(None);
        }
        let machine = Machine::detect();
        let date = utc_now();
        eprintln!("measure: {} mode on {}", options.mode(), machine.line());
        if cfg!(debug_assertions) {
            eprintln!("measure: this is a debug build; for real figures, run with cargo run --release");
        }
        Ok(Some(Session { options, machine, date, progress: Progress::new(sections) }))
    }
}

/// Prints the report: the JSON object alone on stdout with `--json`, else the text.
pub fn print_report(options: &Options, json: &Json, text: &str) {
    if options.json {
        println!("{json}");
    } else {
        print!("{text}");
    }
}

// ---------------------------------------------------------------------------------------
// The CPython comparison.

/// Python helpers every comparison snippet starts with: `report` prints a median with its
/// range the way [`PythonOutput::summary`] reads it, and `cpu_job` is [`cpu_job`] in Python,
/// so both languages run the very same job.
pub const PYTHON_PRELUDE: &str = r#"
import statistics, sys, time

def report(key, samples):
    print(key, statistics.median(samples), min(samples), max(samples), len(samples), flush=True)

def collatz_steps(value):
    steps = 0
    while value > 1:
        value = value // 2 if value % 2 == 0 else 3 * value + 1
        steps += 1
    return steps

def cpu_job(start, end):
    return sum(collatz_steps(value) for value in range(start, end))

def calibrate(target_s):
    end = 1000
    while True:
        t0 = time.perf_counter()
        cpu_job(1, end)
        elapsed = time.perf_counter() - t0
        if elapsed >= target_s / 10:
            return max(1000, int(end * target_s / elapsed))
        end *= 4
"#;

/// What a CPython snippet printed: one `key value…` line per figure.
#[derive(Clone, Debug, Default)]
pub struct PythonOutput {
    lines: Vec<(String, String)>,
}

impl PythonOutput {
    /// Reads `key value…` lines.
    pub fn parse(stdout: &str) -> PythonOutput {
        let lines = stdout
            .lines()
            .filter_map(|line| {
                let (key, value) = line.trim().split_once(' ')?;
                Some((key.to_owned(), value.trim().to_owned()))
            })
            .collect();
        PythonOutput { lines }
    }

    /// The text after `key`.
    pub fn text(&self, key: &str) -> anyhow::Result<&str> {
        self.lines
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value.as_str())
            .with_context(|| format!("python3 printed no '{key}'"))
    }

    /// The numbers after `key`.
    pub fn numbers(&self, key: &str) -> anyhow::Result<Vec<f64>> {
        self.text(key)?
            .split_whitespace()
            .map(|word| {
                word.parse::<f64>().with_context(|| format!("python3's '{key}': '{word}' is not a number"))
            })
            .collect()
    }

    /// The one number after `key`.
    pub fn number(&self, key: &str) -> anyhow::Result<f64> {
        match self.numbers(key)?.as_slice() {
            [value] => Ok(*value),
            other => bail!("python3's '{key}': expected one number, got {other:?}"),
        }
    }

    /// A `report(key, samples)` line: median, min, max, count.
    pub fn summary(&self, key: &str) -> anyhow::Result<Summary> {
        match self.numbers(key)?.as_slice() {
            &[median, min, max, samples] => Ok(Summary { median, min, max, samples: samples as usize }),
            other => bail!("python3's '{key}': expected median, min, max, count, got {other:?}"),
        }
    }
}

/// Runs `python3 -c PRELUDE+code args…` and reads what it prints, under `deadline`.
///
/// `Err` holds a one-line reason to skip the comparison (python3 missing, too slow, failed):
/// the comparison is optional and never fails the command. On the deadline the interpreter is
/// killed and reaped; a child it started finishes its short task and ends on its own.
pub fn run_python(code: &str, args: &[String], deadline: Duration) -> Result<PythonOutput, String> {
    let program = format!("{PYTHON_PRELUDE}\n{code}");
    let mut child = match Command::new("python3")
        .arg("-c")
        .arg(&program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Err("python3 is not on the PATH".to_owned());
        }
        Err(error) => return Err(format!("could not start python3: {error}")),
    };
    // The snippets print a few short lines, far less than a pipe holds, so waiting before
    // reading cannot block the interpreter.
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() < deadline => std::thread::sleep(Duration::from_millis(5)),
            Ok(None) => {
                let killed = child.kill();
                let reaped = child.wait();
                return Err(format!(
                    "python3 took longer than {} s and was stopped (kill: {killed:?}, wait: {:?})",
                    deadline.as_secs(),
                    reaped.map(|status| status.to_string())
                ));
            }
            Err(error) => return Err(format!("waiting for python3: {error}")),
        }
    };
    let mut stdout = String::new();
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stdout.take() {
        pipe.read_to_string(&mut stdout).map_err(|error| format!("reading python3's stdout: {error}"))?;
    }
    if let Some(mut pipe) = child.stderr.take() {
        pipe.read_to_string(&mut stderr).map_err(|error| format!("reading python3's stderr: {error}"))?;
    }
    if !status.success() {
        let last = stderr.lines().rev().find(|line| !line.trim().is_empty()).unwrap_or("no message");
        return Err(format!("python3 failed ({status}): {last}"));
    }
    Ok(PythonOutput::parse(&stdout))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> Vec<String> {
        words.iter().map(|word| word.to_string()).collect()
    }

    #[test]
    fn parses_the_options() {
        let options = Options::parse(&args(&["--quick", "--json", "--no-python"]), "p").unwrap();
        assert!(options.quick && options.json && options.no_python && options.plot_dir.is_none());
        assert_eq!(options.pick(10, 2), 2);
        for bad in [&["--fast"][..], &["--plot"], &["quick"]] {
            let error = Options::parse(&args(bad), "p").unwrap_err();
            assert!(error.is::<crate::cli::UsageError>(), "{bad:?}: {error}");
        }
        let plot = Options::parse(&args(&["--plot", "out"]), "examples-threads");
        match (plot, PLOT_FEATURE) {
            (Ok(options), true) => assert_eq!(options.plot_dir, Some(PathBuf::from("out"))),
            (Err(error), false) => {
                assert!(error.to_string().contains("--features plot -p examples-threads"), "{error}")
            }
            (result, feature) => panic!("with the plot feature {feature}, --plot gave {result:?}"),
        }
    }

    #[test]
    fn summary_is_median_and_range() {
        let summary = Summary::of(&[5.0, 1.0, 3.0]);
        assert_eq!(summary, Summary { median: 3.0, min: 1.0, max: 5.0, samples: 3 });
        assert_eq!(Summary::of(&[4.0, 1.0, 2.0, 3.0]).median, 2.5);
        let rate = summary.map(|time| 10.0 / time);
        assert_eq!((rate.min, rate.median, rate.max), (2.0, 10.0 / 3.0, 10.0));
        assert_eq!(summary.cell(), "3.00 (1.00–5.00)");
    }

    #[test]
    fn round_robin_times_every_job_every_round() {
        let (mut first, mut second) = (0, 0);
        let durations = time_round_robin(
            1,
            3,
            &mut [
                &mut || {
                    first += 1;
                    Ok(())
                },
                &mut || {
                    second += 1;
                    Ok(())
                },
            ],
        )
        .unwrap();
        assert_eq!((first, second), (4, 4));
        assert_eq!(durations.iter().map(Vec::len).collect::<Vec<_>>(), [3, 3]);
    }

    #[test]
    fn fits_a_line() {
        let fit = Fit::least_squares(&[(0.0, 1.0), (1.0, 3.0), (2.0, 5.0)]).unwrap();
        assert!((fit.slope - 2.0).abs() < 1e-12 && (fit.intercept - 1.0).abs() < 1e-12);
        assert!((fit.r2 - 1.0).abs() < 1e-12);
        let noisy = Fit::least_squares(&[(0.0, 1.0), (1.0, 0.0), (2.0, 1.0), (3.0, 0.0)]).unwrap();
        assert!(noisy.r2 < 0.5);
        assert!(Fit::least_squares(&[(1.0, 1.0), (1.0, 2.0)]).is_none());
    }

    #[test]
    fn numbers_have_three_significant_digits() {
        let cases =
            [(0.0, "0"), (0.012345, "0.0123"), (1.2345, "1.23"), (12.345, "12.3"), (12345.6, "12346")];
        for (value, printed) in cases {
            assert_eq!(number(value), printed);
        }
    }

    #[test]
    fn tables_align() {
        let mut table = Table::new(&["size", "time, µs"]);
        table.row(vec!["64 KiB".into(), "12.3".into()]).row(vec!["1 MiB".into(), "123".into()]);
        assert_eq!(
            table.render(),
            "  size    time, µs\n  ----------------\n  64 KiB      12.3\n  1 MiB        123\n"
        );
    }

    #[test]
    fn date_is_iso_8601() {
        let now = utc_now();
        assert_eq!(now.len(), "2026-11-25T12:58:53Z".len(), "{now}");
        assert!(now.starts_with("20") && now.ends_with('Z'), "{now}");
    }

    #[test]
    fn reads_proc_fields() {
        assert!(rss_kib().unwrap() > 0);
        assert!(read_kib_field("/proc/self/status", "NoSuchField").is_err());
    }

    #[test]
    fn python_output_is_read_by_key() {
        let output = PythonOutput::parse("version 3.11.7\nthread_us 40.5 30 90.25 200\nspeedup 1.9\n");
        assert_eq!(output.text("version").unwrap(), "3.11.7");
        assert_eq!(output.number("speedup").unwrap(), 1.9);
        assert_eq!(output.summary("thread_us").unwrap().samples, 200);
        assert!(output.number("missing").is_err());
    }

    #[test]
    fn calibrated_job_takes_roughly_the_target() {
        let range = calibrate_cpu_job(Duration::from_millis(20));
        assert!(range.end > 1_000);
    }
}
