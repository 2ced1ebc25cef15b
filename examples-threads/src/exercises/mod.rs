//! The thread exercises (`examples-threads exercise`): the table, in book order, and
//! each exercise's check of the running program, one file each. The exercises'
//! files are in `examples-threads/exercises/`; `shared::exercise` builds and runs
//! them.

use shared::exercise::{Exercise, Exercises};

mod deadlock_order;
mod join_handles;
mod lost_wakeup;

pub use shared::exercise::OPTIONS;

/// Every thread exercise, in book order.
pub static EXERCISES: Exercises = Exercises {
    program: "examples-threads",
    dir: concat!(env!("CARGO_MANIFEST_DIR"), "/exercises"),
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
            name: "deadlock-order",
            task: "make both threads' transfers finish: no deadlock, the balances right",
            page: "threads/exercises.md#deadlock-order",
            hints: [
                "Each thread holds one account and waits for the other's. In which \
             order does each transfer lock the two accounts?",
                "A cycle of waiting needs two threads that take the same two locks in \
             opposite orders. Let `transfer` lock the accounts in one order \
             whichever way the money goes (by name, say): a thread that holds \
             the second then never waits for the first. Reordering one \
             thread's calls leaves the other's.",
                "The deadlock and its fix: book/src/threads/deadlock.md.",
            ],
            loom: false,
            run: Some(deadlock_order::check),
            starter_fails_with: "a deadlock",
            wrong: &[
                ("sleep-between-the-locks", "a deadlock"),
                ("one-thread-in-order", "a deadlock"),
                ("try-lock-gives-up", "moved no money"),
            ],
        },
        Exercise {
            name: "lost-wakeup",
            task: "make `finish` wake every consumer, whenever it comes",
            page: "threads/exercises.md#lost-wakeup",
            hints: [
                "A consumer checks `done`, then waits. What if `finish` runs between \
             the two?",
                "`wait` releases the lock and sleeps in one step, so a change made \
             under the same lock cannot fall between a consumer's check and its \
             sleep. Set `done` while holding the queue's lock (put it inside the \
             Mutex), then notify. A timeout or a second notify only make the \
             lost wake-up rarer.",
                "The rule against lost wake-ups: book/src/threads/condvar.md.",
            ],
            loom: true,
            run: Some(lost_wakeup::check),
            starter_fails_with: "a lost wake-up",
            wrong: &[
                ("notify-before-done", "a lost wake-up"),
                ("wait-timeout", "a lost wake-up"),
                ("notify-again", "a lost wake-up"),
                ("if-instead-of-while", "did not wait again"),
            ],
        },
        Exercise {
            name: "back-pressure",
            task: "hold the producer back: never more than CAPACITY items in the channel",
            page: "threads/exercises.md#back-pressure",
            hints: [
                "How many items does `mpsc::channel()` hold before `send` waits?",
                "An unbounded channel never makes `send` wait. A bounded one, \
             `mpsc::sync_channel(CAPACITY)`, makes it wait while the channel is \
             full: the producer goes at the consumer's pace. A sleep only slows \
             the producer; a `try_send` whose error is ignored drops items.",
                "Bounded channels: book/src/threads/sync-channel.md and \
             book/src/threads/back-pressure.md.",
            ],
            loom: false,
            run: None,
            starter_fails_with: "items existed at once",
            wrong: &[
                ("sleep-in-the-producer", "items existed at once"),
                ("rendezvous", "never held CAPACITY"),
                ("bound-of-the-whole-job", "items existed at once"),
                ("try-send-drops", "was never handled"),
            ],
        },
        Exercise {
            name: "publish",
            task: "make a reader that sees the `ready` flag see the value too",
            page: "threads/exercises.md#publish",
            hints: [
                "The reader saw `ready` set. What makes the store of `data`, made \
             before it, visible to the reader too?",
                "A Release store read by an Acquire load: everything the writer did \
             before the store is visible after the load. It takes both sides; \
             with either one Relaxed there is no pair.",
                "Release and Acquire: book/src/threads/publish.md and \
             book/src/threads/memory-ordering.md.",
            ],
            loom: true,
            run: None,
            starter_fails_with: "still 0",
            wrong: &[
                ("release-store-only", "does not acquire"),
                ("acquire-load-only", "does not release"),
                ("fence-in-the-writer-only", "does not acquire"),
            ],
        },
    ],
};

/// `examples-threads exercise …`.
pub fn run(args: &[String]) -> anyhow::Result<()> {
    EXERCISES.run(args)
}
