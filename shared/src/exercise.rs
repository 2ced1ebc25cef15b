//! Checked exercises: a reader edits one file, and `PROGRAM exercise check NAME` says
//! whether it now behaves as it must.
//!
//! Each exercise is a folder `PROGRAM/exercises/NAME/` beside the binary's sources:
//! `starter.rs` (the program with its bug, the bug forced to show on every run),
//! `solution.rs` (one fix, explained on the book's exercises page), `wrong/*.patch`
//! (typical wrong fixes, each a diff against the starter, which the tests apply and
//! the check must reject) and, if the check needs them, `check.rs` (tests run against
//! the reader's functions, under loom when an ordering is the point).
//!
//! The reader never edits those: `exercise start NAME` copies the starter to
//! `PROGRAM/exercises/yours/NAME.rs` (ignored by git), the file they edit. Nothing
//! in the workspace compiles that folder, so a half-done edit breaks no other
//! command: the check builds the file alone, in a scratch project of its own under
//! `target/exercises/`, with the workspace's `Cargo.lock` (the same crate versions).
//!
//! A check is behaviour, never only "it compiles": the scratch project's tests
//! (`check.rs`, run with `cargo test`, every run bounded by a deadline) and then the
//! exercise's own check of the running program ([`Exercise::run`]), which runs it
//! with a deadline, kills it (and whatever it started) if it outlives it, and says so.

use std::fmt::Write as _;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use crate::cli::{Reported, UsageError, closest_name};

/// How long building a scratch project may take: the first one compiles its crates.
pub const BUILD_DEADLINE: Duration = Duration::from_secs(900);

/// How long the scratch project's tests (`check.rs`) may run: a deadlocked or hung
/// attempt fails with a message that says so instead of freezing the terminal.
pub const TEST_DEADLINE: Duration = Duration::from_secs(120);

/// The `exercise` command's arguments, as `exercise --help` lists them.
pub const OPTIONS: &[(&str, &str)] = &[
    ("list", "the exercises, and which ones passed (the default)"),
    ("start NAME", "copy the exercise's starter to exercises/yours/NAME.rs, the file to edit"),
    ("check NAME", "build your file alone and check how it behaves"),
    ("hint NAME", "the next hint: a nudge, then the idea, then the book's section"),
    ("reset NAME", "start over from the starter"),
];

/// A check of the running program: gets the built program, returns what it proved or
/// why the attempt fails. It runs the program with [`run_program`] (deadlines).
pub type RunCheck = fn(&Path) -> Result<String, String>;

/// One exercise.
pub struct Exercise {
    /// Its name on the command line and its folder: `join-handles`.
    pub name: &'static str,
    /// What to do, in one line.
    pub task: &'static str,
    /// The book page and section that teaches it, under `book/src/`:
    /// `threads/exercises.md#join-handles`.
    pub page: &'static str,
    /// The hints, in the order they are shown: a nudge, then the idea, then where the
    /// book explains it.
    pub hints: [&'static str; 3],
    /// Whether `check.rs` runs under loom (`--cfg loom`): every interleaving of its
    /// model, not the few a real run happens to take.
    pub loom: bool,
    /// The check of the running program, after `check.rs`'s tests, if any.
    pub run: Option<RunCheck>,
    /// What the check says of the unchanged starter: a part of its message that the
    /// tests look for (the bug shows, and the message names it).
    pub starter_fails_with: &'static str,
    /// The wrong fixes in `wrong/`, `(file stem, a part of the message it gets)`.
    pub wrong: &'static [(&'static str, &'static str)],
}

/// A binary's exercises.
pub struct Exercises {
    /// The binary: `examples-threads`.
    pub program: &'static str,
    /// Its `exercises` folder (`concat!(env!("CARGO_MANIFEST_DIR"), "/exercises")`).
    pub dir: &'static str,
    /// `Some(why)` if the exercises run on Unix only: elsewhere a check says `why` in
    /// one line, before it builds anything (a program that forks would not compile).
    pub unix_only: Option<&'static str>,
    /// In book order.
    pub list: &'static [Exercise],
}

/// What a check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// It behaves: what was checked.
    Pass(String),
    /// It does not: why, in the words the reader reads.
    Fail(String),
}

