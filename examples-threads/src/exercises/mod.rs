//! The thread exercises (`examples-threads exercise`): the table, in book order, and
//! each exercise's check of the running program, one file each. The exercises'
//! files are in `examples-threads/exercises/`; `shared::exercise` builds and runs
//! them.

use shared::exercise::{Exercise, Exercises};

mod join_handles;
mod lost_update;

pub use shared::exercise::OPTIONS;

/// Every thread exercise, in book order.
pub static EXERCISES: Exercises = Exercises {
    program: "examples-threads",
    dir: concat!(env!("CARGO_MANIFEST_DIR"), "/exercises"),
    unix_only: None,
    list: &[
        Exercise {
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
            wrong: &[
                ("sleep-instead-of-join", "before"),
                ("join-only-one", "before"),
            ],
        },
        Exercise {
            name: "split-work",
            task: "split the numbers evenly between the threads, each number done once",
            page: "threads/exercises.md#split-work",
            hints: [
                "1000 numbers on 6 threads: how many does each thread get, and who does \
                 the last four?",
                "With `n = q * threads + r`, even is `r` parts of `q + 1` and the others \
                 of `q`. One way: thread `i` starts at `i * n / threads` and ends where \
                 thread `i + 1` starts.",
                "Threads that borrow parts of the data: book/src/threads/scoped.md; \
                 CPU-bound work on threads: book/src/threads/cpu-vs-io.md.",
            ],
            loom: false,
            run: None,
            starter_fails_with: "was never done",
            wrong: &[
                ("remainder-to-the-last", "differ by 4"),
                ("rounded-up-chunks", "differ by 2"),
                ("extra-thread-for-the-remainder", "returned 7 parts"),
                ("overlapping-parts", "done 2 times"),
            ],
        },
        Exercise {
            name: "race-atomic",
            task: "make `increment` lose no update, the counter still an `AtomicU64`",
            page: "threads/exercises.md#race-atomic",
            hints: [
                "Two threads read 41; what does each of them write, and what is the \
                 count after both?",
                "Each of `load` and `store` is atomic, but the pair is two steps, and \
                 no ordering makes it one. An atomic has a method that reads, adds and \
                 writes in one indivisible step.",
                "The lost update and its three fixes: book/src/threads/race.md; \
                 atomics: book/src/threads/atomics.md.",
            ],
            loom: true,
            run: Some(lost_update::check),
            starter_fails_with: "an increment was lost",
            wrong: &[
                ("seqcst-load-and-store", "an increment was lost"),
                ("compare-exchange-once", "an increment was lost"),
                ("swap-a-loaded-value", "an increment was lost"),
                ("yield-first", "an increment was lost"),
            ],
        },
        Exercise {
            name: "race-mutex",
            task: "make `increment` lose no update, with the `Mutex` the counter has",
            page: "threads/exercises.md#race-mutex",
            hints: [
                "`get` and `set` each take the lock. Is it held between them?",
                "A lock protects what happens while it is held. The read and the write \
                 of one increment must happen under one lock, through one guard; a \
                 second `lock` from the thread that holds it never returns.",
                "The lost update and its three fixes: book/src/threads/race.md; \
                 `Arc<Mutex<T>>`: book/src/threads/shared-state.md.",
            ],
            loom: true,
            run: Some(lost_update::check),
            starter_fails_with: "an increment was lost",
            wrong: &[
                ("lock-around-both-calls", "deadlock: every thread waits"),
                ("lock-for-the-write-only", "an increment was lost"),
                ("two-lock-calls", "an increment was lost"),
            ],
        },
        Exercise {
            name: "race-channel",
            task: "make one thread own the count, the others send it their increments",
            page: "threads/exercises.md#race-channel",
            hints: [
                "What if no two threads ever touched the same counter?",
                "Make a channel; the owner thread loops over the receiver and adds up \
                 what comes, the others send. The owner's loop ends only when every \
                 sender is gone, the one `count` made included.",
                "The lost update and its three fixes: book/src/threads/race.md; \
                 channels and the forgotten `drop(tx)`: book/src/threads/channels.md.",
            ],
            loom: false,
            run: Some(lost_update::check),
            starter_fails_with: "increments lost",
            wrong: &[
                ("drop-the-sender-too-late", "did not return within"),
                ("try-iter", "did the owner stop before every increment had come"),
                ("shared-fetch-add", "the count is still shared"),
            ],
        },
    ],
};

/// `examples-threads exercise …`.
pub fn run(args: &[String]) -> anyhow::Result<()> {
    EXERCISES.run(args)
}
