//! The check of `race-mutex`, under loom: two threads call the reader's
//! `increment` twice each, and loom runs every interleaving of them (up to
//! `LOOM_MAX_PREEMPTIONS` preemptions), not only the few a real run happens
//! to take. One interleaving that loses an increment, or in which every thread
//! waits, fails the check.

#![cfg(loom)]

use std::process::Command;

use loom::sync::Arc;
use loom::sync::Mutex;
use loom::thread;

use super::increment;

fn model() {
    loom::model(|| {
        let counter = Arc::new(Mutex::new(0));
        let threads: Vec<_> = (0..2)
            .map(|_| {
                let counter = Arc::clone(&counter);
                thread::spawn(move || {
                    increment(&counter); // Takes a `&Mutex<u64>`, as in the starter.
                    increment(&counter);
                })
            })
            .collect();
        for thread in threads {
            thread.join().expect("a thread panicked");
        }
        let counted = *counter.lock().expect("no thread panicked");
        assert!(
            counted == 4,
            "two threads each called `increment` twice, and the counter says \
             {counted}: an increment was lost. Two increments read the same \
             value, and only one of them counted: the lock was let go between \
             the read and the write, and the other thread came in between. \
             Hold one guard across both"
        );
    });
}

/// Set in the copy of this test program that runs the model.
const IN_THE_COPY: &str = "RACE_MUTEX_MODEL";

const DEADLOCK: &str = "deadlock: every thread waits for a lock. A thread that \
    calls `lock` on a `Mutex` it already holds waits for itself: std's `Mutex` \
    is not re-entrant, and its documentation says that such a second `lock` \
    never returns (it deadlocks or panics). Take the lock once, and read and \
    write through that one guard";

#[test]
fn no_interleaving_loses_an_increment_or_deadlocks() {
    if std::env::var_os(IN_THE_COPY).is_some() {
        return model();
    }
    // On a deadlock, loom's panic unwinds through the guard the thread holds,
    // whose drop panics again, and a second panic aborts the whole program:
    // so the model runs in a copy of this test program, and this one reads
    // how it ended.
    let this = std::env::current_exe().expect("the test program's path");
    let name = "check::no_interleaving_loses_an_increment_or_deadlocks";
    let output = Command::new(this)
        .args([name, "--exact", "--nocapture"])
        .env(IN_THE_COPY, "1")
        .output()
        .expect("running the model in a copy of the test program");
    if output.status.success() {
        return;
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    if stderr.contains("deadlock; threads") {
        panic!("{DEADLOCK}");
    }
    // The first panic's message: the lines after `panicked at`.
    let mut lines = stderr.lines().skip_while(|line| !line.contains("panicked at"));
    let message: Vec<&str> = lines
        .by_ref()
        .skip(1)
        .take_while(|line| !line.starts_with("note:") && !line.is_empty())
        .collect();
    if message.is_empty() {
        panic!("the model failed ({}):\n{stderr}", output.status);
    }
    panic!("{}", message.join("\n"));
}