impl Exercises {
    /// The exercise called `name`, or a usage error that suggests the closest name.
    pub fn find(&self, name: &str) -> anyhow::Result<&Exercise> {
        if let Some(exercise) = self.list.iter().find(|exercise| exercise.name == name) {
            return Ok(exercise);
        }
        let names = self.list.iter().map(|exercise| exercise.name);
        let suggestion = match closest_name(name, names.clone()) {
            Some(close) => format!(" (did you mean '{close}'?)"),
            None => String::new(),
        };
        let all: Vec<&str> = names.collect();
        Err(UsageError(format!("no exercise '{name}'{suggestion}; the exercises: {}", all.join(", "))).into())
    }

    /// The exercise's folder.
    pub fn folder(&self, exercise: &Exercise) -> PathBuf {
        Path::new(self.dir).join(exercise.name)
    }

    /// The reader's copy: `PROGRAM/exercises/yours/NAME.rs`.
    pub fn yours(&self, exercise: &Exercise) -> PathBuf {
        Path::new(self.dir).join("yours").join(format!("{}.rs", exercise.name))
    }

    /// The workspace's root: the binary's folder's parent.
    fn workspace(&self) -> PathBuf {
        Path::new(self.dir).join("../..")
    }

    /// Checks `source` (a whole program) against `exercise`. `label` names the scratch
    /// project (`yours`, `starter`, a wrong fix's name), so that checks of several
    /// variants can run at once.
    pub fn check_source(&self, exercise: &Exercise, source: &str, label: &str) -> anyhow::Result<Verdict> {
        if let Some(why) = self.unix_only
            && cfg!(not(unix))
        {
            return Ok(Verdict::Fail(why.to_owned()));
        }
        let scratch = self.scratch_project(exercise, source, label)?;
        let target = self.workspace().join("target/exercises");
        let folder = self.folder(exercise);
        let mut proved = Vec::new();
        let program = match build(&scratch, &target, exercise.loom)? {
            Ok(program) => program,
            Err(errors) => return Ok(Verdict::Fail(format!("it does not compile:\n{errors}"))),
        };
        if folder.join("check.rs").exists() {
            match run_tests(&scratch, &target, exercise.loom)? {
                Ok(summary) => proved.push(summary),
                Err(why) => return Ok(Verdict::Fail(why)),
            }
        }
        if let Some(run) = exercise.run {
            match run(&program) {
                Ok(summary) => proved.push(summary),
                Err(why) => return Ok(Verdict::Fail(why)),
            }
        }
        Ok(Verdict::Pass(proved.join("\n")))
    }

    /// Writes the scratch project for `source` and returns its folder.
    fn scratch_project(&self, exercise: &Exercise, source: &str, label: &str) -> anyhow::Result<PathBuf> {
        let package = format!("{}-{}", exercise.name, label);
        let dir = self.workspace().join("target/exercises/projects").join(&package);
        std::fs::create_dir_all(dir.join("src")).with_context(|| format!("creating {}", dir.display()))?;
        let manifest =
            std::fs::read_to_string(self.workspace().join("Cargo.toml")).context("reading Cargo.toml")?;
        let mut dependencies = String::new();
        for krate in ["anyhow", "crossbeam", "libc", "rayon"] {
            if source.contains(&format!("{krate}::")) {
                let prefix = format!("{krate} = ");
                if let Some(line) = manifest.lines().find(|line| line.starts_with(&prefix)) {
                    let _ = writeln!(dependencies, "{line}");
                }
            }
        }
        let loom = match manifest.lines().find(|line| line.starts_with("loom = ")) {
            Some(line) if exercise.loom => format!("\n[target.'cfg(loom)'.dependencies]\n{line}\n"),
            _ => String::new(),
        };
        // `[workspace]`: a project of its own, though it lies inside the workspace's folder.
        let toml = format!(
            "[package]\nname = \"{package}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n\
             [dependencies]\n{dependencies}{loom}\n\
             [lints.rust]\nunexpected_cfgs = {{ level = \"warn\", check-cfg = [\"cfg(loom)\"] }}\n\n\
             [workspace]\n"
        );
        std::fs::write(dir.join("Cargo.toml"), toml)?;
        std::fs::copy(self.workspace().join("Cargo.lock"), dir.join("Cargo.lock"))
            .context("copying Cargo.lock")?;
        std::fs::write(dir.join("src/exercise.rs"), source)?;
        // The attempt is included, so that the check's tests can be added as a module: a
        // compiler error still names the line of the attempt (`src/exercise.rs:12`).
        let mut main = String::from("include!(\"exercise.rs\");\n");
        let check = self.folder(exercise).join("check.rs");
        if check.exists() {
            std::fs::copy(&check, dir.join("src/check.rs")).context("copying check.rs")?;
            main.push_str("\n#[cfg(test)]\nmod check;\n");
        }
        std::fs::write(dir.join("src/main.rs"), main)?;
        Ok(dir)
    }

