//! A small recorder of who ran when, and on which CPU: *slices* of work (a lane, which is a
//! thread or a process; the CPU it started on, where the platform can say; a start and an
//! end on the machine's monotonic clock; a label), written by `--trace FILE` as Chrome
//! trace-event JSON ([`chrome`], opens in <https://ui.perfetto.dev> and `chrome://tracing`)
//! and, with the `plot` feature, as an SVG timeline beside it (`svg`).
//!
//! Recording is off until an example's [`Trace::from_args`] turns it on: then [`slice()`] costs
//! two clock readings, one CPU query and a push (`measure` reports the cost per slice);
//! off, one atomic load. Children started with the environment of [`child_env`] record too:
//! each appends its slices, one line each, to its own file in a directory the parent made,
//! and the parent reads them back when it writes the trace. Timestamps are nanoseconds on
//! one clock for every process ([`crate::sys::monotonic_ns`]), the clock CPython's
//! `time.perf_counter_ns()` reads, so a Python lane can go in the same trace.

pub mod chrome;
#[cfg(feature = "plot")]
mod svg;

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Display;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::Instant;

use anyhow::Context;

use crate::sys::{current_cpu, monotonic_ns};
use crate::usage_error;

/// The environment variable that tells a child where to write its slices: the directory the
/// parent made for them.
pub const CHILD_DIR_VAR: &str = "THREADS_PROCESSES_TRACE_DIR";

/// One slice of work: who did it, on which CPU, when, and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Slice {
    /// The process it ran in.
    pub pid: u32,
    /// The lane within the process: a thread's name (`main`, `worker 2`), or `thread N`.
    pub lane: String,
    /// The CPU the work started on, if the platform can say.
    pub cpu: Option<usize>,
    /// When it started, in ns on [`crate::sys::monotonic_ns`]'s clock.
    pub start_ns: u64,
    /// When it ended, on the same clock.
    pub end_ns: u64,
    /// What it was (`chunk 12`, `input 3`).
    pub label: String,
}

/// One instant worth marking on a process's lane: a crash, a replacement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    /// The process it concerns.
    pub pid: u32,
    /// When, in ns on the monotonic clock.
    pub at_ns: u64,
    /// What happened.
    pub label: String,
}

/// Everything one run recorded, ready to write.
#[derive(Clone, Debug, Default)]
pub struct Timeline {
    /// The parent's start, in ns: time 0 of the outputs.
    pub origin_ns: u64,
    /// Every slice, of every process.
    pub slices: Vec<Slice>,
    /// The marked instants.
    pub marks: Vec<Mark>,
    /// A name per process, where one was given.
    pub process_names: BTreeMap<u32, String>,
    /// Processes whose lanes come first, in this order; the others follow in the order
    /// they first worked.
    pub process_order: Vec<u32>,
}

const UNKNOWN: u8 = 0;
const OFF: u8 = 1;
const PARENT: u8 = 2;
const CHILD: u8 = 3;

/// Whether this process records, and where to: read from the environment on first use.
static MODE: AtomicU8 = AtomicU8::new(UNKNOWN);
/// The parent's recording.
static RECORDED: Mutex<Option<Timeline>> = Mutex::new(None);
/// A child's file, one line per slice.
static CHILD_FILE: Mutex<Option<File>> = Mutex::new(None);
/// The directory the parent made for its children's files.
static CHILD_DIR: Mutex<Option<PathBuf>> = Mutex::new(None);
/// One reading of `Instant` and of the monotonic clock, taken together: converts an
/// `Instant` (opaque) into ns that other processes understand.
static CLOCK: OnceLock<(Instant, u64)> = OnceLock::new();
/// The numbers of the lanes `thread 1`, `thread 2`, … that live unnamed threads hold. A
/// thread gives its number back when it ends, so threads made afresh for each run (scoped
/// threads) reuse a few lanes instead of taking one each.
static UNNAMED: Mutex<BTreeSet<usize>> = Mutex::new(BTreeSet::new());

/// A thread's lane name, and the number it holds if it was given one.
struct Lane {
    name: String,
    number: Option<usize>,
}

impl Drop for Lane {
    fn drop(&mut self) {
        if let Some(number) = self.number {
            lock(&UNNAMED).remove(&number);
        }
    }
}

