//! The harness proper: builds, runs under the reaper, deadlines, the process table (`/proc`
//! on Linux, `ps` elsewhere). Unix only.

use std::fs::File;
use std::io::Read;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use nix::fcntl::{Flock, FlockArg};
use nix::sys::signal::{Signal, kill, killpg};
use nix::unistd::Pid;

/// The prefix of every line the reaper writes on stderr; [`Finished::stderr`] has them removed.
pub const REAPER_PREFIX: &str = "reaper: ";

/// The default deadline for one example run. Generous: the machines are shared and noisy,
/// and the examples that run longest take a few seconds of CPU (a debug build of `cpu-bound`
/// took 15 s of wall-clock time on two cores with a load average of 20).
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(30);

/// The example binaries of this workspace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bin {
    /// `examples-threads`.
    Threads,
    /// `examples-processes`.
    Processes,
}

impl Bin {
    /// The binary's name, as `cargo run -p NAME` spells it.
    pub fn name(self) -> &'static str {
        match self {
            Bin::Threads => "examples-threads",
            Bin::Processes => "examples-processes",
        }
    }

    /// Both binaries.
    pub const ALL: [Bin; 2] = [Bin::Threads, Bin::Processes];
}

/// The path of `bin`, built on first use with the cargo that runs these tests, into the same
/// target directory and profile. Test binaries of other packages cannot name these binaries
/// (`CARGO_BIN_EXE_*` covers only a package's own integration tests), so the harness builds
/// them itself, with the `reaper` of this package.
pub fn binary(bin: Bin) -> PathBuf {
    profile_dir().join(bin.name())
}

/// Runs example `name` of `bin`, which must exit 0 and leave no process behind.
#[track_caller]
pub fn run_example(bin: Bin, name: &str) -> Finished {
    let finished = run(bin, &[name]);
    finished.assert_success();
    finished
}

/// Runs example `name` of `bin`, which panics on no thread: as [`run_example`], and also no
/// panic message on stderr.
#[track_caller]
pub fn run_quiet_example(bin: Bin, name: &str) -> Finished {
    let finished = run_example(bin, name);
    finished.assert_no_panic();
    finished
}

/// The example names `bin --list` prints, in order.
#[track_caller]
pub fn listed_names(bin: Bin) -> Vec<String> {
    let finished = run(bin, &["--list"]);
    finished.assert_success();
    finished
        .stdout_lines()
        .iter()
        .map(|line| line.split_whitespace().next().unwrap_or("").to_owned())
        .collect()
}

/// `<target>/<profile>`, where the example binaries and the reaper are, once they are built.
fn profile_dir() -> &'static Path {
    static PROFILE_DIR: OnceLock<PathBuf> = OnceLock::new();
    PROFILE_DIR.get_or_init(build_example_binaries)
}

