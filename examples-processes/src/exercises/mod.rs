//! The process exercises (`examples-processes exercise`): the table, in book order,
//! and each exercise's check of the running program, one file each. The exercises'
//! files are in `examples-processes/exercises/`; `shared::exercise` builds and runs
//! them.

use shared::exercise::{Exercise, Exercises};

mod process_pool;

pub use shared::exercise::OPTIONS;

/// Every process exercise, in book order.
pub static EXERCISES: Exercises = Exercises {
    program: "examples-processes",
    dir: concat!(env!("CARGO_MANIFEST_DIR"), "/exercises"),
    list: &[Exercise {
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
    }],
};

/// `examples-processes exercise …`.
pub fn run(args: &[String]) -> anyhow::Result<()> {
    EXERCISES.run(args)
}
