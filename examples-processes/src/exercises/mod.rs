//! The process exercises (`examples-processes exercise`): the table, in book order,
//! and each exercise's check of the running program, one file each. The exercises'
//! files are in `examples-processes/exercises/`; `shared::exercise` builds and runs
//! them.

use shared::exercise::{Exercise, Exercises};

mod crash_signal;
mod double_print;
mod lifeline;
mod os;
mod pipe_deadlock;
mod process_pool;
mod reap_zombie;
mod spawn_not_fork;

pub use shared::exercise::OPTIONS;

/// Every process exercise, in book order.
pub static EXERCISES: Exercises = Exercises {
    program: "examples-processes",
    dir: concat!(env!("CARGO_MANIFEST_DIR"), "/exercises"),
    unix_only: Some(os::UNIX_ONLY),
    list: &[
        Exercise {
            name: "double-print",
            task: "make each line come out once, though the program forks",
            page: "processes/exercises.md#double-print",
            hints: [
                "Which process prints the second header? Look at what the child \
                 flushes.",
                "`fork` copies the parent's memory, and a `BufWriter`'s buffer is \
                 memory: whatever is in it at the fork is printed by both. Empty it \
                 before the fork.",
                "Why text comes out twice after a fork: \
                 book/src/processes/double-print.md.",
            ],
            loom: false,
            run: Some(double_print::check),
            starter_fails_with: "2 times",
            wrong: &[
                ("flush-after-the-fork", "2 times"),
                ("child-does-not-flush", "0 times"),
            ],
        },
        Exercise {
            name: "crash-signal",
            task: "report a crashed child by its signal's name, and carry on",
            page: "processes/exercises.md#crash-signal",
            hints: [
                "What does `ExitStatus::code()` return for a child that never \
                 called `exit`?",
                "A child killed by a signal has no exit code: `code()` is `None`; \
                 on Unix, `ExitStatusExt::signal()` gives the number, and the \
                 status's `Display` names it.",
                "How children end, and how the parent reads it: \
                 book/src/processes/exit-status.md.",
            ],
            loom: false,
            run: Some(crash_signal::check),
            starter_fails_with: "the parent ended with",
            wrong: &[
                ("failed-without-the-signal", "does not name its signal"),
                ("stop-at-the-first-failure", "the parent ended with"),
            ],
        },
        Exercise {
            name: "lifeline",
            task: "make the child end soon after its parent dies, even by SIGKILL",
            page: "processes/exercises.md#lifeline",
            hints: [
                "A parent killed by SIGKILL runs no code of its own: what does the \
                 kernel do for every process that ends, however it ends?",
                "It closes the process's files. Give the child a pipe as its stdin \
                 whose only write end the parent holds; a child thread that reads \
                 it sees end of file when the parent is gone.",
                "The lifeline pipe: book/src/processes/orphan.md.",
            ],
            loom: false,
            run: Some(lifeline::check),
            starter_fails_with: "after its parent was killed",
            wrong: &[
                ("check-the-parent-once", "after its parent was killed"),
                ("inherit-stdin", "while its parent still lived"),
            ],
        },
        Exercise {
            name: "reap-zombie",
            task: "let no child stay a zombie while the parent does its other work",
            page: "processes/exercises.md#reap-zombie",
            hints: [
                "`spawn` returns a `Child`; what does the starter do with it after?",
                "An ended child stays a zombie until its parent collects its exit \
                 status with `wait`; dropping or killing a `Child` collects nothing.",
                "Zombies and reaping: book/src/processes/zombie.md; step 4, join: \
                 book/src/processes/steps.md.",
            ],
            loom: false,
            run: Some(reap_zombie::check),
            starter_fails_with: "zombies",
            wrong: &[
                ("kill-without-wait", "zombies"),
                ("wait-for-the-first-only", "zombies"),
                ("drop-the-children", "zombies"),
            ],
        },
        Exercise {
            name: "pipe-deadlock",
            task: "make the parent get every line back from `cat`, whatever their number",
            page: "processes/exercises.md#pipe-deadlock",
            hints: [
                "Where is each process blocked? A pipe holds 64 KiB on Linux, and \
                 `cat` writes as it reads.",
                "Someone must read `cat`'s stdout while the parent is still writing \
                 its stdin: two things at once, so two threads.",
                "The deadlock and its fix: book/src/processes/pipe-deadlock.md.",
            ],
            loom: false,
            run: Some(pipe_deadlock::check),
            starter_fails_with: "deadlock",
            wrong: &[
                ("bigger-buffer", "deadlock"),
                ("write-in-two-halves", "deadlock"),
            ],
        },
        Exercise {
            name: "spawn-not-fork",
            task: "start the child so that it never hangs on a lock another thread held",
            page: "processes/exercises.md#spawn-not-fork",
            hints: [
                "The child hangs on the log's lock. Which thread holds it, and does \
                 that thread exist in the child?",
                "`fork` copies memory, the held lock included, but only the calling \
                 thread: nothing in the child will ever unlock it. Start a fresh \
                 program instead (`Command`, this program again with an argument).",
                "Fork in a program with threads: \
                 book/src/processes/fork-with-threads.md.",
            ],
            loom: false,
            run: Some(spawn_not_fork::check),
            starter_fails_with: "it hung",
            wrong: &[
                ("sleep-before-the-fork", "it hung"),
                ("try-lock-in-the-child", "0 times"),
            ],
        },
        Exercise {
            name: "process-pool",
            task: "finish a process pool: crashes reported and replaced, Ctrl-C ends every \
                   worker, nothing waits for ever",
            page: "processes/capstone.md",
            hints: [
                "Two places: what the pool does when a worker's output ends (`None`), and \
                 what `main` does when `map` fails because of Ctrl-C.",
                "A worker whose output ended has died: `wait()` for it (its signal, and no \
                 zombie), fail only its job, start a new worker in its place. On Ctrl-C the \
                 workers ignore SIGINT: kill each one and wait for it, then exit.",
                "The book: processes/capstone.md, and the pool it builds on: \
                 processes/pool.md and processes/pool-ctrl-c.md.",
            ],
            loom: false,
            run: Some(process_pool::check),
            starter_fails_with: "did not finish",
            wrong: &[
                ("completion-order", "not in the jobs' order"),
                ("crashed-worker-not-replaced", "a crash must fail only its own job"),
                ("drop-the-pool-on-ctrl-c", "left worker processes behind"),
                ("kill-without-wait", "zombies never waited for"),
            ],
        },
    ],
};

/// `examples-processes exercise …`.
pub fn run(args: &[String]) -> anyhow::Result<()> {
    EXERCISES.run(args)
}