    /// `exercise [list | start NAME | check NAME | hint NAME | reset NAME]`.
    pub fn run(&self, args: &[String]) -> anyhow::Result<()> {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        match args.as_slice() {
            [] | ["list"] => {
                print!("{}", self.listing());
                Ok(())
            }
            ["start", name] => self.start(self.find(name)?, false),
            ["reset", name] => self.start(self.find(name)?, true),
            ["check", name] => self.check(self.find(name)?),
            ["hint", name] => self.hint(self.find(name)?),
            _ => Err(UsageError(format!(
                "expected `list`, `start NAME`, `check NAME`, `hint NAME` or `reset NAME`, got: {}",
                args.join(" ")
            ))
            .into()),
        }
    }

    /// One line per exercise: its name, what to do, and `done` once a check passed.
    pub fn listing(&self) -> String {
        let width = self.list.iter().map(|exercise| exercise.name.len()).max().unwrap_or(0);
        let mut text = String::new();
        for exercise in self.list {
            let done = if self.passed_marker(exercise).exists() { "  (passed)" } else { "" };
            let _ = writeln!(text, "{:width$}  {}{done}", exercise.name, exercise.task);
        }
        let _ = writeln!(
            text,
            "\nstart one: {0} exercise start NAME; then edit the file it names, and run \
             {0} exercise check NAME (hints: {0} exercise hint NAME)",
            self.program
        );
        text
    }

    fn passed_marker(&self, exercise: &Exercise) -> PathBuf {
        Path::new(self.dir).join("yours").join(format!(".{}.passed", exercise.name))
    }

    fn hints_marker(&self, exercise: &Exercise) -> PathBuf {
        Path::new(self.dir).join("yours").join(format!(".{}.hints", exercise.name))
    }

    /// Copies the starter to the reader's file (again, with `reset`).
    fn start(&self, exercise: &Exercise, reset: bool) -> anyhow::Result<()> {
        let yours = self.yours(exercise);
        if yours.exists() && !reset {
            println!(
                "{} is already there: edit it (`exercise reset {}` starts over)",
                yours.display(),
                exercise.name
            );
            return Ok(());
        }
        std::fs::create_dir_all(yours.parent().expect("a folder")).context("creating exercises/yours")?;
        std::fs::copy(self.folder(exercise).join("starter.rs"), &yours).context("copying the starter")?;
        let _ = std::fs::remove_file(self.passed_marker(exercise));
        println!("{}: {}", exercise.name, exercise.task);
        println!("edit {}, then run `{} exercise check {}`", yours.display(), self.program, exercise.name);
        Ok(())
    }

    fn check(&self, exercise: &Exercise) -> anyhow::Result<()> {
        // Not on this platform: said in one line, and the dispatcher exits with 77, as
        // for an example that does not run here.
        if let Some(why) = self.unix_only
            && cfg!(not(unix))
        {
            return Err(std::io::Error::new(std::io::ErrorKind::Unsupported, why).into());
        }
        let yours = self.yours(exercise);
        if !yours.exists() {
            self.start(exercise, false)?;
            println!("(checking the starter as it is: the bug shows first)\n");
        }
        let source =
            std::fs::read_to_string(&yours).with_context(|| format!("reading {}", yours.display()))?;
        eprintln!("building {} (the first check compiles the crates: a minute or two)…", yours.display());
        match self.check_source(exercise, &source, "yours")? {
            Verdict::Pass(proved) => {
                std::fs::write(self.passed_marker(exercise), "")?;
                println!("passed: {}\n{proved}", exercise.name);
                Ok(())
            }
            Verdict::Fail(why) => {
                println!("not yet: {}\n{why}", exercise.name);
                println!("\n(a hint: `{} exercise hint {}`)", self.program, exercise.name);
                Err(Reported.into())
            }
        }
    }