thread_local! {
    static LANE: RefCell<Option<Lane>> = const { RefCell::new(None) };
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding one of these locks leaves nothing half-done worth refusing.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn mode() -> u8 {
    match MODE.load(Ordering::Relaxed) {
        UNKNOWN => {
            let mode = match std::env::var_os(CHILD_DIR_VAR) {
                Some(dir) => open_child_file(Path::new(&dir)).map_or(OFF, |file| {
                    *lock(&CHILD_FILE) = Some(file);
                    CHILD
                }),
                None => OFF,
            };
            // The parent may have turned recording on meanwhile: keep its choice.
            match MODE.compare_exchange(UNKNOWN, mode, Ordering::Relaxed, Ordering::Relaxed) {
                Ok(_) => mode,
                Err(current) => current,
            }
        }
        mode => mode,
    }
}

fn open_child_file(dir: &Path) -> Option<File> {
    let path = dir.join(format!("{}.tsv", std::process::id()));
    File::options().create(true).append(true).open(path).ok()
}

/// Whether this process is recording slices.
pub fn enabled() -> bool {
    mode() >= PARENT
}

/// `instant` in ns on the monotonic clock shared by every process.
pub fn ns_of(instant: Instant) -> u64 {
    let &(origin, origin_ns) = CLOCK.get_or_init(|| (Instant::now(), monotonic_ns()));
    match instant.checked_duration_since(origin) {
        Some(after) => origin_ns + after.as_nanos() as u64,
        None => origin_ns.saturating_sub(origin.duration_since(instant).as_nanos() as u64),
    }
}

/// The calling thread's lane: its name (set with [`name_lane`], or the thread's own), else
/// `thread N`.
fn lane() -> String {
    LANE.with(|lane| {
        let mut lane = lane.borrow_mut();
        let lane = lane.get_or_insert_with(|| match std::thread::current().name() {
            Some(name) => Lane { name: name.to_owned(), number: None },
            None => {
                let mut taken = lock(&UNNAMED);
                let number = (1..).find(|number| !taken.contains(number)).unwrap_or(0);
                taken.insert(number);
                Lane { name: format!("thread {number}"), number: Some(number) }
            }
        });
        lane.name.clone()
    })
}

/// Names the calling thread's lane from now on (`worker 3`): threads made afresh for each run
/// then share one lane per role instead of one lane each.
pub fn name_lane(name: impl Display) {
    if enabled() {
        LANE.with(|lane| *lane.borrow_mut() = Some(Lane { name: name.to_string(), number: None }));
    }
}

/// Runs `work` and, when recording, records it as a slice labelled `label` on the calling
/// thread's lane. Returns what `work` returns.
pub fn slice<T>(label: impl Display, work: impl FnOnce() -> T) -> T {
    if !enabled() {
        return work();
    }
    let (cpu, start) = (current_cpu(), Instant::now());
    let result = work();
    let end = Instant::now();
    add(lane(), label, cpu, start, end);
    result
}

/// Records a slice measured by the caller: `lane`, `label`, the CPU, its start and end.
pub fn add(lane: impl Display, label: impl Display, cpu: Option<usize>, start: Instant, end: Instant) {
    if !enabled() {
        return;
    }
    let (lane, label) = (lane.to_string(), label.to_string());
    let slice =
        Slice { pid: std::process::id(), lane, cpu, start_ns: ns_of(start), end_ns: ns_of(end), label };
    record_slice(slice);
}

/// Records slices measured by the caller on one lane: `(cpu, from, to)` each, `from` and
/// `to` counted from `origin`; all labelled `ran`.
pub fn add_all(
    lane: &str,
    origin: Instant,
    slices: impl IntoIterator<Item = (Option<usize>, std::time::Duration, std::time::Duration)>,
) {
    if enabled() {
        slices.into_iter().for_each(|(cpu, from, to)| add(lane, "ran", cpu, origin + from, origin + to));
    }
}

/// `work` as a function of `(index, input)` that, when recording, records each call as a
/// slice labelled `NAME INDEX` (`piece 12`): for `.enumerate().map(numbered("piece", f))`.
pub fn numbered<I, O>(
    name: &'static str,
    work: impl Fn(I) -> O + Send + Sync + Copy,
) -> impl Fn((usize, I)) -> O + Send + Sync + Copy {
    move |(index, input)| slice(format_args!("{name} {index}"), || work(input))
}

/// Records a slice timed elsewhere (another program's, on the same clock).
pub fn record_slice(slice: Slice) {
    match mode() {
        PARENT => lock(&RECORDED).get_or_insert_with(Timeline::default).slices.push(slice),
        CHILD => {
            let cpu = slice.cpu.map_or("-".to_owned(), |cpu| cpu.to_string());
            let line = format!(
                "slice\t{}\t{}\t{cpu}\t{}\t{}\t{}\n",
                slice.pid,
                clean(&slice.lane),
                slice.start_ns,
                slice.end_ns,
                clean(&slice.label)
            );
            write_child_line(&line);
        }
        _ => {}
    }
}

/// Marks this instant on process `pid`'s lanes (a worker's crash), when recording.
pub fn mark(pid: u32, label: impl Display) {
    if !enabled() {
        return;
    }
    let mark = Mark { pid, at_ns: ns_of(Instant::now()), label: label.to_string() };
    match mode() {
        PARENT => lock(&RECORDED).get_or_insert_with(Timeline::default).marks.push(mark),
        _ => write_child_line(&format!("mark\t{}\t{}\t{}\n", mark.pid, mark.at_ns, clean(&mark.label))),
    }
}

/// Names process `pid` in the trace (`pool worker`), when recording.
pub fn name_process(pid: u32, name: impl Display) {
    if mode() == PARENT {
        lock(&RECORDED).get_or_insert_with(Timeline::default).process_names.insert(pid, name.to_string());
    }
}

/// Tabs and line ends would break the child's line format.
fn clean(text: &str) -> String {
    text.replace(['\t', '\n', '\r'], " ")
}

fn write_child_line(line: &str) {
    if let Some(file) = lock(&CHILD_FILE).as_mut() {
        // One `write` per line, on a file opened for appending: lines never interleave. A
        // failed write loses one slice of the picture, never the child's work.
        if let Err(error) = file.write_all(line.as_bytes()) {
            eprintln!("trace: a slice was lost: {error}");
        }
    }
}

/// The environment a child needs to record into this process's trace: empty when this
/// process does not record. `Command::envs(shared::trace::child_env())`.
pub fn child_env() -> Vec<(&'static str, PathBuf)> {
    match (mode(), lock(&CHILD_DIR).as_ref()) {
        (PARENT, Some(dir)) => vec![(CHILD_DIR_VAR, dir.clone())],
        _ => Vec::new(),
    }
}

/// Reads a child's lines back into `timeline`; lines that do not parse are skipped (a child
/// killed in the middle of a write).
fn read_child_lines(text: &str, timeline: &mut Timeline) {
    for line in text.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            ["slice", pid, lane, cpu, start, end, label] => {
                let (Ok(pid), Ok(start_ns), Ok(end_ns)) = (pid.parse(), start.parse(), end.parse()) else {
                    continue;
                };
                let (lane, label, cpu) = (lane.to_string(), label.to_string(), cpu.parse().ok());
                timeline.slices.push(Slice { pid, lane, cpu, start_ns, end_ns, label });
            }
            ["mark", pid, at, label] => {
                if let (Ok(pid), Ok(at_ns)) = (pid.parse(), at.parse()) {
                    timeline.marks.push(Mark { pid, at_ns, label: label.to_string() });
                }
            }
            _ => {}
        }
    }
}

