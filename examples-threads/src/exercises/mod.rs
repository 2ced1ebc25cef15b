//! The thread exercises (`examples-threads exercise`): the table, in book order, and
//! each exercise's check of the running program, one file each. The exercises'
//! files are in `examples-threads/exercises/`; `shared::exercise` builds and runs
//! them.

use shared::exercise::{Exercise, Exercises};

mod join_handles;

pub use shared::exercise::OPTIONS;

/// Every thread exercise, in book order.
pub static EXERCISES: Exercises = Exercises {
    program: "examples-threads",
    dir: concat!(env!("CARGO_MANIFEST_DIR"), "/exercises"),
    unix_only: None,
    list: &[Exercise {
        name: "join-handles",
        task: "make `Done!` come last, after both threads' lines, on every run",
        page: "threads/exercises.md#join-handles",
        hints: [
            "`thread::spawn` returns something; the starter throws it away.",
            "A `JoinHandle`'s `join()` waits until that thread has finished; a `sleep` \
             only waits for a time, and a thread can always be slower.",
            "The four steps: book/src/threads/steps.md (step 4, join).",
        ],
        loom: false,
        run: Some(join_handles::check),
        starter_fails_with: "before",
        wrong: &[("sleep-instead-of-join", "before"), ("join-only-one", "before")],
    }],
};

/// `examples-threads exercise …`.
pub fn run(args: &[String]) -> anyhow::Result<()> {
    EXERCISES.run(args)
}