/// Builds the example binaries and the reaper, once per test run, and returns the directory
/// they are in.
///
/// Under `cargo nextest` every test is a process of its own: a `cargo build` in each, even one
/// with nothing to do, would queue dozens of cargo runs on the target directory's lock (and
/// hundreds under `--stress-count`). So the first test process of a run builds, holding a
/// lock file, and leaves a stamp with the run's id (`NEXTEST_RUN_ID`, the same in every test
/// of one run); the others wait for the lock, find the stamp and skip the build. Under plain
/// `cargo test`, which has no run id, each test binary builds once, one after another.
fn build_example_binaries() -> PathBuf {
    // This test executable is `<target>/<profile>/deps/<name>-<hash>`.
    let test_exe = std::env::current_exe().expect("the test's own executable path");
    let profile_dir = test_exe
        .parent()
        .and_then(Path::parent)
        .expect("test executables live in <target>/<profile>/deps")
        .to_path_buf();
    let target_dir = profile_dir.parent().expect("<target>/<profile> has a parent");
    let profile = match profile_dir.file_name().and_then(|name| name.to_str()) {
        Some("debug") => "dev",
        Some(other) => other,
        None => panic!("unexpected profile directory {}", profile_dir.display()),
    };
    // The binaries get the `plot` feature when these tests have it (`--all-features`), so
    // that the plot test knows which outcome to expect.
    let features = if cfg!(feature = "plot") { "examples-threads/plot,examples-processes/plot" } else { "" };
    let lock_path = profile_dir.join("tests-harness-build.lock");
    let lock =
        File::create(&lock_path).unwrap_or_else(|error| panic!("creating {}: {error}", lock_path.display()));
    // Released when `_locked` is dropped, at the end of this function.
    let _locked = Flock::lock(lock, FlockArg::LockExclusive)
        .unwrap_or_else(|(_, error)| panic!("locking {}: {error}", lock_path.display()));
    let stamp_path = profile_dir.join("tests-harness-build.stamp");
    let stamp = std::env::var("NEXTEST_RUN_ID").ok().map(|run| format!("run {run}, features [{features}]\n"));
    if stamp.is_some() && std::fs::read_to_string(&stamp_path).ok() == stamp {
        return profile_dir;
    }
    let mut command = Command::new(env!("CARGO"));
    command
        .args(["build", "--quiet", "--bins", "--profile", profile, "--features", features])
        .args(["-p", Bin::Threads.name(), "-p", Bin::Processes.name(), "-p", "tests"])
        .env("CARGO_TARGET_DIR", target_dir)
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    let output = run_command(command, Duration::from_secs(600));
    assert!(
        output.status.success(),
        "building the example binaries failed ({}):\n{}",
        output.status,
        output.stderr
    );
    if let Some(stamp) = stamp {
        std::fs::write(&stamp_path, stamp)
            .unwrap_or_else(|error| panic!("writing {}: {error}", stamp_path.display()));
    }
    profile_dir
}

/// How a run under the harness ended.
#[derive(Debug)]
pub struct Finished {
    /// The program's exit status (the reaper passes it through unchanged).
    pub status: ExitStatus,
    /// Everything the program wrote to stdout.
    pub stdout: String,
    /// Everything the program wrote to stderr, without the reaper's own lines.
    pub stderr: String,
    /// The processes the program left running after it ended (killed and reaped by the
    /// reaper): one line each, `pid (name)`.
    pub strays: Vec<String>,
    /// How long the run took.
    pub elapsed: Duration,
}

impl Finished {
    /// stdout split into lines.
    pub fn stdout_lines(&self) -> Vec<&str> {
        self.stdout.lines().collect()
    }

    /// Panics, with everything printed, unless the program exited with code 0 and left no
    /// process behind.
    #[track_caller]
    pub fn assert_success(&self) -> &Self {
        assert!(self.status.success(), "expected success, got {}\n{self}", describe(self.status));
        self.assert_no_strays()
    }

    /// Panics unless the program exited with `code` and left no process behind.
    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.status.code(),
            Some(code),
            "expected exit code {code}, got {}\n{self}",
            describe(self.status)
        );
        self.assert_no_strays()
    }

    /// Panics if the program left any process running behind it.
    #[track_caller]
    pub fn assert_no_strays(&self) -> &Self {
        assert!(self.strays.is_empty(), "processes were left behind: {:?}\n{self}", self.strays);
        self
    }

    /// Panics unless stdout contains `text`.
    #[track_caller]
    pub fn assert_has(&self, text: &str) -> &Self {
        assert!(self.stdout.contains(text), "expected {text:?} in stdout\n{self}");
        self
    }

    /// Panics unless stderr has no panic message in it.
    #[track_caller]
    pub fn assert_no_panic(&self) -> &Self {
        assert!(!self.stderr.contains("panicked"), "a panic was reported\n{self}");
        self
    }
}

impl std::fmt::Display for Finished {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "--- status: {} after {:?}\n--- stdout:\n{}--- stderr:\n{}--- end",
            describe(self.status),
            self.elapsed,
            self.stdout,
            self.stderr
        )
    }
}

/// How a process ended, in words (the same wording as the examples use).
pub fn describe(status: ExitStatus) -> String {
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exited with code {code}"),
        (None, Some(signal)) => format!("killed by signal {signal}"),
        _ => format!("raw wait status {:#x}", status.into_raw()),
    }
}

