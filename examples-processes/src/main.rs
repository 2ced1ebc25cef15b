//! `examples-processes`: run one process example by name; with no name, the seed
//! program. The table of examples lives here, at the top of the module graph, and
//! the lists of tasks the examples' children run, which each example registers.

use std::process::ExitCode;

use examples_processes::examples::*;
use examples_processes::exercises;
use examples_processes::measure;
use examples_processes::outcomes;
use examples_processes::tasks;
use shared::cli::Example;
use shared::measure::options::OPTIONS as MEASURE_OPTIONS;
use shared::outcomes::OPTIONS_WITH_RAW;

/// Every example, in book order: `(name, summary, run)`. The first one runs by
/// default. One row per line, so the table reads as a table. The rows marked
/// `unix_only` fork, or use process groups or signals: on Windows their `run`
/// explains why they cannot run there (`examples/unix_only.rs`).
#[rustfmt::skip]
const EXAMPLES: &[Example] = &[
    Example::with_args("seed", "the article's program: two processes print numbers and letters, then Done! (spawn way)", OPTIONS_WITH_RAW, outcomes::seed).book("programs.md#the-process-program-the-spawn-way"),
    Example::new("seed-fork", "the same program the fork way: each child is a copy of the parent", seed_fork::run).unix_only().book("programs.md#the-process-program-the-fork-way"),
    Example::new("steps", "the four steps with std::process::Command: create, set the target, start, join", steps::run),
    Example::new("start-methods", "fork, spawn and forkserver on the same task: what each child inherits", start_methods::run),
    Example::new("start-costs", "what starting a child costs: fork, spawn, forkserver, from a 64 MiB parent", start_costs::run).unix_only(),
    Example::new("fork-server", "a fork server started early: every child is forked by it, single-threaded, not by us", fork_server::run).unix_only(),
    Example::new("cow", "copy-on-write: a forked child's write is invisible to the parent; nothing is copied until written", cow::run).unix_only(),
    Example::with_args("double-print", "text buffered before fork is printed twice; flushing first fixes it", OPTIONS_WITH_RAW, outcomes::double_print).unix_only(),
    Example::new("fall-through", "a forked child that does not exit runs the rest of the parent's code", fall_through::run).unix_only(),
    Example::new("exit-status", "children exit with a code, panic, abort, crash, are killed: each reported, the parent carries on", exit_status::run),
    Example::new("terminate", "terminate (SIGTERM: the child may clean up) vs kill (SIGKILL: it cannot)", terminate::run),
    Example::new("process-group", "one signal to a process group ends a child and all its grandchildren", process_group::run).unix_only(),
    Example::new("orphan", "an orphan learns its parent ended: a lifeline pipe, on every platform", orphan::run),
    Example::new("parent-death-signal", "PR_SET_PDEATHSIG (Linux): an orphan is signalled when its parent ends", parent_death_signal::run).unix_only(),
    Example::new("zombie", "an ended child not yet waited for is a zombie (state Z); wait removes it", zombie::run).unix_only(),
    Example::new("signal-thread", "a signal to a process with threads: masks inherited, one thread takes each with sigwait", signal_thread::run).unix_only(),
    Example::new("fork-pipe", "a pipe made before a fork: the child writes, the parent reads to end of file", fork_pipe::run).unix_only().book("processes/pipes.md#a-pipe-made-before-a-fork"),
    Example::new("pipes", "a child's stdin and stdout as pipes: the parent writes, the echo child answers", pipes::run),
    Example::new("pipe-deadlock", "writing 1 MiB to a child before reading: the 64 KiB pipe deadlock, bounded", pipe_deadlock::run),
    Example::new("pipe-writer-thread", "the pipe deadlock's fix: a thread writes the child's stdin while another reads", pipe_writer_thread::run).book("processes/pipe-deadlock.md#the-fix-write-and-read-at-the-same-time"),
    Example::new("queue", "multiprocessing.Queue: length-prefixed messages from several producers, none lost or torn", queue::run),
    Example::new("shared-memory", "MAP_SHARED atomic counter exact, MAP_PRIVATE unchanged, load-then-store loses updates", shared_memory::run).unix_only(),
    Example::new("pass-fd", "a Unix-domain socket by name, and an open memfd sent over it (SCM_RIGHTS) to another process", pass_fd::run).unix_only(),
    Example::new("pool", "a process pool: results in input order, a crashed worker reported and replaced", pool::run),
    Example::new("pool-ctrl-c", "Ctrl-C ends a process pool and every one of its workers", pool_ctrl_c::run),
    Example::new("fork-with-threads", "fork while another thread holds a Mutex: the child blocks forever (bounded, killed)", fork_with_threads::run).unix_only(),
    Example::new("fork-stdout-lock", "the same with stdout's lock, which every println! takes: the child's first line never comes", fork_stdout_lock::run).unix_only().book("processes/fork-with-threads.md#stdouts-lock"),
    Example::new("rayon-after-fork", "rayon's pool used in a forked child hangs: its threads were not copied", rayon_after_fork::run).unix_only(),
    Example::new("cpu-bound", "a CPU-bound job over 1, 2, 4 processes and threads: speedups side by side", cpu_bound::run),
    // Not examples: the exercises and the measurement command, last.
    Example::with_args("exercise", "the exercises: start one, check it, get a hint", exercises::OPTIONS, exercises::run)
        .source("examples-processes/src/exercises/mod.rs").book("processes/exercises.md"),
    Example::with_args("measure", "measure fork and spawn cost against parent memory, speedups, handoff", MEASURE_OPTIONS, measure::run)
        .source("examples-processes/src/measure/mod.rs").book("measurements.md"),
];

// ANCHOR: tasks
/// Every task a child can be asked to run. Each example registers its own tasks
/// beside its code (the seed's: `seed::TASKS`); they are collected here, and
/// nothing else can be run through the hidden argument.
const TASKS: &[&[tasks::Task]] = &[
    seed::TASKS,
    pipes::TASKS,
    orphan::TASKS,
    exit_status::TASKS,
    pool::TASKS,
    pool_ctrl_c::TASKS,
];
const TASKS_WITH_ARGS: &[&[tasks::TaskWithArgs]] = &[
    tasks::COMMON,
    steps::TASKS_WITH_ARGS,
    start_methods::TASKS_WITH_ARGS,
    #[cfg(unix)] // Process groups are Unix's.
    process_group::TASKS_WITH_ARGS,
    queue::TASKS_WITH_ARGS,
    #[cfg(unix)] // Unix-domain sockets and SCM_RIGHTS are Unix's.
    pass_fd::TASKS_WITH_ARGS,
    cpu_bound::TASKS_WITH_ARGS,
];
// ANCHOR_END: tasks

fn main() -> ExitCode {
    // First of all: is this process a child started to run one task? (Rust's
    // `if __name__ == "__main__":` guard; see `tasks::run_if_requested`.)
    if let Some(exit_code) = tasks::run_if_requested(TASKS, TASKS_WITH_ARGS) {
        return exit_code;
    }
    shared::cli::main(
        "examples-processes",
        "the process examples of Threads & Processes in Rust",
        EXAMPLES,
    )
}
