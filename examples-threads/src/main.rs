//! `examples-threads`: run one thread example by name; with no name, the seed
//! program.

use std::process::ExitCode;

use examples_threads::examples::*;
use examples_threads::{exercises, measure, outcomes};
use shared::cli::Example;
use shared::measure::options::OPTIONS as MEASURE_OPTIONS;
use shared::outcomes::{OPTIONS, OPTIONS_WITH_BUG, OPTIONS_WITH_RAW};

/// The option `thread-per-wait` and `async-vs-threads` read from `std::env::args`.
const WAITS_OPTIONS: &[(&str, &str)] =
    &[("--waits N", "how many concurrent waits to start (N > 0; 10,000 without it)")];

/// Every example, in book order: `(name, summary, run)`. The first one runs by
/// default. One row per line, so the table reads as a table.
#[rustfmt::skip]
const EXAMPLES: &[Example] = &[
    Example::with_args("seed", "the article's program: two threads print numbers and letters, then Done!", OPTIONS_WITH_RAW, outcomes::seed::run).book("programs.md#the-thread-program"),
    Example::new("steps", "the four steps (create, set the target, start, join) with thread::Builder", steps::main),
    Example::new("scoped", "thread::scope: threads borrow local data, all joined at the scope's end", scoped::main),
    Example::new("shared-state", "Arc<Mutex<T>>: a counter and a log shared by four threads", shared_state::main),
    Example::with_args("race", "the lost update (atomic load + store), and three exact fixes", OPTIONS, outcomes::race::run),
    Example::new("send-sync", "what Send and Sync forbid (compile_fail doc tests), and what works", send_sync::main),
    Example::new("channels", "mpsc: several producers, one receiver, a loop that ends with the last sender", channels::main),
    Example::new("forgotten-drop", "the forgotten drop(tx): recv_timeout catches a live sender instead of hanging", forgotten_drop::main),
    Example::new("sync-channel", "mpsc::sync_channel: a bounded channel's back-pressure, and capacity 0, a rendezvous", sync_channel::main),
    Example::new("back-pressure", "crossbeam's bounded channel: a fast producer held back by a slow consumer", back_pressure::main),
    Example::new("select", "crossbeam's select!: two channels and a timeout at once", select::main),
    Example::with_args("condvar", "Condvar (Python's Condition): consumers sleep until there is work", OPTIONS_WITH_BUG, outcomes::condvar::run),
    Example::new("barrier", "Barrier: no thread starts phase 2 before all finish phase 1", barrier::main),
    Example::new("rwlock", "RwLock: many readers at once, or one writer alone", rwlock::main),
    Example::new("rwlock-writes", "RwLock under a writer: every read sees a whole version, never half", rwlock_writes::main),
    Example::new("event", "Event (Python's Event), hand-built: wait until a flag is set", event::main),
    Example::new("semaphore", "Semaphore and BoundedSemaphore, hand-built: at most N at once", semaphore::main),
    Example::new("timer", "a cancellable Timer (Python's Timer) from a channel with a timeout", timer::main),
    Example::new("as-completed", "concurrent.futures' as_completed: a pool, results as they finish, cancel on error", as_completed::main),
    Example::new("atomics", "an atomic stop flag and progress counter, both Relaxed", atomics::main),
    Example::new("publish", "Release/Acquire: one thread publishes a value, another reads it", publish::main),
    Example::new("memory-ordering", "happens-before: the edges Rust gives for free (spawn, join, unlock/lock, send/recv)", memory_ordering::main),
    Example::with_args("store-buffering", "the store-buffering litmus test run for real: Relaxed, Release/Acquire, SeqCst", OPTIONS, outcomes::store_buffering::run),
    Example::new("false-sharing", "two counters on one cache line vs padded apart: the same work, timed", false_sharing::main),
    Example::new("contention", "one count, 1 to 8 threads: a Mutex, one atomic, a sharded counter, timed", contention::main),
    Example::new("thread-local", "thread_local! (Python's threading.local): a value per thread", thread_local::main),
    Example::new("once", "OnceLock and LazyLock: the initialiser runs once however many threads race", once::main),
    Example::new("park", "thread::park and unpark, and the wake-up token", park::main),
    Example::new("panics", "a thread's panic comes back: join's Err, and a panic in a scope", panics::main),
    Example::new("poison", "a thread that panics holding a Mutex poisons it; into_inner recovers", poison::main),
    Example::new("detached", "daemon threads: a thread nobody joins dies with main", detached::main),
    Example::new("join-timeout", "join with a timeout, from a channel: is the thread still running?", join_timeout::main),
    Example::new("rayon", "par_iter vs sequential (same sum, faster), rayon::join, a pool of our own", rayon::main),
    Example::new("rayon-cutoff", "the input size below which rayon's par_iter is slower than a plain loop", rayon_cutoff::main).book("threads/rayon.md#rayon-cutoff"),
    Example::new("cpu-vs-io", "CPU-bound vs waiting-bound tasks on 1, 2, 4, 8 threads: speedups", cpu_vs_io::main),
    Example::with_args("thread-per-wait", "10,000 waits, one OS thread each: start, total time, memory", WAITS_OPTIONS, |_| thread_per_wait::main()),
    Example::with_args("async-vs-threads", "10,000 waits as OS threads and as tokio tasks: start, total time, memory", WAITS_OPTIONS, |_| async_vs_threads::main()),
    Example::new("parallel-proof", "two threads on two CPUs at the same instant, proved from timestamps", parallel_proof::main),
    Example::new("affinity", "the CPUs a process may use: its affinity mask, its cgroup quota, available_parallelism()", affinity::main),
    Example::new("pinning", "two threads pinned to one CPU can only take turns: at once for 0 ms", pinning::main).book("threads/affinity.md#pinning"),
    Example::with_args("deadlock", "ABBA deadlock caught by a watchdog, then fixed by one lock order", OPTIONS, outcomes::deadlock::run),
    Example::with_args("torn-lines", "println! never tears a line; print! pieces do; stdout().lock()", OPTIONS_WITH_RAW, outcomes::torn_lines::run),
    // Not examples: the exercises, the measurement command and the timelines, last.
    Example::with_args("exercise", "the exercises: start one, check it, get a hint", exercises::OPTIONS, exercises::run)
        .source("examples-threads/src/exercises/mod.rs").book("threads/exercises.md"),
    Example::with_args("measure", "measure thread cost against stack size, memory per thread, speedups", MEASURE_OPTIONS, measure::run)
        .source("examples-threads/src/measure/mod.rs").book("measurements.md"),
    // Not an example either: the examples' workloads recorded as the book's timelines.
    Example::with_args("timeline", "parallel-proof, cpu-vs-io or rayon, recorded: which thread ran when, on which CPU", measure::traced::OPTIONS, measure::traced::run)
        .source("examples-threads/src/measure/traced.rs").book("measurements.md#timelines-who-ran-when"),
];

fn main() -> ExitCode {
    shared::cli::main(
        "examples-threads",
        "the thread examples of Threads & Processes in Rust",
        EXAMPLES,
    )
}
