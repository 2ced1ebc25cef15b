//! Every Python program of `book/python/` runs here with this machine's CPython (`python3`,
//! found on the PATH as a reader's shell finds it), under a deadline (overrun: the program and
//! everything it started are killed, and the test fails with what it printed), with no
//! process left behind, and with the environment variables that change outcomes removed. Each
//! test checks what the program's page says of it: every line, `Done!` last, the version
//! printed where the outcome depends on it. Where an outcome varies from run to run (an
//! interleaving, a lost update) only what holds in every run is asserted; nothing here asks
//! for a race to show, nor for it not to.
//!
//! Programs whose outcome changes with the version also run with `python3.12` and `python3.13`
//! when the machine has them (on the PATH, or in pyenv's versions), and say so when it does
//! not. Without a `python3` the tests are skipped with a note on stderr, unless
//! `TOOLS_REQUIRED=1`, as in `tools.rs`.

#![cfg(target_os = "linux")] // The harness needs Unix; cpu_counts.py, Linux's affinity calls.

use std::collections::BTreeSet;
use std::fs;
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use tests::{Finished, Runner, assert_seed_output, run_command, workspace_root};

/// Each run's deadline: the longest program takes about a second on an idle machine, and
/// `run_all.py`, which runs them all, about 4 s.
const DEADLINE: Duration = Duration::from_secs(300);

/// The variables that change what these programs print, removed from every run (as is any
/// other `PYTHON*` variable of the test's own environment): a reader's shell, or a container,
/// may set them without the reader knowing.
const OUTCOME_VARIABLES: [&str; 10] = [
    "PYTHONUNBUFFERED", // No stdout buffer: lines tear more often; a fork copies no text.
    "PYTHONHASHSEED",   // The order of a set of strings.
    "PYTHONWARNINGS",   // Which warnings show: fork_warnings.py's counts.
    "PYTHONDEVMODE",    // -X dev: every warning shown, as above.
    "PYTHONOPTIMIZE",   // -O: the programs' `assert` statements skipped.
    "PYTHONPATH",       // A module of the same name as the standard library's.
    "PYTHONIOENCODING", // How stdout encodes.
    "PYTHONUTF8",       // The same.
    "PYTHON_CPU_COUNT", // 3.13: what os.cpu_count() says (cpu_counts.py).
    "PYTHON_GIL",       // A free-threaded build with its GIL on again.
];

/// A CPython interpreter: where it is, and its version.
struct Python {
    path: PathBuf,
    /// `3.11.7`.
    version: String,
    /// `(3, 11)`.
    release: (u32, u32),
}

impl Python {
    /// `path`, if it runs and says `Python X.Y.Z`.
    fn at(path: PathBuf) -> Option<Python> {
        let mut command = Command::new(&path);
        command.arg("--version");
        let said = run_command(command, Duration::from_secs(60));
        let version = said.stdout.trim().strip_prefix("Python ")?.to_owned();
        let mut numbers = version.split('.').map(|part| part.parse::<u32>().ok());
        let release = (numbers.next()??, numbers.next()??);
        (said.status.success() && release >= (3, 9)).then_some(Python { path, version, release })
    }

    /// The first interpreter called `name` on the PATH that runs (a pyenv shim is on the PATH
    /// even when no selected version has the interpreter).
    fn on_path(name: &str) -> Option<Python> {
        let path = std::env::var_os("PATH")?;
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .filter(|path| path.is_file())
            .find_map(Python::at)
    }

