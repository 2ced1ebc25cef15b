//! The chapter "Find it with a tool" (book/src/find-it.md) shows real output of each tool run on
//! our programs, kept in `book/src/find-it/*.txt`. These tests run the tools that work on stable
//! Linux (strace, `/usr/bin/time`, ps) and the Python programs of the Python → Rust map's process
//! tools (`book/python/`) with their Rust counterpart, and check that the key lines of each
//! sample are there in the live run too. Loom and shuttle run in their own tests
//! (`examples-threads/tests/`), Miri, ThreadSanitizer and py-spy in `.ci/tools`.
//!
//! A tool that is not installed skips its test with a note on stderr, unless the environment
//! variable `TOOLS_REQUIRED=1` is set, as CI sets it after installing them.

#![cfg(target_os = "linux")] // The harness needs Linux, and so do strace and /proc.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use tests::{Bin, Runner, binary, run_command, workspace_root};

/// The text of sample `name` in `book/src/find-it/`.
fn sample(name: &str) -> String {
    let path = workspace_root().join("book/src/find-it").join(name);
    fs::read_to_string(&path).unwrap_or_else(|error| panic!("reading {}: {error}", path.display()))
}

/// Panics unless every one of `keys` is in both the live output and the book's sample.
#[track_caller]
fn assert_keys(sample_name: &str, live: &str, keys: &[&str]) {
    let sample = sample(sample_name);
    for key in keys {
        assert!(sample.contains(key), "the book's sample {sample_name} lacks {key:?}:\n{sample}");
        assert!(live.contains(key), "the live run for {sample_name} lacks {key:?}:\n{live}");
    }
}

/// Whether `tool` is on PATH (or is a path that exists). When it is not, says so on stderr;
/// under `TOOLS_REQUIRED=1` that fails the test instead.
fn have(tool: &str) -> bool {
    let found = if tool.contains('/') {
        Path::new(tool).exists()
    } else {
        let mut command = Command::new("sh");
        command.args(["-c", &format!("command -v {tool}")]);
        run_command(command, Duration::from_secs(10)).status.success()
    };
    if !found {
        assert!(
            std::env::var("TOOLS_REQUIRED").as_deref() != Ok("1"),
            "{tool} is not installed, and TOOLS_REQUIRED=1"
        );
        eprintln!("skipped: {tool} is not installed (set TOOLS_REQUIRED=1 to fail instead)");
    }
    found
}

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tools-{name}-{}", std::process::id()));
    if dir.exists() {
        fs::remove_dir_all(&dir).expect("removing an old scratch directory");
    }
    fs::create_dir_all(&dir).expect("creating a scratch directory");
    dir
}

/// Runs `bin example` under `strace -f`, tracing the calls that create and wait for threads and
/// processes; returns strace's log.
fn strace(bin: Bin, example: &str) -> String {
    let dir = scratch(&format!("strace-{example}"));
    let log = dir.join("strace.txt");
    let program = binary(bin);
    Runner::program("strace")
        .args(&["-f", "-e", "trace=clone,clone3,fork,vfork,execve,wait4,waitid,pidfd_open"])
        .args(&["-o", log.to_str().expect("a UTF-8 path")])
        .args(&[program.to_str().expect("a UTF-8 path"), example])
        .deadline(Duration::from_secs(60))
        .run()
        .assert_success();
    let text = fs::read_to_string(&log).expect("strace's log");
    fs::remove_dir_all(&dir).expect("removing the scratch directory");
    text
}

/// The thread example: each `thread::spawn` is a `clone3` sharing memory, files and signal
/// handlers, as a thread (`CLONE_THREAD`).
#[test]
fn strace_shows_a_clone3_per_thread() {
    if !have("strace") {
        return;
    }
    let log = strace(Bin::Threads, "seed");
    let thread_flags = "clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD";
    assert_eq!(log.matches(thread_flags).count(), 2, "two threads, two clone3 calls:\n{log}");
    assert_keys("strace-threads-seed.txt", &log, &[thread_flags]);
}

/// The spawn way: `Command::spawn` goes through `posix_spawn`, a `clone3` with
/// `CLONE_VM|CLONE_VFORK`, then `execve` of our own binary with the hidden task, then `wait4`.
#[test]
fn strace_shows_command_using_posix_spawn() {
    if !have("strace") {
        return;
    }
    let log = strace(Bin::Processes, "seed");
    assert_eq!(log.matches("clone3({flags=CLONE_VM|CLONE_VFORK, exit_signal=SIGCHLD").count(), 2, "{log}");
    assert_keys(
        "strace-processes-seed.txt",
        &log,
        &[
            "clone3({flags=CLONE_VM|CLONE_VFORK, exit_signal=SIGCHLD",
            "\"__task\", \"numbers\"",
            "\"__task\", \"letters\"",
            "wait4(",
            "WIFEXITED(s) && WEXITSTATUS(s) == 0",
        ],
    );
}

/// The fork way: glibc's `fork()` is a `clone` with no `CLONE_VM` (the child gets a copy of
/// the memory), and no `execve` follows in the children.
#[test]
fn strace_shows_fork_as_clone_without_clone_vm() {
    if !have("strace") {
        return;
    }
    let log = strace(Bin::Processes, "seed-fork");
    let fork_flags = "flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD";
    assert_eq!(log.matches(fork_flags).count(), 2, "two forked children:\n{log}");
    assert_eq!(log.matches("execve(").count(), 1, "only the parent's own execve:\n{log}");
    assert_keys("strace-processes-seed-fork.txt", &log, &[fork_flags, "wait4("]);
}