/// Runs an example binary with `args` under [`DEFAULT_DEADLINE`]. Stdin is empty.
pub fn run(bin: Bin, args: &[&str]) -> Finished {
    Runner::new(bin).args(args).run()
}

/// A program to run under the reaper with a deadline: [`Runner::new`], options, [`Runner::run`].
pub struct Runner {
    program: PathBuf,
    args: Vec<String>,
    env: Vec<(String, String)>,
    env_removed: Vec<String>,
    deadline: Duration,
    stdout_limit: Option<usize>,
    interrupt_after_line: Option<String>,
}

impl Runner {
    /// Runs an example binary.
    pub fn new(bin: Bin) -> Self {
        Self::program(binary(bin))
    }

    /// Runs any program.
    pub fn program(program: impl Into<PathBuf>) -> Self {
        Self {
            program: program.into(),
            args: Vec::new(),
            env: Vec::new(),
            env_removed: Vec::new(),
            deadline: DEFAULT_DEADLINE,
            stdout_limit: None,
            interrupt_after_line: None,
        }
    }

    /// Adds arguments.
    pub fn args(mut self, args: &[&str]) -> Self {
        self.args.extend(args.iter().map(|arg| arg.to_string()));
        self
    }

    /// Sets an environment variable for the program.
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    /// Removes an environment variable from the program's environment (set by [`Runner::env`]
    /// it is set again).
    pub fn env_remove(mut self, key: &str) -> Self {
        self.env_removed.push(key.into());
        self
    }

    /// How long the program may run before it and all its descendants are killed.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// Closes the program's stdout after reading `bytes` bytes of it, as `| head -c N` does.
    /// With 0, it is closed before the program starts.
    pub fn close_stdout_after(mut self, bytes: usize) -> Self {
        self.stdout_limit = Some(bytes);
        self
    }

    /// Sends SIGINT to the program's whole process group as soon as it has printed a line
    /// containing `text` on stdout, as Ctrl-C in a terminal does to the foreground process
    /// group. A handshake, not a delay: the program says it has reached the state the test
    /// needs, however loaded the machine. (The reaper is not in that group.)
    pub fn interrupt_after_line(mut self, text: &str) -> Self {
        self.interrupt_after_line = Some(text.to_owned());
        self
    }

    /// Runs the program; panics (failing the test) if it outlives its deadline.
    #[track_caller]
    pub fn run(self) -> Finished {
        let mut command = Command::new(profile_dir().join("reaper"));
        command.arg(&self.program).args(&self.args);
        for key in &self.env_removed {
            command.env_remove(key);
        }
        for (key, value) in &self.env {
            command.env(key, value);
        }
        let started = Instant::now();
        let limits = Limits {
            deadline: self.deadline,
            stdout_limit: self.stdout_limit,
            interrupt_after_line: self.interrupt_after_line,
        };
        let output = run_command_limited(command, limits);
        let (reaper_lines, stderr): (Vec<&str>, Vec<&str>) =
            output.stderr.lines().partition(|line| line.starts_with(REAPER_PREFIX));
        let reaper_said = |what: &str| -> Vec<String> {
            let prefix = format!("{REAPER_PREFIX}{what} ");
            reaper_lines.iter().filter_map(|line| line.strip_prefix(&prefix)).map(str::to_owned).collect()
        };
        let strays = reaper_said("stray");
        let Some(status) = reaper_said("status").first().and_then(|raw| raw.parse().ok()) else {
            panic!("the reaper did not report a status ({}):\n{}", describe(output.status), output.stderr);
        };
        let status = ExitStatus::from_raw(status);
        let mut stderr = stderr.join("\n");
        if !stderr.is_empty() {
            stderr.push('\n');
        }
        Finished { status, stdout: output.stdout, stderr, strays, elapsed: started.elapsed() }
    }
}

/// What a command printed, and how it ended.
pub struct Output {
    /// Its exit status.
    pub status: ExitStatus,
    /// Its stdout, lossily decoded.
    pub stdout: String,
    /// Its stderr, lossily decoded.
    pub stderr: String,
}