    /// `python3.N` on the PATH, else the newest `3.N.*` of pyenv's versions.
    fn release(minor: u32) -> Option<Python> {
        let name = format!("python3.{minor}");
        Python::on_path(&name).or_else(|| {
            let root = std::env::var_os("PYENV_ROOT")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".pyenv")))?;
            let mut found: Vec<PathBuf> = fs::read_dir(root.join("versions"))
                .ok()?
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .filter(|dir| {
                    dir.file_name().and_then(|name| name.to_str()).is_some_and(|version| {
                        version
                            .strip_prefix(&format!("3.{minor}."))
                            .is_some_and(|patch| patch.parse::<u32>().is_ok())
                    })
                })
                .map(|dir| dir.join("bin").join(&name))
                .filter(|path| path.is_file())
                .collect();
            found.sort();
            found.pop().and_then(Python::at)
        })
    }

    /// Runs `book/python/PROGRAM` with `args`, the outcome variables removed and then `env`
    /// set; it must exit 0 and leave nothing behind.
    #[track_caller]
    fn run(&self, program: &str, args: &[&str], env: &[(&str, &str)]) -> Finished {
        let path = workspace_root().join("book/python").join(program);
        let mut runner = Runner::program(&self.path)
            .args(&[path.to_str().expect("a UTF-8 path")])
            .args(args)
            .deadline(DEADLINE);
        let inherited = std::env::vars().map(|(key, _)| key).filter(|key| key.starts_with("PYTHON"));
        let removed: BTreeSet<String> =
            OUTCOME_VARIABLES.iter().map(|key| key.to_string()).chain(inherited).collect();
        for key in &removed {
            runner = runner.env_remove(key);
        }
        for (key, value) in env {
            runner = runner.env(key, value);
        }
        let finished = runner.run();
        assert!(
            finished.status.success() && finished.strays.is_empty(),
            "{program} with CPython {} did not end cleanly (exit 0, nothing left running): {:?}\n{finished}",
            self.version,
            finished.strays
        );
        finished
    }
}

/// The machine's `python3`, or `None` (and a note) without one.
fn python3() -> Option<&'static Python> {
    static PYTHON3: OnceLock<Option<Python>> = OnceLock::new();
    let found = PYTHON3.get_or_init(|| Python::on_path("python3")).as_ref();
    if found.is_none() {
        assert!(
            std::env::var("TOOLS_REQUIRED").as_deref() != Ok("1"),
            "no python3 (CPython 3.9 or later) on the PATH, and TOOLS_REQUIRED=1"
        );
        eprintln!(
            "skipped: no python3 (CPython 3.9 or later) on the PATH (set TOOLS_REQUIRED=1 to fail instead)"
        );
    }
    found
}

/// The machine's `python3`, then each of `python3.12` and `python3.13` it has besides (a
/// release already covered is not run twice): for the programs whose outcome depends on the
/// version.
fn every_python() -> Vec<&'static Python> {
    static OTHERS: OnceLock<Vec<Python>> = OnceLock::new();
    let Some(python3) = python3() else {
        return Vec::new();
    };
    let others = OTHERS.get_or_init(|| {
        [12, 13]
            .into_iter()
            .filter(|&minor| python3.release != (3, minor))
            .filter_map(|minor| {
                let found = Python::release(minor);
                if found.is_none() {
                    eprintln!("note: no python3.{minor} here; the version-dependent programs run without it");
                }
                found
            })
            .collect()
    });
    std::iter::once(python3).chain(others).collect()
}

/// The properties of the tutorial's thread program that hold even when a line tears (with
/// `PYTHONUNBUFFERED=1` it often does: `print` writes its pieces one by one): every piece
/// printed once, each thread's pieces in its own order, `Done!` last. When no line tore, the
/// whole seed properties: every line once, each task's in order, `Done!` last.
#[track_caller]
fn assert_thread_seed_output(finished: &Finished) {
    let out = &finished.stdout;
    assert!(out.ends_with("Done!\n"), "Done! is not last\n{finished}");
    for (label, count) in [("Number: ", 5), ("Letter: ", 5), ("Done!", 1)] {
        assert_eq!(out.matches(label).count(), count, "{label:?} is not printed {count} times\n{finished}");
    }
    let rest: String = out.replace("Number: ", "").replace("Letter: ", "").replace("Done!", "");
    let rest: Vec<char> = rest.chars().filter(|c| !c.is_whitespace()).collect();
    let digits: String = rest.iter().filter(|c| c.is_ascii_digit()).collect();
    let letters: String = rest.iter().filter(|c| c.is_ascii_uppercase()).collect();
    assert_eq!((digits.as_str(), letters.as_str()), ("01234", "ABCDE"), "a thread's pieces\n{finished}");
    assert_eq!(rest.len(), 10, "pieces nobody printed\n{finished}");
    let whole =
        |line: &&str| line.starts_with("Number:  ") || line.starts_with("Letter:  ") || *line == "Done!";
    if finished.stdout_lines().iter().all(whole) {
        assert_seed_output(finished);
    }
}