    /// Shows the next hint: each call one more, up to the last.
    fn hint(&self, exercise: &Exercise) -> anyhow::Result<()> {
        let marker = self.hints_marker(exercise);
        let seen: usize =
            std::fs::read_to_string(&marker).ok().and_then(|text| text.trim().parse().ok()).unwrap_or(0);
        let shown = (seen + 1).min(exercise.hints.len());
        for (at, hint) in exercise.hints.iter().take(shown).enumerate() {
            println!("hint {} of {}: {hint}", at + 1, exercise.hints.len());
        }
        println!("(the book: book/src/{})", exercise.page);
        std::fs::create_dir_all(marker.parent().expect("a folder"))?;
        std::fs::write(marker, shown.to_string())?;
        Ok(())
    }
}

/// Builds the scratch project; returns its program, or the compiler's errors.
fn build(dir: &Path, target: &Path, loom: bool) -> anyhow::Result<Result<PathBuf, String>> {
    let mut command = cargo(dir, target, false);
    command.args(["build", "--quiet"]);
    let ran = run_program(command, BUILD_DEADLINE)?;
    if ran.timed_out {
        bail!("building {} took more than {} s", dir.display(), BUILD_DEADLINE.as_secs());
    }
    if !ran.status.is_some_and(|status| status.success()) {
        return Ok(Err(ran.stderr));
    }
    if loom {
        // The loom build is a second one, with `--cfg loom`: it must compile too.
        let mut command = cargo(dir, target, true);
        command.args(["test", "--release", "--no-run", "--quiet"]);
        let ran = run_program(command, BUILD_DEADLINE)?;
        if !ran.status.is_some_and(|status| status.success()) {
            return Ok(Err(format!("(built with --cfg loom)\n{}", ran.stderr)));
        }
    }
    let package = dir.file_name().expect("a name").to_string_lossy().into_owned();
    Ok(Ok(target.join("debug").join(format!("{package}{}", std::env::consts::EXE_SUFFIX))))
}

/// Runs the scratch project's tests; `Ok`: how many passed; `Err`: the failures'
/// messages, or that they did not finish in time.
fn run_tests(dir: &Path, target: &Path, loom: bool) -> anyhow::Result<Result<String, String>> {
    let mut command = cargo(dir, target, loom);
    command.args(["test", "--quiet"]);
    if loom {
        command.arg("--release");
    }
    let ran = run_program(command, TEST_DEADLINE)?;
    if ran.timed_out {
        return Ok(Err(format!(
            "the check's tests did not finish in {} s, and were stopped: something waits for ever (a \
             deadlock? a wake-up that never comes? a thread never joined?)",
            TEST_DEADLINE.as_secs()
        )));
    }
    if ran.status.is_some_and(|status| status.success()) {
        let passed =
            ran.stdout.lines().find(|line| line.starts_with("test result: ok")).unwrap_or("test result: ok");
        let how = if loom { " (every interleaving, under loom)" } else { "" };
        return Ok(Ok(format!("the check's tests{how}: {passed}")));
    }
    Ok(Err(failure_messages(&ran.stdout, &ran.stderr)))
}

/// The panic messages of the failed tests in `cargo test`'s output, each with the
/// test's name; the whole output if none is found.
pub fn failure_messages(stdout: &str, stderr: &str) -> String {
    let mut messages = Vec::new();
    let mut lines = stdout.lines();
    while let Some(line) = lines.next() {
        let Some(rest) = line.strip_prefix("thread '") else { continue };
        if !line.contains("panicked at") {
            continue;
        }
        let test = rest.split('\'').next().unwrap_or("").trim_start_matches("check::");
        // Up to the note, a blank line, or a backtrace (`RUST_BACKTRACE=1`).
        let message: Vec<&str> = lines
            .by_ref()
            .take_while(|line| {
                !line.starts_with("note:") && !line.starts_with("stack backtrace:") && !line.trim().is_empty()
            })
            .collect();
        messages.push(format!("{test}: {}", message.join("\n")));
    }
    if messages.is_empty() {
        format!("the check's tests failed:\n{stdout}{stderr}")
    } else {
        messages.join("\n")
    }
}

