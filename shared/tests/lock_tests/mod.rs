//! What CPython's `Lib/test/lock_tests.py` takes from its helpers (`Bunch`,
//! `wait_threads_blocked`, `support.sleeping_retry`), rebuilt with a deadline on every wait, so
//! that a divergence fails the test instead of hanging it.
//!
//! The threads of a [`Bunch`] are detached, not scoped: a thread stuck in a wait that should
//! have returned is left behind (the test binary ends anyway), and the test fails with a message
//! saying how many threads never finished.

// Each test file uses part of this module.
#![allow(dead_code)]

use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::thread;
use std::time::{Duration, Instant};

/// How long any wait in these tests may take before it counts as a divergence (CPython's
/// `support.SHORT_TIMEOUT` is 30 s; these scenarios need milliseconds).
pub const DEADLINE: Duration = Duration::from_secs(10);

/// `nthread` threads running the same function: CPython's `Bunch`.
pub struct Bunch {
    nthread: usize,
    outcomes: mpsc::Receiver<thread::Result<()>>,
    /// `/proc/self/task/<tid>/stat` of each thread (Linux), to see whether it is asleep.
    stat_paths: Vec<Option<String>>,
}

impl Bunch {
    /// Starts the threads and returns once every one has started (as `Bunch.__enter__`).
    pub fn start(nthread: usize, func: impl Fn() + Send + Sync + 'static) -> Self {
        let func = Arc::new(func);
        let (outcome_sender, outcomes) = mpsc::channel();
        let (started_sender, started) = mpsc::channel();
        for _ in 0..nthread {
            let func = Arc::clone(&func);
            let outcome_sender = outcome_sender.clone();
            let started_sender = started_sender.clone();
            thread::spawn(move || {
                // The test is waiting for this message; it cannot have gone yet.
                started_sender.send(own_stat_path()).expect("the test waits for every start");
                let outcome = panic::catch_unwind(AssertUnwindSafe(|| func()));
                // A send fails only when the test already gave up on this thread (deadline
                // passed): there is nobody left to tell.
                outcome_sender.send(outcome).ok();
            });
        }
        let stat_paths = (0..nthread)
            .map(|started_count| {
                started.recv_timeout(DEADLINE).unwrap_or_else(|_| {
                    panic!("only {started_count} of {nthread} threads started within {DEADLINE:?}")
                })
            })
            .collect();
        Self { nthread, outcomes, stat_paths }
    }

    /// Waits until every thread is asleep, as CPython's `wait_threads_blocked(n)`, which sleeps
    /// 10 ms per thread. On Linux it asks the kernel instead: each thread's state in
    /// `/proc/self/task/<tid>/stat` (proc(5)) must read `S` (sleeping) in two checks 10 ms
    /// apart; a thread that has ended counts as not running. Elsewhere it sleeps as CPython does.
    /// It gives up after [`DEADLINE`]: the test's own assertions then report what is wrong.
    pub fn wait_threads_blocked(&self) {
        if self.stat_paths.iter().any(Option::is_none) {
            thread::sleep(Duration::from_millis(10) * self.nthread as u32);
            return;
        }
        let deadline = Instant::now() + DEADLINE;
        let mut asleep_checks = 0;
        while asleep_checks < 2 && Instant::now() < deadline {
            let all_asleep = self.stat_paths.iter().flatten().all(|path| thread_asleep(path));
            asleep_checks = if all_asleep { asleep_checks + 1 } else { 0 };
            thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits for every thread to finish, at most [`DEADLINE`] (as `Bunch.__exit__`), and
    /// passes on the first panic of one of them.
    pub fn finish(self) {
        let deadline = Instant::now() + DEADLINE;
        for finished in 0..self.nthread {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.outcomes.recv_timeout(left) {
                Ok(Ok(())) => {}
                Ok(Err(panic_payload)) => panic::resume_unwind(panic_payload),
                Err(_) => panic!(
                    "{} of {} threads still running after {DEADLINE:?}: a wait that should have \
                     returned is blocked",
                    self.nthread - finished,
                    self.nthread
                ),
            }
        }
    }
}

/// The calling thread's `stat` file on Linux (`/proc/thread-self` names it, proc(5)).
fn own_stat_path() -> Option<String> {
    let task = std::fs::read_link("/proc/thread-self").ok()?;
    Some(format!("/proc/{}/stat", task.display()))
}

/// Whether the thread whose `stat` file this is sleeps (state `S`), or has ended.
fn thread_asleep(stat_path: &str) -> bool {
    let Ok(stat) = std::fs::read_to_string(stat_path) else {
        return true;
    };
    // The state is the field after the command name, which is in parentheses and may hold
    // spaces: take what follows the last ')'.
    let state = stat.rsplit_once(')').and_then(|(_, rest)| rest.split_whitespace().next());
    state == Some("S")
}

/// A list that threads append to, as the `results` lists of CPython's tests.
#[derive(Clone, Default)]
pub struct Log<T>(Arc<Mutex<Vec<T>>>);

impl<T: Clone> Log<T> {
    pub fn new() -> Self {
        Self(Arc::new(Mutex::new(Vec::new())))
    }

    pub fn push(&self, item: T) {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).push(item);
    }

    /// What the list holds now.
    pub fn items(&self) -> Vec<T> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    pub fn len(&self) -> usize {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).len()
    }

    pub fn clear(&self) {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).clear();
    }
}

/// Polls `done` every millisecond until it holds, failing after [`DEADLINE`]: CPython's
/// `for _ in support.sleeping_retry(SHORT_TIMEOUT): if done: break`, except that CPython
/// goes on silently and lets a later assertion fail.
pub fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + DEADLINE;
    while !done() {
        assert!(Instant::now() < deadline, "still waiting after {DEADLINE:?} for {what}");
        thread::sleep(Duration::from_millis(1));
    }
}

/// Runs `test` on a thread of its own and fails if it has not returned within [`DEADLINE`]:
/// for cases that block on the test's own thread.
pub fn within_deadline(test: impl FnOnce() + Send + 'static) {
    let (sender, outcome) = mpsc::channel();
    thread::spawn(move || {
        let result = panic::catch_unwind(AssertUnwindSafe(test));
        // Fails only if the test already gave up (deadline passed).
        sender.send(result).ok();
    });
    match outcome.recv_timeout(DEADLINE) {
        Ok(Ok(())) => {}
        Ok(Err(panic_payload)) => panic::resume_unwind(panic_payload),
        Err(_) => panic!("the case still runs after {DEADLINE:?}: a wait that should return is blocked"),
    }
}

/// Asserts that a wait that gave up did so no sooner than its timeout. CPython's
/// `assertTimeout` also checks an upper bound (10 × the timeout); on a shared, loaded machine
/// that would be a timing flake, so only the lower bound is kept.
pub fn assert_waited_at_least(elapsed: Duration, timeout: Duration) {
    assert!(elapsed >= timeout, "gave up after {elapsed:?}, before its timeout of {timeout:?}");
}