/// programs.md: the tutorial's thread program, as the page runs it (block-buffered into a
/// pipe) and with `PYTHONUNBUFFERED=1` (claim C12: lines tear).
#[test]
fn seed_threads_prints_every_piece_in_order_with_done_last() {
    let Some(python) = python3() else { return };
    for env in [&[][..], &[("PYTHONUNBUFFERED", "1")][..]] {
        for _ in 0..5 {
            assert_thread_seed_output(&python.run("seed_threads.py", &[], env));
        }
    }
}

/// programs.md: the tutorial's process program. Up to 3.13 Linux's default start method is
/// fork, and it prints every line once, `Done!` last; from 3.14 it is forkserver, and the
/// program fails as the spawn variant does.
#[test]
fn seed_processes_prints_every_line_with_done_last_under_fork() {
    let Some(python) = python3() else { return };
    for _ in 0..5 {
        let finished = python.run("seed_processes.py", &[], &[]);
        if python.release < (3, 14) {
            assert_seed_output(&finished);
        } else {
            assert_eq!(finished.stdout, "Done!\n", "CPython {}\n{finished}", python.version);
        }
    }
}

/// programs.md, claim C13: under spawn each child re-runs the script's top level and fails with
/// a `RuntimeError` from line 26; the parent, which never looks, prints `Done!` and exits 0.
#[test]
fn seed_processes_spawn_fails_in_each_child_and_still_prints_done() {
    let Some(python) = python3() else { return };
    let finished = python.run("seed_processes_spawn.py", &[], &[]);
    assert_eq!(finished.stdout, "Done!\n", "only Done! on stdout\n{finished}");
    let line_26 = "book/python/seed_processes_spawn.py\", line 26, in <module>";
    for (text, count) in [("RuntimeError: ", 2), (line_26, 2)] {
        assert_eq!(finished.stderr.matches(text).count(), count, "{text:?} on stderr\n{finished}");
    }
}

/// A line `NAME: GOT of EXPECTED, LOST lost` of race.py, parsed.
fn race_line(line: &str) -> (&str, u64, u64, u64) {
    let parsed = (|| {
        let (name, rest) = line.split_once(": ")?;
        let (got, rest) = rest.split_once(" of ")?;
        let (expected, rest) = rest.split_once(", ")?;
        let lost = rest.strip_suffix(" lost")?;
        Some((name, got.parse().ok()?, expected.parse().ok()?, lost.parse().ok()?))
    })();
    parsed.unwrap_or_else(|| panic!("not a race.py line: {line:?}"))
}

/// threads/race.md: both adds end with a count never above 800000, and lost plus counted make
/// 800000; whether any update is lost is the scheduler's business, not asserted.
#[test]
fn race_never_counts_more_than_the_adds() {
    let Some(python) = python3() else { return };
    for (args, interval) in [(&[][..], "0.005"), (&["0.000001"][..], "1e-06")] {
        let finished = python.run("race.py", args, &[]);
        let lines = finished.stdout_lines();
        let heading = format!("CPython {}, switch interval {interval} s", python.version);
        assert_eq!(lines.first(), Some(&heading.as_str()), "the version and interval first\n{finished}");
        let names: Vec<&str> = lines[1..].iter().map(|line| race_line(line).0).collect();
        assert_eq!(names, ["add_plain", "add_with_a_call"], "{finished}");
        for line in &lines[1..] {
            let (_, got, expected, lost) = race_line(line);
            assert_eq!(expected, 800_000, "{finished}");
            assert!(got <= expected && got + lost == expected, "{line}\n{finished}");
        }
    }
}