fn cargo(dir: &Path, target: &Path, loom: bool) -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.current_dir(dir).env("CARGO_TARGET_DIR", target);
    // The workspace's flags are not the reader's; loom's flag goes to its own target
    // folder (`target/exercises/loom`), so the two builds do not undo each other.
    command.env_remove("CARGO_ENCODED_RUSTFLAGS");
    if loom {
        command.env("RUSTFLAGS", "--cfg loom").env("CARGO_TARGET_DIR", target.join("loom"));
        // The model's size: loom explores every interleaving up to this many preemptions.
        command.env("LOOM_MAX_PREEMPTIONS", "3");
    } else {
        command.env_remove("RUSTFLAGS");
    }
    command
}

/// What a program run with [`run_program`] did.
#[derive(Debug)]
pub struct Ran {
    /// How it ended; `None` if it was killed at the deadline.
    pub status: Option<ExitStatus>,
    /// What it printed.
    pub stdout: String,
    /// What it printed on stderr.
    pub stderr: String,
    /// Whether it outlived the deadline (and was killed, with every process it started).
    pub timed_out: bool,
    /// Whether it left a process behind (Unix: one still in its process group after it
    /// exited; killed since).
    pub strays: bool,
    /// How long it ran.
    pub elapsed: Duration,
}

impl Ran {
    /// How it ended, in words: `exit status 0`, `killed by SIGSEGV`, `killed at the deadline`.
    pub fn ended(&self) -> String {
        match self.status {
            None => "still running at the deadline (killed)".to_owned(),
            Some(status) => crate::sys::describe_status(status),
        }
    }
}

/// Runs `command` with its output collected, for at most `deadline`. On Unix it runs
/// in a process group of its own, so that at the deadline every process it started is
/// killed with it (and reaped: none is left behind).
pub fn run_program(mut command: Command, deadline: Duration) -> anyhow::Result<Ran> {
    command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    crate::sys::own_process_group(&mut command);
    let started = Instant::now();
    let mut child = command.spawn().with_context(|| format!("starting {command:?}"))?;
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let out = thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let err = thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let status = loop {
        if let Some(status) = child.try_wait().context("waiting for the program")? {
            break Some(status);
        }
        if started.elapsed() > deadline {
            crate::sys::kill_process_group(&mut child);
            child.wait().context("reaping the killed program")?;
            break None;
        }
        thread::sleep(Duration::from_millis(10));
    };
    // A process the program started and left behind is a stray: it is counted, then
    // killed (it may still hold the pipes). Not on Windows, which has no such groups.
    let strays = status.is_some() && crate::sys::process_group_alive(&child);
    if strays {
        crate::sys::kill_process_group(&mut child);
    }
    let stdout = out.join().expect("the stdout reader panicked");
    let stderr = err.join().expect("the stderr reader panicked");
    Ok(Ran { timed_out: status.is_none(), status, stdout, stderr, strays, elapsed: started.elapsed() })
}

/// [`run_program`], and once the program prints a line that starts with `line`,
/// SIGINT to its whole process group, as a terminal sends on Ctrl-C (Unix; Windows:
/// nothing is sent). The deadline still bounds the run. On Linux this process
/// becomes a subreaper first ([`crate::sys::become_subreaper`]): a worker that the
/// program killed but never waited for is still a zombie in its group when the
/// program exits, so it counts among the `strays` instead of being reaped unseen by
/// init.
pub fn run_program_interrupted_after(
    command: Command,
    deadline: Duration,
    line: &str,
) -> anyhow::Result<Ran> {
    let prefix = line.to_owned();
    let interrupt = move |pid: u32, lines: std::sync::mpsc::Receiver<String>| {
        let until = Instant::now() + deadline;
        // Ends when the line came (and SIGINT went), the output ended, or the deadline.
        while let Ok(line) = lines.recv_timeout(until.saturating_duration_since(Instant::now())) {
            if line.starts_with(&prefix) {
                crate::sys::interrupt_process_group(pid);
                return;
            }
        }
    };
    Ok(run_watched(command, deadline, interrupt, true)?.0)
}