/// Runs `command` with stdin empty and stdout/stderr captured, in a process group of its own,
/// under `deadline`. On overrun, kills the whole tree, reaps it and panics with the output.
#[track_caller]
pub fn run_command(command: Command, deadline: Duration) -> Output {
    run_command_limited(command, Limits { deadline, stdout_limit: None, interrupt_after_line: None })
}

/// What [`run_command_limited`] does to the program besides waiting for it.
struct Limits {
    deadline: Duration,
    stdout_limit: Option<usize>,
    interrupt_after_line: Option<String>,
}

#[track_caller]
fn run_command_limited(mut command: Command, limits: Limits) -> Output {
    let Limits { deadline, stdout_limit, mut interrupt_after_line } = limits;
    // A stdout closed before any write: a pipe whose reading end is closed before the program
    // starts, so that its very first write fails, however late a reader thread would run.
    let closed_from_the_start = stdout_limit == Some(0);
    let stdout_pipe = if closed_from_the_start {
        let (reader, writer) = std::io::pipe().expect("a pipe");
        drop(reader);
        Stdio::from(writer)
    } else {
        Stdio::piped()
    };
    command
        .stdin(Stdio::null())
        .stdout(stdout_pipe)
        .stderr(Stdio::piped())
        // A group of its own: the deadline kills the group, and a Ctrl-C in the terminal
        // running the tests does not reach it twice.
        .process_group(0);
    let started = Instant::now();
    let mut child = command.spawn().unwrap_or_else(|error| panic!("starting {command:?}: {error}"));
    let stdout = match child.stdout.take() {
        Some(pipe) => collect(pipe, stdout_limit),
        None => collect(std::io::empty(), None),
    };
    let stderr = collect(child.stderr.take().expect("stderr is piped"), None);
    let status = loop {
        if let Some(text) = &interrupt_after_line
            && stdout.has_line_with(text)
        {
            // The reaper started the program as the leader of a process group of its own,
            // which the program's children join: Ctrl-C's group.
            match group_led_by_a_child_of(pid(child.id())) {
                Some(group) => signal_group(group, Signal::SIGINT),
                None => {
                    panic!("{command:?} printed {text:?}, but the program ended before SIGINT could reach it")
                }
            }
            interrupt_after_line = None;
        }
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() < deadline => thread::sleep(Duration::from_millis(5)),
            Ok(None) => {
                let killed = kill_tree(&mut child);
                let stdout = stdout.finish_now();
                let stderr = stderr.finish_now();
                panic!(
                    "deadline of {deadline:?} passed: killed {command:?} and {killed} descendant(s)\n\
                     --- stdout so far:\n{stdout}--- stderr so far:\n{stderr}--- end"
                );
            }
            Err(error) => panic!("waiting for {command:?}: {error}"),
        }
    };
    Output { status, stdout: stdout.finish(), stderr: stderr.finish() }
}

/// Kills `child`, its process group and every descendant it has (whatever their group), then
/// reaps `child`. Returns how many descendants there were.
fn kill_tree(child: &mut Child) -> usize {
    let root = pid(child.id());
    // Stop the tree from growing first, then kill it leaves first.
    let descendants = descendants_of(root);
    for &pid in descendants.iter().chain([&root]) {
        signal(pid, Signal::SIGSTOP);
    }
    for &pid in descendants.iter().rev().chain([&root]) {
        signal(pid, Signal::SIGKILL);
    }
    signal_group(root, Signal::SIGKILL);
    // SIGKILL cannot be caught or ignored, so this wait ends.
    if let Err(error) = child.wait() {
        eprintln!("harness: reaping {root} after its deadline: {error}");
    }
    descendants.len()
}

/// `std::process` gives pids as `u32`; the kernel's are positive `i32`s.
pub fn pid(id: u32) -> Pid {
    Pid::from_raw(i32::try_from(id).expect("a pid fits in an i32"))
}