/// threads/as-completed.md: results come as tasks finish; task 6, the only failure, fails once
/// and cancels what has not started; every task is done, failed or cancelled.
#[test]
fn as_completed_fails_task_6_and_accounts_for_every_task() {
    let Some(python) = python3() else { return };
    let finished = python.run("as_completed.py", &[], &[]);
    let lines = finished.stdout_lines();
    let error_at = lines.iter().position(|line| *line == "first error: task 6: bad input");
    let error_at = error_at.unwrap_or_else(|| panic!("task 6 did not fail first and once\n{finished}"));
    let mut reported = BTreeSet::new();
    for line in &lines[..error_at] {
        let (task, result) = line
            .strip_prefix("task ")
            .and_then(|rest| rest.split_once(": done, "))
            .and_then(|(task, result)| Some((task.parse::<u64>().ok()?, result.parse::<u64>().ok()?)))
            .unwrap_or_else(|| panic!("not a result line: {line:?}\n{finished}"));
        assert_eq!(result, task * task, "task {task}'s result\n{finished}");
        assert!(task != 6 && reported.insert(task), "task {task} reported twice, or 6 as done\n{finished}");
    }
    let summary = lines[error_at + 1..].join("\n");
    let counts: Vec<u64> = summary
        .strip_prefix("20 submitted: ")
        .map(|rest| rest.split(", ").filter_map(|part| part.split(' ').next()?.parse().ok()).collect())
        .unwrap_or_default();
    let [done, failed, cancelled] = counts[..] else {
        panic!("no summary `20 submitted: D done, F failed, C cancelled` last\n{finished}")
    };
    assert_eq!((failed, done + failed + cancelled), (1, 20), "{finished}");
    assert!(done >= reported.len() as u64, "fewer done than reported\n{finished}");
}

/// threads/affinity.md: the version first; pinned to one CPU, the mask counts 1 and
/// `os.cpu_count()` is unchanged; `os.process_cpu_count()` exists from 3.13 and counts the mask.
#[test]
fn cpu_counts_pinned_to_one_cpu_counts_one_in_the_mask() {
    for python in every_python() {
        let finished = python.run("cpu_counts.py", &[], &[]);
        let lines = finished.stdout_lines();
        let heading = format!("CPython {}", python.version);
        assert_eq!(lines.first(), Some(&heading.as_str()), "{finished}");
        let counts = |prefix: &str| -> String {
            let line = lines.iter().find(|line| line.starts_with(prefix));
            line.unwrap_or_else(|| panic!("no {prefix:?} line\n{finished}"))
                .split_once(": ")
                .expect(": ")
                .1
                .to_owned()
        };
        let (started, pinned) = (counts("as started"), counts("pinned to CPU"));
        let number_after = |text: &str, label: &str| -> Option<u64> {
            text.split(label).nth(1)?.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
        };
        let machine = number_after(&started, "os.cpu_count() ");
        assert!(machine.is_some_and(|cpus| cpus >= 1), "{finished}");
        assert_eq!(
            number_after(&pinned, "os.cpu_count() "),
            machine,
            "cpu_count() ignores the mask\n{finished}"
        );
        assert_eq!(number_after(&pinned, "len(os.sched_getaffinity(0)) "), Some(1), "{finished}");
        if python.release >= (3, 13) {
            assert_eq!(number_after(&pinned, "os.process_cpu_count() "), Some(1), "{finished}");
        } else {
            assert!(pinned.contains("no os.process_cpu_count() (new in 3.13)"), "{finished}");
        }
    }
}

/// find-it.md: two threads count for the time given, and each says how far it got (how far is
/// the scheduler's business: on a busy machine a thread may barely run).
#[test]
fn gil_threads_counts_on_both_threads() {
    let Some(python) = python3() else { return };
    let finished = python.run("gil_threads.py", &["0.5"], &[]);
    let lines = finished.stdout_lines();
    for (line, name) in lines.iter().zip(["counter-1", "counter-2"]) {
        let count = line
            .strip_prefix(&format!("{name}: "))
            .and_then(|rest| rest.strip_suffix(" additions in 0.5 s"))
            .and_then(|count| count.replace(',', "").parse::<u64>().ok());
        assert!(count.is_some(), "no count from {name}\n{finished}");
    }
    assert_eq!(lines.len(), 2, "{finished}");
}

/// The pid at the end of `line` after `prefix` and before `suffix`.
fn pid_in(line: &str, prefix: &str, suffix: &str) -> Option<u32> {
    line.strip_prefix(prefix)?.strip_suffix(suffix)?.parse().ok()
}