/// Like [`run_program`], while `watch` runs on a thread of its own: it gets the
/// program's process id and its stdout line by line as it comes (the channel ends
/// when every copy of the pipe is closed), to look at the running program through the
/// OS (its children) or act on it (a signal) once it printed a line. `watch` must end
/// by itself: it is joined after the program ended, before the strays are counted.
pub fn run_program_watched<T: Send + 'static>(
    command: Command,
    deadline: Duration,
    watch: impl FnOnce(u32, std::sync::mpsc::Receiver<String>) -> T + Send + 'static,
) -> anyhow::Result<(Ran, T)> {
    run_watched(command, deadline, watch, false)
}

/// [`run_program_watched`]; with `adopt`, this process is a subreaper during the
/// run (Linux), and what the program left behind is reaped after it.
fn run_watched<T: Send + 'static>(
    mut command: Command,
    deadline: Duration,
    watch: impl FnOnce(u32, std::sync::mpsc::Receiver<String>) -> T + Send + 'static,
    adopt: bool,
) -> anyhow::Result<(Ran, T)> {
    use std::io::BufRead;
    command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    crate::sys::own_process_group(&mut command);
    if adopt {
        crate::sys::become_subreaper();
    }
    let started = Instant::now();
    let mut child = command.spawn().with_context(|| format!("starting {command:?}"))?;
    let stdout = std::io::BufReader::new(child.stdout.take().expect("piped"));
    let mut stderr = child.stderr.take().expect("piped");
    let (lines, received) = std::sync::mpsc::channel();
    let out = thread::spawn(move || {
        let mut text = String::new();
        for line in stdout.lines() {
            let Ok(line) = line else { break };
            text.push_str(&line);
            text.push('\n');
            let _ = lines.send(line); // The watcher may have stopped listening.
        }
        text
    });
    let err = thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let pid = child.id();
    let watcher = thread::spawn(move || watch(pid, received));
    let status = loop {
        if let Some(status) = child.try_wait().context("waiting for the program")? {
            break Some(status);
        }
        if started.elapsed() > deadline {
            crate::sys::kill_process_group(&mut child);
            child.wait().context("reaping the killed program")?;
            break None;
        }
        thread::sleep(Duration::from_millis(10));
    };
    let watched = watcher.join().expect("the watcher panicked");
    let strays = status.is_some() && crate::sys::process_group_alive(&child);
    if strays {
        crate::sys::kill_process_group(&mut child);
    }
    if adopt {
        // What it left behind (a zombie, or killed now) is ours since it exited: reaped.
        crate::sys::reap_process_group(&child);
    }
    let stdout = out.join().expect("the stdout reader panicked");
    let stderr = err.join().expect("the stderr reader panicked");
    let ran = Ran { timed_out: status.is_none(), status, stdout, stderr, strays, elapsed: started.elapsed() };
    Ok((ran, watched))
}