/// Sends `signal` to process `pid`. A process that has already gone (`ESRCH`) is fine: it is
/// what we wanted; the result is not needed. Panics on a pid ≤ 0, which `kill` reads as a
/// group (0: the test's own) or, for -1, every process this user may signal.
pub fn signal(pid: Pid, signal: Signal) {
    assert!(pid.as_raw() > 0, "harness: kill({pid}, {signal}) refused: not one process");
    _ = kill(pid, signal);
}

/// Sends `signal` to every process of group `group`; a group already empty is fine. Panics
/// on a group ≤ 1: `killpg(0)` is the test's own group and `killpg(1)` is `kill(-1)`, every
/// process this user may signal.
pub fn signal_group(group: Pid, signal: Signal) {
    assert!(group.as_raw() > 1, "harness: killpg({group}, {signal}) refused: not a child's group");
    _ = killpg(group, signal);
}

/// Every live descendant of `root`, parents before children, from the process table.
pub fn descendants_of(root: Pid) -> Vec<Pid> {
    let parents = process_parents();
    let mut found = vec![root];
    let mut index = 0;
    while index < found.len() {
        let parent = found[index];
        found.extend(parents.iter().filter(|&&(_, ppid)| ppid == parent).map(|&(pid, _)| pid));
        index += 1;
    }
    found.remove(0);
    found
}

/// The process group led by a child of `parent`, if there is one: the program the reaper
/// `parent` started (orphans adopted by the reaper are in the program's group, or a group
/// led by no child of the reaper).
fn group_led_by_a_child_of(parent: Pid) -> Option<Pid> {
    process_parents()
        .into_iter()
        .filter(|&(_, ppid)| ppid == parent)
        .find(|&(pid, _)| proc_stat(pid).is_some_and(|stat| stat.pgrp == pid))
        .map(|(pid, _)| pid)
}

/// `(pid, parent pid)` of every process in `/proc`.
#[cfg(target_os = "linux")]
pub fn process_parents() -> Vec<(Pid, Pid)> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .filter_map(|pid| Some((Pid::from_raw(pid), proc_stat(Pid::from_raw(pid))?.ppid)))
        .collect()
}

/// `(pid, parent pid)` of every process `ps` lists.
#[cfg(not(target_os = "linux"))]
pub fn process_parents() -> Vec<(Pid, Pid)> {
    processes().into_iter().map(|(pid, stat)| (pid, stat.ppid)).collect()
}

/// The fields of a process's record (`/proc/<pid>/stat`, or `ps`) the tests look at.
#[derive(Debug, Clone)]
pub struct ProcStat {
    /// The executable's name, as the kernel keeps it (on Linux at most 15 bytes).
    pub name: String,
    /// `R` running, `S` sleeping, `Z` zombie, …
    pub state: char,
    /// The parent's pid.
    pub ppid: Pid,
    /// The process group.
    pub pgrp: Pid,
}

/// Reads `/proc/<pid>/stat`; `None` if there is no such process.
#[cfg(target_os = "linux")]
pub fn proc_stat(pid: Pid) -> Option<ProcStat> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // `pid (name) state ppid pgrp …`; the name may hold spaces and parentheses, so split at
    // the last ')'.
    let open = text.find('(')?;
    let close = text.rfind(')')?;
    let name = text[open + 1..close].to_owned();
    let mut fields = text[close + 1..].split_whitespace();
    let state = fields.next()?.chars().next()?;
    let ppid = Pid::from_raw(fields.next()?.parse().ok()?);
    let pgrp = Pid::from_raw(fields.next()?.parse().ok()?);
    Some(ProcStat { name, state, ppid, pgrp })
}

/// Asks `ps` about process `pid`; `None` if there is no such process.
#[cfg(not(target_os = "linux"))]
pub fn proc_stat(pid: Pid) -> Option<ProcStat> {
    ps(&["-p", &pid.to_string()]).into_iter().find(|(listed, _)| *listed == pid).map(|(_, stat)| stat)
}

/// Every process on the machine, from `ps -A`: macOS and the BSDs have no `/proc`, and their
/// `ps` reads the kernel's process table (POSIX names the fields used).
#[cfg(not(target_os = "linux"))]
pub fn processes() -> Vec<(Pid, ProcStat)> {
    ps(&["-A"])
}