/// processes/fall-through.md: a child that does not leave runs the parent's next line, so it
/// runs in two processes; with `os._exit` it runs once, in the parent.
#[test]
fn fall_through_runs_the_parents_line_in_two_processes() {
    let Some(python) = python3() else { return };
    let finished = python.run("fall_through.py", &[], &[]);
    let lines = finished.stdout_lines();
    let parent = lines.first().and_then(|line| pid_in(line, "before the fork: process ", ""));
    let parent = parent.unwrap_or_else(|| panic!("no `before the fork` line first\n{finished}"));
    let pids = |suffix: &str| -> Vec<u32> {
        lines.iter().filter_map(|line| pid_in(line, "process ", suffix)).collect()
    };
    let twice = pids(": this line ran twice");
    assert!(twice.len() == 2 && twice.contains(&parent) && twice[0] != twice[1], "{twice:?}\n{finished}");
    assert_eq!(pids(": this line ran once"), [parent], "{finished}");
    let children: Vec<u32> =
        lines.iter().filter_map(|line| pid_in(line, "child ", ": doing the child's work")).collect();
    assert!(children.len() == 2 && !children.contains(&parent), "{children:?}\n{finished}");
    assert!(twice.contains(&children[0]), "the first child ran the parent's line\n{finished}");
    assert_eq!(lines.len(), 6, "{finished}");
}

/// processes/double-print.md: into a pipe, line 1 comes out twice (the child that ends with
/// `sys.exit` writes its copy of the buffer), lines 2 and 3 once; with `PYTHONUNBUFFERED=1`
/// every line once.
#[test]
fn double_print_prints_line_1_twice_into_a_pipe_unless_unbuffered() {
    let Some(python) = python3() else { return };
    for (env, first_line_times) in [(&[][..], 2), (&[("PYTHONUNBUFFERED", "1")][..], 1)] {
        let finished = python.run("double_print.py", &[], env);
        for (start, times) in [("1. ", first_line_times), ("2. ", 1), ("3. ", 1)] {
            let count = finished.stdout_lines().iter().filter(|line| line.starts_with(start)).count();
            assert_eq!(count, times, "line {start:?} with {env:?}\n{finished}");
        }
        assert_eq!(finished.stdout_lines().len(), first_line_times + 2, "{finished}");
    }
}

/// processes/fork-with-threads.md: the child exits 0; CPython 3.12 and later warn on stderr,
/// at line 16 (the sample's line number), 3.11 says nothing.
#[test]
fn fork_with_threads_warns_from_3_12() {
    for python in every_python() {
        let finished = python.run("fork_with_threads.py", &[], &[]);
        let expected = format!("child exit status: 0\nCPython {}\n", python.version);
        assert_eq!(finished.stdout, expected, "{finished}");
        if python.release >= (3, 12) {
            for text in [
                "fork_with_threads.py:16: DeprecationWarning: This process (pid=",
                "is multi-threaded, use of fork() may lead to deadlocks in the child.",
            ] {
                assert!(
                    finished.stderr.contains(text),
                    "CPython {}: no {text:?}\n{finished}",
                    python.version
                );
            }
        } else {
            assert_eq!(finished.stderr, "", "CPython {} warned\n{finished}", python.version);
        }
    }
}

/// processes/fork-with-threads.md: the warnings a fork beside a thread gives, by version (3.12
/// and later 0, 1, 1; 3.11 0, 0, 0), and with `PYTHONWARNINGS=default` every one shown.
#[test]
fn fork_warnings_count_by_version_and_filter() {
    for python in every_python() {
        let warns = u32::from(python.release >= (3, 12));
        for (env, expected) in
            [(&[][..], [0, warns, warns]), (&[("PYTHONWARNINGS", "default")][..], [warns; 3])]
        {
            let finished = python.run("fork_warnings.py", &[], env);
            let line = format!(
                "CPython {}: multiprocessing (fork) {}, the same with -W default {}, os.fork() in __main__ {}\n",
                python.version, expected[0], expected[1], expected[2]
            );
            assert_eq!(finished.stdout, line, "with {env:?}\n{finished}");
        }
    }
}

/// processes/pool.md: a worker's death fails every task not yet done, the long one on the
/// healthy worker included, and every later submit; the task done before keeps its result.
#[test]
fn broken_pool_fails_every_task_not_yet_done() {
    let Some(python) = python3() else { return };
    let finished = python.run("broken_pool.py", &[], &[]);
    let broken = "BrokenProcessPool";
    let expected = format!(
        "the task done before: result\nthe dying task: {broken}\n\
         the task running on the other worker: {broken}\n4 queued: {broken} {broken} {broken} {broken}\n\
         a later submit: {broken}\nCPython {}\n",
        python.version
    );
    assert_eq!(finished.stdout, expected, "{finished}");
}