impl Timeline {
    /// Joins each slice with the next on its lane when it starts exactly where the first
    /// ended, on the same CPU, with the same label: one bar instead of thousands of pieces.
    pub fn coalesce(&mut self) {
        self.slices.sort_by(|a, b| (a.pid, &a.lane, a.start_ns).cmp(&(b.pid, &b.lane, b.start_ns)));
        let mut joined: Vec<Slice> = Vec::with_capacity(self.slices.len());
        for slice in self.slices.drain(..) {
            match joined.last_mut() {
                Some(last)
                    if last.pid == slice.pid
                        && last.lane == slice.lane
                        && last.cpu == slice.cpu
                        && last.label == slice.label
                        && last.end_ns == slice.start_ns =>
                {
                    last.end_ns = slice.end_ns
                }
                _ => joined.push(slice),
            }
        }
        self.slices = joined;
    }

    /// The lanes, `(pid, lane)`, in the order they first started work.
    pub fn lanes(&self) -> Vec<(u32, String)> {
        let mut first: BTreeMap<(u32, &str), u64> = BTreeMap::new();
        for slice in &self.slices {
            let start = first.entry((slice.pid, slice.lane.as_str())).or_insert(slice.start_ns);
            *start = (*start).min(slice.start_ns);
        }
        let mut lanes: Vec<_> = first.into_iter().collect();
        let rank = |pid: u32| self.process_order.iter().position(|&p| p == pid).unwrap_or(usize::MAX);
        lanes.sort_by_key(|&((pid, _), start)| (rank(pid), self.process_start(pid), pid, start));
        lanes.into_iter().map(|((pid, lane), _)| (pid, lane.to_owned())).collect()
    }

    fn process_start(&self, pid: u32) -> u64 {
        self.slices.iter().filter(|slice| slice.pid == pid).map(|slice| slice.start_ns).min().unwrap_or(0)
    }