/// Runs `ps` with `selection`, one line per process: pid, parent, group, state, command.
#[cfg(not(target_os = "linux"))]
fn ps(selection: &[&str]) -> Vec<(Pid, ProcStat)> {
    let mut command = Command::new("ps");
    command.args(selection).args(["-o", "pid=,ppid=,pgid=,stat=,comm="]);
    // No process: `ps -p` exits 1 and prints nothing, which is the answer.
    let output = run_command(command, Duration::from_secs(30));
    output
        .stdout
        .lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let pid = Pid::from_raw(fields.next()?.parse().ok()?);
            let ppid = Pid::from_raw(fields.next()?.parse().ok()?);
            let pgrp = Pid::from_raw(fields.next()?.parse().ok()?);
            let state = fields.next()?.chars().next()?;
            // The command may be a path, with spaces in it: its last part is the name.
            let command = fields.collect::<Vec<_>>().join(" ");
            let name = command.rsplit('/').next().unwrap_or("").to_owned();
            Some((pid, ProcStat { name, state, ppid, pgrp }))
        })
        .collect()
}

/// A pipe being read to its end on a thread of its own, so that a full pipe never blocks the
/// program we are waiting for.
struct Collector {
    text: Arc<Mutex<Vec<u8>>>,
    reader: JoinHandle<()>,
}

fn collect(mut pipe: impl Read + Send + 'static, limit: Option<usize>) -> Collector {
    let text = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&text);
    let reader = thread::spawn(move || {
        let mut buffer = [0u8; 8192];
        loop {
            let room = limit.map_or(buffer.len(), |limit| {
                limit.saturating_sub(sink.lock().unwrap().len()).min(buffer.len())
            });
            if room == 0 {
                return; // Dropping `pipe` closes our end: the writer gets SIGPIPE or EPIPE.
            }
            match pipe.read(&mut buffer[..room]) {
                Ok(0) => return,
                Ok(read) => sink.lock().unwrap().extend_from_slice(&buffer[..read]),
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => return,
            }
        }
    });
    Collector { text, reader }
}

impl Collector {
    /// Whether a whole line (ended by a newline) read so far contains `text`.
    fn has_line_with(&self, text: &str) -> bool {
        let read = self.text.lock().unwrap();
        let end = read.iter().rposition(|&byte| byte == b'\n').map_or(0, |newline| newline + 1);
        String::from_utf8_lossy(&read[..end]).lines().any(|line| line.contains(text))
    }

    /// Waits for the end of the pipe (the program has exited, but a descendant could still
    /// hold the pipe open: the reaper ends those before it exits).
    fn finish(self) -> String {
        if self.reader.join().is_err() {
            panic!("the thread reading a pipe panicked");
        }
        String::from_utf8_lossy(&self.text.lock().unwrap()).into_owned()
    }

    /// What was read so far, without waiting for the end of the pipe.
    fn finish_now(self) -> String {
        String::from_utf8_lossy(&self.text.lock().unwrap()).into_owned()
    }
}

/// Asserts the properties every run of a seed program has, whatever the interleaving: every
/// expected line exactly once, each task's lines in its own order, `Done!` last.
#[track_caller]
pub fn assert_seed_output(finished: &Finished) {
    let lines = finished.stdout_lines();
    let numbers = shared::tasks::expected_numbers();
    let letters = shared::tasks::expected_letters();
    let mut expected: Vec<&str> = numbers.iter().chain(&letters).map(String::as_str).collect();
    expected.push("Done!");
    let mut sorted_lines = lines.clone();
    sorted_lines.sort_unstable();
    expected.sort_unstable();
    assert_eq!(sorted_lines, expected, "not the expected lines (as a multiset)\n{finished}");
    for task_lines in [&numbers, &letters] {
        let in_output: Vec<&str> =
            lines.iter().copied().filter(|line| task_lines.contains(&line.to_string())).collect();
        assert_eq!(&in_output, task_lines, "a task's lines came out of order\n{finished}");
    }
    assert_eq!(lines.last(), Some(&"Done!"), "Done! is not last\n{finished}");
}