/// `base` with the unified diff `patch` (`diff -u`) applied: each hunk's context and
/// removed lines must match `base` where the hunk says they are. The tests apply each
/// wrong fix (`wrong/*.patch`) to the starter this way.
pub fn apply_patch(base: &str, patch: &str) -> Result<String, String> {
    let old: Vec<&str> = base.lines().collect();
    let mut new: Vec<&str> = Vec::new();
    let mut next = 0; // The first line of `old` not yet copied.
    let mut lines = patch.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(header) = line.strip_prefix("@@ -") else { continue };
        let start: usize = header
            .split([',', ' '])
            .next()
            .and_then(|number| number.parse().ok())
            .ok_or_else(|| format!("a hunk header without a line number: {line}"))?;
        let start = start.saturating_sub(1).max(next);
        new.extend(&old[next..start.min(old.len())]);
        next = start;
        while let Some(body) = lines.next_if(|line| !line.starts_with("@@")) {
            let (kind, text) = body.split_at(body.len().min(1));
            match kind {
                "+" => new.push(text),
                " " | "-" | "" => {
                    if old.get(next) != Some(&text) {
                        return Err(format!("line {} is not `{text}`: the patch does not apply", next + 1));
                    }
                    if kind != "-" {
                        new.push(text);
                    }
                    next += 1;
                }
                _ => {} // `\ No newline at end of file`
            }
        }
    }
    new.extend(&old[next.min(old.len())..]);
    Ok(new.join("\n") + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_messages_name_each_failed_test() {
        let stdout = "running 2 tests\n\nfailures:\n\n---- check::counts stdout ----\n\n\
                      thread 'check::counts' panicked at src/check.rs:9:5:\n\
                      lost updates: 1000 of 2000 counted\nnote: run with `RUST_BACKTRACE=1`\n";
        assert_eq!(failure_messages(stdout, ""), "counts: lost updates: 1000 of 2000 counted");
        let with_backtrace = "thread 'check::model' (12) panicked at src/check.rs:22:13:\n\
                              saw the flag, not the value\nstack backtrace:\n   0: begin_unwind\n";
        assert_eq!(failure_messages(with_backtrace, ""), "model: saw the flag, not the value");
    }

    #[test]
    fn a_patch_applies_where_its_context_matches() {
        let base = "a\nb\nc\nd\n";
        let patch = "--- x\n+++ x\n@@ -2,2 +2,2 @@\n b\n-c\n+C\n";
        assert_eq!(apply_patch(base, patch).as_deref(), Ok("a\nb\nC\nd\n"));
        assert!(apply_patch("a\nx\nc\n", patch).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_program_past_its_deadline_is_killed_with_its_children() {
        let mut command = Command::new("sh");
        command.args(["-c", "sleep 30 & sleep 30"]);
        let ran = run_program(command, Duration::from_millis(200)).expect("runs");
        assert!(ran.timed_out && ran.status.is_none(), "{ran:?}");
        assert!(ran.elapsed < Duration::from_secs(20), "the pipes were held: {ran:?}");
    }

    #[cfg(unix)]
    #[test]
    fn sigint_reaches_the_group_after_the_line() {
        let mut command = Command::new("sh");
        // One process (`exec`): with `sh` waiting for a `sleep`, both would die of the
        // SIGINT, and `sleep`, not yet scheduled, could outlive `sh` for a moment and be
        // counted as left behind.
        command.args(["-c", "echo started; exec sleep 30"]);
        let ran = run_program_interrupted_after(command, Duration::from_secs(20), "started").expect("runs");
        assert!(!ran.timed_out && !ran.strays, "SIGINT never came: {ran:?}");
        assert!(ran.elapsed < Duration::from_secs(15), "{ran:?}");
        assert_eq!(ran.stdout, "started\n");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_zombie_left_behind_is_a_stray() {
        let mut command = Command::new("sh");
        // `sleep 0.5` (the shell, exec'd) never waits for the `true` it inherits.
        command.args(["-c", "true & exec sleep 0.5"]);
        let ran = run_program_interrupted_after(command, Duration::from_secs(20), "never").expect("runs");
        assert!(ran.strays && !ran.timed_out, "{ran:?}");
    }

    #[cfg(unix)]
    #[test]
    fn a_process_left_behind_is_found_and_killed() {
        let mut command = Command::new("sh");
        command.args(["-c", "sleep 30 >/dev/null 2>&1 & exit 0"]);
        let ran = run_program(command, Duration::from_secs(20)).expect("runs");
        assert!(ran.strays && !ran.timed_out, "{ran:?}");
        assert!(ran.elapsed < Duration::from_secs(15), "{ran:?}");
    }

    #[cfg(unix)]
    #[test]
    fn a_watcher_sees_the_lines_and_the_pid_while_the_program_runs() {
        let mut command = Command::new("sh");
        command.args(["-c", "echo $$; echo ready; exec sleep 30"]);
        let (ran, watched) = run_program_watched(command, Duration::from_secs(20), |pid, lines| {
            let first = lines.recv_timeout(Duration::from_secs(10)).expect("a line");
            let ready = lines.recv_timeout(Duration::from_secs(10)).expect("a line");
            let killed = Command::new("kill").args(["-KILL", &pid.to_string()]).status();
            (first == pid.to_string(), ready, killed.is_ok_and(|status| status.success()))
        })
        .expect("runs");
        assert_eq!(watched, (true, "ready".to_owned(), true), "{ran:?}");
        assert!(!ran.timed_out && ran.elapsed < Duration::from_secs(15), "{ran:?}");
        assert_eq!(ran.stdout.lines().nth(1), Some("ready"), "{ran:?}");
    }
}