    /// The name of process `pid`: the one given, else `process PID`.
    pub fn process_name(&self, pid: u32) -> String {
        self.process_names.get(&pid).cloned().unwrap_or_else(|| format!("process {pid}"))
    }
}

/// `--trace FILE` for one run of an example: writes the trace there when the run ends.
#[derive(Debug)]
pub struct Trace {
    /// Where to write the JSON; `None`: no `--trace`, nothing recorded.
    path: Option<PathBuf>,
    /// The directory the children write into, removed when the trace is dropped.
    child_dir: Option<tempfile::TempDir>,
}

/// What `--trace` writes, said once in every usage message.
pub const TRACE_USAGE: &str = "--trace FILE: record who ran when and on which CPU, write it to FILE as Chrome \
    trace-event JSON (open it at https://ui.perfetto.dev) and, built with --features plot, an SVG \
    timeline beside it";

/// The options of an example that records a trace, as its `--help` lists them.
pub const TRACE_OPTIONS: &[(&str, &str)] = &[(
    "--trace FILE",
    "record who ran when and on which CPU, write it to FILE as Chrome trace-event JSON (open it \
     at https://ui.perfetto.dev) and, built with --features plot, an SVG timeline beside it",
)];

impl Trace {
    /// Parses an example's arguments: nothing, or `--trace FILE`. Anything else, or a FILE in
    /// a directory that does not exist, is a usage error (exit 2). With `--trace`, starts
    /// recording in this process and in the children it starts with [`child_env`].
    pub fn from_args(args: &[String]) -> anyhow::Result<Trace> {
        match args {
            [] => Ok(Trace { path: None, child_dir: None }),
            [flag, file] if flag == "--trace" => Trace::start(Path::new(file)),
            [flag] if flag == "--trace" => Err(usage_error!("--trace needs a file: {TRACE_USAGE}")),
            other => Err(usage_error!(
                "unexpected arguments '{}'; the only option is {TRACE_USAGE}",
                other.join(" ")
            )),
        }
    }

    /// Checks that `path` can be written, and starts recording.
    pub fn start(path: &Path) -> anyhow::Result<Trace> {
        check_path(path)?;
        let child_dir = private_temp_dir().with_context(|| {
            format!("creating a directory in {} for the children's slices", std::env::temp_dir().display())
        })?;
        let program = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.file_stem().map(|s| s.to_string_lossy().into_owned()));
        let mut timeline = Timeline { origin_ns: ns_of(Instant::now()), ..Timeline::default() };
        let name = format!("{} (parent)", program.as_deref().unwrap_or("this program"));
        timeline.process_names.insert(std::process::id(), name);
        *lock(&RECORDED) = Some(timeline);
        *lock(&CHILD_DIR) = Some(child_dir.path().to_owned());
        MODE.store(PARENT, Ordering::Relaxed);
        Ok(Trace { path: Some(path.to_owned()), child_dir: Some(child_dir) })
    }

    /// Stops recording and writes the trace (JSON, and the SVG with the `plot` feature); says
    /// on stderr what it wrote. Without `--trace`, does nothing.
    pub fn finish(mut self) -> anyhow::Result<()> {
        let Some(path) = self.path.take() else { return Ok(()) };
        MODE.store(OFF, Ordering::Relaxed);
        let mut timeline = lock(&RECORDED).take().unwrap_or_default();
        if let Some(dir) = &self.child_dir {
            let dir = dir.path();
            for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
                let text = std::fs::read_to_string(entry?.path())?;
                read_child_lines(&text, &mut timeline);
            }
        }
        write(&path, timeline)
    }
}

impl Drop for Trace {
    fn drop(&mut self) {
        if let Some(dir) = self.child_dir.take() {
            let path = dir.path().to_owned();
            // A leftover directory in the temporary directory is harmless; say so, go on.
            if let Err(error) = dir.close() {
                eprintln!("trace: could not remove {}: {error}", path.display());
            }
        }
    }
}

/// A new directory in the system's temporary directory (`std::env::temp_dir`, `/tmp` on
/// Linux), for the children's slices: its name has a random part that `tempfile` retries
/// until it names nothing yet, and `mkdir` never follows a symlink planted under that name
/// (it fails, and `tempfile` tries another); on Unix it is private, mode 0700, so no other
/// user can plant or read a child's file in it. A name made from the pid, in the shared
/// `/tmp`, promised none of that.
fn private_temp_dir() -> std::io::Result<tempfile::TempDir> {
    let mut builder = tempfile::Builder::new();
    builder.prefix("threads-processes-trace-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o700));
    }
    builder.tempdir()
}

