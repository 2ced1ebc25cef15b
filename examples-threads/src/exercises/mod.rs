//! The thread exercises (`examples-threads exercise`): the table, in book order, and
//! each exercise's check of the running program, one file each. The exercises'
//! files are in `examples-threads/exercises/`; `shared::exercise` builds and runs
//! them.

use shared::exercise::{Exercise, Exercises};

mod deadlock_order;
mod join_handles;
mod lost_update;
mod lost_wakeup;

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
                 channels: book/src/threads/channels.md; the forgotten `drop(tx)`: \
                 book/src/threads/forgotten-drop.md.",
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
