//! Every example that prints a speedup or a timing says, in one line, when the machine was
//! too busy for its figures to mean what its page says, and says nothing on an idle one.
//!
//! The rule, the same in every such example (`say_if_busy` in each thread example, which
//! reads `/proc/loadavg`; `sys::say_if_busy` for the process examples): the machine is too
//! busy when the load average at the start and the CPUs the figures need exceed the CPU
//! count by more than one. The note then reads `note: busy machine: load average 3.05 on 2
//! CPUs; these figures need 2 free`. `LOADAVG`, when set, stands in for the load average:
//! the examples' hook for these tests.
//!
//! - On an idle machine, played with `LOADAVG` at the highest load that is not too busy for
//!   the example's figures, no example prints a note.
//! - On a machine made busy for real, every one prints the note, with the load it read:
//!   the test starts four busy threads per CPU at the lowest priority there is
//!   (`SCHED_IDLE`: they run only on a CPU that nothing else wants, so the examples and any
//!   other work keep the CPUs, yet the kernel counts them in the load average as any
//!   runnable thread), waits until the load average (a minute's average, so about half a
//!   minute) is above the CPU count, then runs every example with nothing standing in.
//!   The busy threads are stopped at the end, whatever happens; they are threads of this
//!   test process, so none can outlive it.
//! - Every example file that reads the clock either says when the machine is busy, the
//!   thread examples with the same function, or is listed here with the reason it prints
//!   no figure a busy machine would skew.

#![cfg(target_os = "linux")] // The load average is read from /proc/loadavg.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use tests::{Bin, Finished, Runner, workspace_root};

/// Every example that prints a speedup or a timing, with its arguments, and how many
/// threads or processes its figures run at once (at most every CPU: [`EVERY_CPU`]).
const TIMED: &[(Bin, &str, &[&str], usize)] = &[
    (Bin::Threads, "cpu-vs-io", &[], EVERY_CPU),
    (Bin::Threads, "rayon", &[], EVERY_CPU),
    (Bin::Threads, "rayon-cutoff", &[], EVERY_CPU),
    (Bin::Threads, "thread-per-wait", &["--waits", "200"], 1),
    (Bin::Threads, "async-vs-threads", &["--waits", "200"], 1),
    (Bin::Threads, "parallel-proof", &[], 2),
    (Bin::Threads, "pinning", &[], 2),
    (Bin::Threads, "false-sharing", &[], 2),
    (Bin::Threads, "contention", &[], EVERY_CPU),
    (Bin::Processes, "cpu-bound", &[], 4),
    (Bin::Processes, "start-costs", &[], 1),
];

/// Figures that run on as many threads as there are CPUs, or more.
const EVERY_CPU: usize = usize::MAX;

/// The example files that read the clock and print no note, each with the reason.
const UNTIMED: &[(&str, &str)] = &[
    ("park.rs", "the time printed is a wait that returns at once: 0 ms, not 5000"),
    ("timer.rs", "the times printed show a timer firing, late by milliseconds on a busy machine"),
    ("atomics.rs", "the clock only bounds a wait; no time is printed"),
    ("publish.rs", "the clock only bounds a wait; no time is printed"),
    ("store_buffering.rs", "the clock only bounds the trials; no time is printed"),
    ("rwlock_writes.rs", "the clock only bounds a wait; no time is printed"),
    ("deadlock.rs", "the clock only bounds the watchdog; the time printed is its deadline"),
    ("zombie.rs", "the clock only bounds a wait; no time is printed"),
    ("terminate.rs", "the clock only bounds a wait; no time is printed"),
    ("process_group.rs", "the clock only bounds a wait; no time is printed"),
];

/// The note's start, and what an example prints where it reads no load average.
const NOTE: &str = "note: busy machine: load average ";
const NOT_READ: &str = "note: no load average read here";

/// Each run's deadline: the longest (a debug build of `cpu-vs-io`) takes a few seconds.
const RUN_DEADLINE: Duration = Duration::from_secs(120);

/// How long the busy threads may take to raise the load average above the CPU count.
const LOAD_DEADLINE: Duration = Duration::from_secs(240);

/// One test at a time: both run every example, and the CPUs are few.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn cpus() -> usize {
    thread::available_parallelism().map_or(1, |cpus| cpus.get())
}

/// The load average over the last minute, the first figure of `/proc/loadavg`.
fn load_average() -> f64 {
    let text = std::fs::read_to_string("/proc/loadavg").expect("reading /proc/loadavg");
    text.split(' ').next().and_then(|load| load.parse().ok()).expect("a number first in /proc/loadavg")
}

/// Runs `name` of `bin` with `args`, `LOADAVG` set to `load` if given; it must succeed.
fn run(bin: Bin, name: &str, args: &[&str], load: Option<&str>) -> Finished {
    let mut runner = Runner::new(bin).args(&[name]).args(args).deadline(RUN_DEADLINE);
    if let Some(load) = load {
        runner = runner.env("LOADAVG", load);
    }
    let finished = runner.run();
    finished.assert_success().assert_no_panic();
    finished
}

/// The lines of `finished` that are a note about the load.
fn notes(finished: &Finished) -> Vec<&str> {
    finished
        .stdout_lines()
        .into_iter()
        .filter(|line| line.starts_with(NOTE) || line.starts_with(NOT_READ))
        .collect()
}