/// `/usr/bin/time -v` counts the context switches of `cpu-vs-io`: voluntary ones (a thread
/// that sleeps or waits gives up the CPU) and involuntary ones (the scheduler takes it away).
#[test]
fn time_counts_context_switches_of_cpu_vs_io() {
    if !have("/usr/bin/time") {
        return;
    }
    let program = binary(Bin::Threads);
    let finished = Runner::program("/usr/bin/time")
        .args(&["-v", program.to_str().expect("a UTF-8 path"), "cpu-vs-io"])
        .deadline(Duration::from_secs(120))
        .run();
    finished.assert_success();
    let count = |label: &str| -> u64 {
        let line = finished.stderr.lines().find(|line| line.trim_start().starts_with(label));
        let line = line.unwrap_or_else(|| panic!("no {label:?} line:\n{finished}"));
        line.rsplit(' ').next().and_then(|number| number.parse().ok()).expect("a count")
    };
    // 15 of its threads sleep (1 + 2 + 4 + 8 in the waiting half): each sleep is at least
    // one voluntary switch.
    assert!(count("Voluntary context switches:") >= 15, "{finished}");
    count("Involuntary context switches:");
    assert_keys(
        "time-cpu-vs-io.txt",
        &finished.stderr,
        &["Voluntary context switches:", "Involuntary context switches:", "Maximum resident set size"],
    );
}

/// `ps -L` lists a process's threads (LWP, light-weight process: the kernel's thread id) while
/// `cpu-vs-io` runs.
#[test]
fn ps_lists_the_threads_of_cpu_vs_io() {
    if !have("ps") {
        return;
    }
    let mut example = Command::new(binary(Bin::Threads))
        .arg("cpu-vs-io")
        .stdout(Stdio::null())
        .spawn()
        .expect("starting cpu-vs-io");
    let pid = example.id().to_string();
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut most = 0;
    let mut listing = String::new();
    while Instant::now() < deadline && example.try_wait().expect("polling cpu-vs-io").is_none() {
        let mut ps = Command::new("ps");
        ps.args(["-L", "-o", "pid,lwp,stat,comm", "-p", &pid]);
        let output = run_command(ps, Duration::from_secs(10));
        let threads = output.stdout.lines().skip(1).count();
        if threads > most {
            (most, listing) = (threads, output.stdout);
        }
        // The main thread and at least two of its workers: enough.
        if most > 2 {
            break;
        }
        thread::sleep(Duration::from_millis(20));
    }
    // Seen enough, or the deadline passed: end it if it has not ended.
    if example.try_wait().expect("polling cpu-vs-io").is_none() {
        example.kill().expect("killing cpu-vs-io");
    }
    example.wait().expect("reaping cpu-vs-io");
    assert!(most > 1, "ps -L never saw more than the main thread:\n{listing}");
    assert_keys("ps-threads.txt", &listing, &["PID", "LWP", "examples-thread"]);
}

/// The figures a measurement prints: `NAME: N ns per access (…)`, each parsed.
fn per_access(output: &str) -> Vec<(String, f64)> {
    output
        .lines()
        .map(|line| {
            let (name, rest) = line.split_once(": ").unwrap_or_else(|| panic!("no figure in {line:?}"));
            let number = rest.split(' ').next().and_then(|number| number.parse().ok());
            (name.to_owned(), number.unwrap_or_else(|| panic!("no number in {line:?}")))
        })
        .collect()
}

/// The Rust counterpart: a server process answering over a pipe, built as a cargo example.
#[test]
fn manager_server_answers_over_a_pipe() {
    let program = cargo_example("examples-processes", "manager_server");
    let finished = Runner::program(program).args(&["1"]).deadline(Duration::from_secs(60)).run();
    finished.assert_success().assert_no_panic();
    let names: Vec<String> = per_access(&finished.stdout).into_iter().map(|(name, _)| name).collect();
    assert_eq!(names, ["plain map read", "server map read", "plain map write", "server map write"]);
    assert_keys("manager-server.txt", &finished.stdout, &["server map read: ", "ns per access (median of"]);
}

/// Builds cargo example `example` of `package` into this test's target directory and profile,
/// and returns its path.
fn cargo_example(package: &str, example: &str) -> PathBuf {
    // This test executable is `<target>/<profile>/deps/<name>-<hash>`.
    let test_exe = std::env::current_exe().expect("the test's own executable path");
    let profile_dir = test_exe.parent().and_then(Path::parent).expect("<target>/<profile>");
    let target_dir = profile_dir.parent().expect("<target>");
    let profile = match profile_dir.file_name().and_then(|name| name.to_str()) {
        Some("debug") => "dev",
        Some(other) => other,
        None => panic!("unexpected profile directory {}", profile_dir.display()),
    };
    let mut command = Command::new(env!("CARGO"));
    command
        .args(["build", "--quiet", "--profile", profile, "-p", package, "--example", example])
        .env("CARGO_TARGET_DIR", target_dir)
        .current_dir(workspace_root());
    let output = run_command(command, Duration::from_secs(600));
    assert!(output.status.success(), "building {example} failed:\n{}", output.stderr);
    profile_dir.join("examples").join(example)
}