/// python-map.md: `result()` re-raises a task's exception, with its own type; a killed worker
/// breaks the pool: its own task's future and every later submit raise `BrokenProcessPool`.
/// How many of the other four were still undone when the pool saw the death is timing (the
/// page's run: all of them, each takes a second): at least the killed task's.
#[test]
fn futures_errors_reraises_and_breaks_the_pool() {
    let Some(python) = python3() else { return };
    let finished = python.run("futures_errors.py", &[], &[]);
    let lines = finished.stdout_lines();
    let expected_start = [
        "ThreadPoolExecutor: result() re-raised ZeroDivisionError, cause: none",
        "ProcessPoolExecutor: result() re-raised ZeroDivisionError, cause: _RemoteTraceback",
    ];
    assert_eq!(lines.get(..2), Some(&expected_start[..]), "{finished}");
    let broken = lines
        .get(2)
        .and_then(|line| line.strip_prefix("ProcessPoolExecutor: "))
        .and_then(|rest| rest.strip_suffix(" of 5 results raised BrokenProcessPool"))
        .and_then(|count| count.parse::<u32>().ok());
    assert!(broken.is_some_and(|broken| (1..=5).contains(&broken)), "{finished}");
    let expected_end = [
        "ProcessPoolExecutor: a later submit raised BrokenProcessPool:",
        "  A child process terminated abruptly, the process pool is not usable anymore",
    ];
    assert_eq!(lines.get(3..), Some(&expected_end[..]), "{finished}");
    // The output python-map.md shows is a run of this program.
    let sample = find_it_sample("futures-errors.txt");
    for line in expected_start.iter().chain(&expected_end) {
        assert!(sample.contains(line), "find-it/futures-errors.txt lacks {line:?}:\n{sample}");
    }
}

/// The text of the book's sample `name` in `book/src/find-it/`.
fn find_it_sample(name: &str) -> String {
    let path = workspace_root().join("book/src/find-it").join(name);
    fs::read_to_string(&path).unwrap_or_else(|error| panic!("reading {}: {error}", path.display()))
}

/// python-map.md: one figure per kind of access, each a number of ns (how large is the
/// machine's business).
#[test]
fn manager_cost_prints_a_figure_per_access() {
    let Some(python) = python3() else { return };
    let finished = python.run("manager_cost.py", &["1"], &[]);
    let names: Vec<&str> = finished
        .stdout_lines()
        .iter()
        .map(|line| {
            let (name, rest) = line.split_once(": ").unwrap_or_else(|| panic!("{line:?}\n{finished}"));
            let figure = rest.split(' ').next().and_then(|figure| figure.parse::<f64>().ok());
            assert!(figure.is_some() && rest.contains(" ns per access"), "{line:?}\n{finished}");
            name
        })
        .collect();
    let expected = [
        "plain dict read",
        "proxy dict read",
        "plain dict write",
        "proxy dict write",
        "plain list read",
        "proxy list read",
    ];
    assert_eq!(names, expected, "{finished}");
    // The output python-map.md shows is a run of this program: the same figures, in order.
    let sample = find_it_sample("manager-cost.txt");
    let sample_names: Vec<&str> =
        sample.lines().filter_map(|line| line.split_once(": ")).map(|(name, _)| name).collect();
    assert_eq!(sample_names, expected, "find-it/manager-cost.txt:\n{sample}");
}

/// The reader's one command: `run_all.py` runs every program of `book/python/`, and each ends
/// well.
#[test]
fn run_all_runs_every_program_and_each_ends_well() {
    let Some(python) = python3() else { return };
    let finished = python.run("run_all.py", &[], &[]);
    let programs: Vec<String> = fs::read_dir(workspace_root().join("book/python"))
        .expect("book/python")
        .map(|entry| entry.expect("an entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".py") && name != "run_all.py")
        .collect();
    for program in &programs {
        assert!(
            finished.stdout.contains(&format!("\n== {program}")),
            "run_all.py does not run {program}\n{finished}"
        );
    }
    let summary = format!("\n{0} programs: {0} ok\n", programs.len());
    assert!(finished.stdout.ends_with(&summary), "not every program ended well\n{finished}");
}