#[test]
fn an_idle_machine_gets_no_note() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let cpus = cpus();
    for &(bin, name, args, at_once) in TIMED {
        // The highest load that leaves the CPUs the figures need, with one to spare.
        let needs = at_once.min(cpus);
        let idle = (cpus + 1 - needs).to_string();
        let finished = run(bin, name, args, Some(&idle));
        assert!(
            notes(&finished).is_empty(),
            "{name}: a note at load average {idle} on {cpus} CPUs\n{finished}"
        );
    }
}

/// Busy threads at the lowest priority, stopped and joined when dropped.
struct BusyThreads {
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
}

impl BusyThreads {
    fn start(count: usize) -> BusyThreads {
        let stop = Arc::new(AtomicBool::new(false));
        let threads = (0..count)
            .map(|_| {
                let stop = Arc::clone(&stop);
                thread::spawn(move || {
                    lowest_priority();
                    while !stop.load(Ordering::Relaxed) {
                        std::hint::spin_loop();
                    }
                })
            })
            .collect();
        BusyThreads { stop, threads }
    }
}

impl Drop for BusyThreads {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        for thread in self.threads.drain(..) {
            // A panic in a busy thread (the priority refused) is reported here, unless the
            // test is already failing.
            if thread.join().is_err() && !thread::panicking() {
                panic!("a busy thread panicked");
            }
        }
    }
}

/// Puts the calling thread under `SCHED_IDLE`, the lowest priority there is.
fn lowest_priority() {
    let param = nix::libc::sched_param { sched_priority: 0 };
    // SAFETY: `sched_setscheduler` only reads `param`, a live local; pid 0 is the calling
    // thread.
    let result = unsafe {
        nix::libc::sched_setscheduler(
            0,                     // The calling thread.
            nix::libc::SCHED_IDLE, // Run only on a CPU nothing else wants.
            &param,                // Its priority: 0, the only one SCHED_IDLE has.
        )
    };
    assert_eq!(result, 0, "sched_setscheduler(SCHED_IDLE): {}", std::io::Error::last_os_error());
}

#[test]
fn a_busy_machine_gets_the_note_from_every_timed_example() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    assert!(std::env::var_os("LOADAVG").is_none(), "unset LOADAVG: this test reads the real load average");
    let cpus = cpus();
    let busy = BusyThreads::start(4 * cpus);
    // Above the CPU count, which makes every example's figures too busy (they need at least
    // one CPU); half a CPU more, so that the average is still above when an example reads it.
    let started = Instant::now();
    while load_average() <= cpus as f64 + 0.5 {
        assert!(
            started.elapsed() < LOAD_DEADLINE,
            "the load average stayed at {} on {cpus} CPUs for {LOAD_DEADLINE:?} of {} busy threads: \
             is /proc/loadavg this machine's?",
            load_average(),
            busy.threads.len()
        );
        thread::sleep(Duration::from_secs(1));
    }
    println!("load average {} on {cpus} CPUs after {:?}", load_average(), started.elapsed());
    for &(bin, name, args, at_once) in TIMED {
        let finished = run(bin, name, args, None);
        let notes = notes(&finished);
        assert_eq!(notes.len(), 1, "{name}: not one note on a busy machine\n{finished}");
        let load: f64 = notes[0][NOTE.len()..]
            .split(' ')
            .next()
            .and_then(|load| load.parse().ok())
            .unwrap_or_else(|| panic!("{name}: no load average in the note\n{finished}"));
        let needs = at_once.min(cpus);
        let rest = format!(" on {cpus} CPUs; these figures need {needs} free");
        assert!(notes[0].ends_with(&rest), "{name}: expected a note ending {rest:?}\n{finished}");
        assert!(load > cpus as f64, "{name}: the note says {load}, not the busy load\n{finished}");
    }
    drop(busy);
}

/// The say_if_busy of the thread examples, as `cpu_vs_io.rs` has it.
fn say_if_busy(source: &str) -> Option<&str> {
    let start = source.find("\n/// Says when the load average")?;
    let end = source[start..].find("\n}\n")?;
    Some(&source[start..start + end + 3])
}

#[test]
fn every_example_that_reads_the_clock_says_when_the_machine_is_busy_or_why_not() {
    let threads = workspace_root().join("examples-threads/src/examples");
    let model = std::fs::read_to_string(threads.join("cpu_vs_io.rs")).expect("reading cpu_vs_io.rs");
    let model = say_if_busy(&model).expect("cpu_vs_io.rs has say_if_busy").to_owned();
    let mut problems = Vec::new();
    for dir in ["examples-threads/src/examples", "examples-processes/src/examples"] {
        for entry in std::fs::read_dir(workspace_root().join(dir)).expect("an examples folder") {
            let path = entry.expect("an entry").path();
            let name = path.file_name().and_then(|name| name.to_str()).unwrap_or("").to_owned();
            let source = std::fs::read_to_string(&path).expect("a readable example");
            let says = source.contains("say_if_busy(");
            let untimed = UNTIMED.iter().any(|(listed, _)| *listed == name);
            if source.contains("Instant::now()") && !says && !untimed {
                problems.push(format!("{dir}/{name}: reads the clock, and neither says when the machine is busy nor is in UNTIMED"));
            }
            if says && untimed {
                problems.push(format!("{dir}/{name}: says when the machine is busy, yet is in UNTIMED"));
            }
            if says && dir.starts_with("examples-threads") && say_if_busy(&source) != Some(model.as_str()) {
                problems.push(format!("{dir}/{name}: its say_if_busy is not cpu_vs_io.rs's"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