/// A usage error (exit 2) unless `path`'s directory exists.
pub fn check_path(path: &Path) -> anyhow::Result<()> {
    if path.as_os_str().is_empty() {
        return Err(usage_error!("--trace needs a file: {TRACE_USAGE}"));
    }
    let dir = path.parent().filter(|dir| !dir.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !dir.is_dir() {
        return Err(usage_error!(
            "--trace {}: the directory {} does not exist",
            path.display(),
            dir.display()
        ));
    }
    Ok(())
}

/// The SVG beside the JSON: `x.json` → `x.svg`, `x` → `x.svg`.
pub fn svg_path(path: &Path) -> PathBuf {
    path.with_extension("svg")
}

/// Writes `timeline` to `path` as Chrome trace-event JSON, and the SVG timeline beside it
/// (with the `plot` feature; without it, one line on stderr says how to get it).
pub fn write(path: &Path, mut timeline: Timeline) -> anyhow::Result<()> {
    timeline.coalesce();
    let json = chrome::to_json(&timeline);
    let text = serde_json::to_string(&json)?;
    std::fs::write(path, text).with_context(|| format!("writing the trace {}", path.display()))?;
    let processes = timeline.slices.iter().map(|slice| slice.pid).collect::<std::collections::BTreeSet<_>>();
    eprintln!(
        "trace: {} slices on {} lanes of {} processes in {}; open it at https://ui.perfetto.dev (Open trace file) or chrome://tracing",
        timeline.slices.len(),
        timeline.lanes().len(),
        processes.len(),
        path.display()
    );
    write_svg(path, &timeline)
}

#[cfg(feature = "plot")]
fn write_svg(path: &Path, timeline: &Timeline) -> anyhow::Result<()> {
    let svg = svg_path(path);
    svg::timeline(&svg, timeline)?;
    eprintln!("trace: the timeline is in {}", svg.display());
    Ok(())
}

#[cfg(not(feature = "plot"))]
fn write_svg(path: &Path, _timeline: &Timeline) -> anyhow::Result<()> {
    eprintln!(
        "trace: no SVG timeline ({} not written): this build has no `plot` feature; build with --features plot",
        svg_path(path).display()
    );
    Ok(())
}

/// How long recording one slice takes, in ns: `slices` empty slices recorded and timed on
/// a private recording (the caller's trace, if any, is kept aside and put back).
pub fn overhead_ns_per_slice(slices: u32) -> f64 {
    let (saved_mode, saved) = (MODE.load(Ordering::Relaxed), lock(&RECORDED).take());
    *lock(&RECORDED) = Some(Timeline::default());
    MODE.store(PARENT, Ordering::Relaxed);
    let started = Instant::now();
    for index in 0..slices {
        slice("overhead", || std::hint::black_box(index));
    }
    let elapsed = started.elapsed();
    MODE.store(saved_mode, Ordering::Relaxed);
    *lock(&RECORDED) = saved;
    elapsed.as_nanos() as f64 / f64::from(slices.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice(lane: &str, start_ns: u64, end_ns: u64) -> Slice {
        Slice { pid: 1, lane: lane.to_owned(), cpu: Some(0), start_ns, end_ns, label: "x".to_owned() }
    }

    #[test]
    fn adjacent_slices_coalesce() {
        let mut timeline = Timeline {
            slices: vec![slice("a", 5, 9), slice("a", 0, 5), slice("b", 9, 12), slice("a", 10, 12)],
            ..Timeline::default()
        };
        timeline.coalesce();
        assert_eq!(timeline.slices, vec![slice("a", 0, 9), slice("a", 10, 12), slice("b", 9, 12)]);
        assert_eq!(timeline.lanes(), vec![(1, "a".to_owned()), (1, "b".to_owned())]);
    }

    #[test]
    fn child_lines_are_read_back() {
        let mut timeline = Timeline::default();
        read_child_lines(
            "slice\t7\tmain\t3\t10\t20\tinput 2\nmark\t7\t30\tcrashed\nslice\t7\tmain\t-\t1\t2\tx\ngarbage\n",
            &mut timeline,
        );
        assert_eq!(timeline.slices.len(), 2);
        assert_eq!(timeline.slices[0].cpu, Some(3));
        assert_eq!(timeline.slices[1].cpu, None);
        assert_eq!(timeline.marks, vec![Mark { pid: 7, at_ns: 30, label: "crashed".to_owned() }]);
    }

    #[test]
    fn a_missing_directory_is_a_usage_error() {
        let error = check_path(Path::new("/no/such/dir/x.json")).unwrap_err();
        assert!(error.is::<crate::cli::UsageError>());
        assert!(check_path(Path::new("x.json")).is_ok());
    }
}
