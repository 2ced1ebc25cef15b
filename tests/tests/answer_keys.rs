//! The answer keys of the book's "which outcomes are possible?" questions (`data-checked-by`
//! in a quiz names one of these tests): an outcome called possible was seen in the counted
//! runs (`NAME --runs N --json`), or is produced by a forced schedule, or found by loom (a
//! model checker that explores the interleavings, and the weak-memory reorderings it models, of
//! a small model of the example); an outcome called impossible never appears, and a comment
//! says why it cannot, where no run or model can show it. Never a timing, never one
//! interleaving: a rare outcome is proved possible by loom or a forced schedule, never by
//! hoping a run shows it.

#![cfg(unix)] // The harness needs Unix.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use tests::{Bin, Runner};

/// Every counted run here takes well under a second idle; the deadline leaves room for a
/// machine busy with other tests.
const DEADLINE: Duration = Duration::from_secs(120);

/// Runs `NAME --runs N --json [extra…]` and returns its JSON.
#[track_caller]
fn counted(bin: Bin, name: &str, runs: u64, extra: &[&str]) -> Value {
    let runs = runs.to_string();
    let mut args = vec![name, "--runs", runs.as_str(), "--json"];
    args.extend_from_slice(extra);
    let finished = Runner::new(bin).args(&args).deadline(DEADLINE).run();
    finished.assert_success().assert_no_strays();
    let json: Value = serde_json::from_str(finished.stdout.trim())
        .unwrap_or_else(|error| panic!("not JSON ({error})\n{finished}"));
    assert_eq!(json["example"], name, "{json}");
    assert_eq!(json["runs"].as_u64(), Some(runs.parse().expect("a number")), "{json}");
    assert!(json["cpus"].as_u64().is_some_and(|cpus| cpus > 0), "{json}");
    json
}

/// The count of `(case, outcome)` in a counted run's JSON; fails if there is no such row.
#[track_caller]
fn count(json: &Value, case: &str, outcome: &str) -> u64 {
    let rows = json["outcomes"].as_array().expect("outcomes is a list");
    let row = rows.iter().find(|row| row["case"] == case && row["outcome"] == outcome);
    row.and_then(|row| row["count"].as_u64())
        .unwrap_or_else(|| panic!("no row {case:?} {outcome:?} in {json}"))
}

/// Runs `body` under every schedule loom explores and returns the set of what each returned.
fn loom_outcomes<T: Ord + Send + 'static>(body: impl Fn() -> T + Send + Sync + 'static) -> BTreeSet<T> {
    let seen = Arc::new(Mutex::new(BTreeSet::new()));
    let recorded = Arc::clone(&seen);
    loom::model(move || {
        let outcome = body();
        recorded.lock().expect("no model panics holding the set").insert(outcome);
    });
    seen.lock().map(|mut set| std::mem::take(&mut *set)).expect("the model is done")
}

/// The seed programs: every merge of the numbers' and the letters' lines is possible, each
/// task's own order is kept, `Done!` is always last.
#[test]
fn seed_orders() {
    // Real runs, threads and processes: every run keeps each task's order and ends with Done!.
    // Each task prints its lines one after another, and `Done!` is printed after both joins
    // (threads) or waits (processes), which return only once the task has ended.
    let mut bins = vec![(Bin::Threads, 200)];
    bins.push((Bin::Processes, 40));
    for (bin, runs) in bins {
        let json = counted(bin, "seed", runs, &[]);
        assert_eq!(count(&json, "each task's own order", "kept"), runs, "{json}");
        assert_eq!(count(&json, "Done!", "last"), runs, "{json}");
    }
    // Every merge is possible: a model of the thread program, where stdout is a lock each
    // `println!` takes for its whole line (as std's stdout is) and nothing else orders the two
    // threads. Loom runs it under every schedule: all C(6, 3) = 20 merges of three lines each
    // appear (three, not five, keeps the model small; nothing in it depends on the count).
    let orders = loom_outcomes(|| {
        use loom::sync::Mutex;
        use loom::thread;
        let stdout = std::sync::Arc::new(Mutex::new(String::new()));
        let task = |mark: char| {
            let stdout = std::sync::Arc::clone(&stdout);
            thread::spawn(move || (0..3).for_each(|_| stdout.lock().expect("no panic").push(mark)))
        };
        let (numbers, letters) = (task('N'), task('L'));
        numbers.join().expect("numbers panicked");
        letters.join().expect("letters panicked");
        stdout.lock().expect("no panic").push('D');
        stdout.lock().map(|printed| printed.clone()).expect("no panic")
    });
    assert_eq!(orders.len(), 20, "{orders:?}");
    assert!(orders.iter().all(|order| order.ends_with('D') && order.matches('N').count() == 3), "{orders:?}");
}

/// `race`: the load-then-store counter ends anywhere below the expected total or at it,
/// never above; `fetch_add`, the Mutex and the channel are always exact.
#[test]
fn race_lost_updates() {
    let runs = 20;
    let json = counted(Bin::Threads, "race", runs, &[]);
    // Never above: every store writes one more than a value loaded, and every value loaded
    // was written by a store (or is the initial 0), so the counter never exceeds the number
    // of increments done.
    assert_eq!(count(&json, "load + store", "above the total"), 0, "{json}");
    for fix in ["fetch_add", "Mutex", "channel"] {
        assert_eq!(count(&json, fix, "exact"), runs, "{fix}: {json}");
    }
    // Below is possible, and so is exact: two threads, two increments each, under loom.
    let racy = loom_outcomes(|| {
        use loom::sync::atomic::{AtomicU64, Ordering::Relaxed};
        let counter = std::sync::Arc::new(AtomicU64::new(0));
        let add_twice = {
            let counter = std::sync::Arc::clone(&counter);
            move || (0..2).for_each(|_| counter.store(counter.load(Relaxed) + 1, Relaxed))
        };
        let other = loom::thread::spawn(add_twice.clone());
        add_twice();
        other.join().expect("the other thread panicked");
        counter.load(Relaxed)
    });
    assert!(racy.contains(&4) && racy.iter().any(|&total| total < 4), "{racy:?}");
    assert!(racy.iter().all(|&total| total <= 4), "{racy:?}");
    let exact = loom_outcomes(|| {
        use loom::sync::atomic::{AtomicU64, Ordering::Relaxed};
        let counter = std::sync::Arc::new(AtomicU64::new(0));
        let add_twice = {
            let counter = std::sync::Arc::clone(&counter);
            move || (0..2).for_each(|_| _ = counter.fetch_add(1, Relaxed))
        };
        let other = loom::thread::spawn(add_twice.clone());
        add_twice();
        other.join().expect("the other thread panicked");
        counter.load(Relaxed)
    });
    assert_eq!(exact, BTreeSet::from([4]));
}

/// `store-buffering`: `(r1, r2) = (0, 0)` is possible with Relaxed and with Release/Acquire,
/// impossible with SeqCst; `(0, 1)`, `(1, 0)` and `(1, 1)` are possible with all three.
#[test]
fn store_buffering() {
    use loom::sync::atomic::{AtomicU64, Ordering};
    let litmus = |store: Ordering, load: Ordering| {
        loom_outcomes(move || {
            let (x, y) = (std::sync::Arc::new(AtomicU64::new(0)), std::sync::Arc::new(AtomicU64::new(0)));
            let first = {
                let (x, y) = (std::sync::Arc::clone(&x), std::sync::Arc::clone(&y));
                loom::thread::spawn(move || {
                    x.store(1, store);
                    y.load(load)
                })
            };
            y.store(1, store);
            let r2 = x.load(load);
            (first.join().expect("thread 1 panicked"), r2)
        })
    };
    let all = BTreeSet::from([(0, 0), (0, 1), (1, 0), (1, 1)]);
    // Loom models the C++ memory model's Relaxed and Release/Acquire: a load may return a
    // store older than the latest, so both loads can miss both stores.
    assert_eq!(litmus(Ordering::Relaxed, Ordering::Relaxed), all);
    assert_eq!(litmus(Ordering::Release, Ordering::Acquire), all);
    // SeqCst: loom treats a SeqCst access as AcqRel (its README, "Unsupported features"), so it
    // cannot show (0, 0) impossible; the argument can. All SeqCst operations fall in one total
    // order S that agrees with each thread's program order, and a SeqCst load returns the
    // latest store to its variable before it in S. Say r1 = 0: thread 1's load of y comes
    // before `y = 1` in S. Then `x = 1` < (load of y) < `y = 1` < (thread 2's load of x) in S,
    // the first and last steps by program order, so thread 2's load comes after `x = 1` and
    // returns 1. So r1 and r2 are never both 0. The other three outcomes are interleavings of
    // the four operations in program order, which SeqCst allows; the runs show them too.
    let runs = 2000;
    let json = counted(Bin::Threads, "store-buffering", runs, &[]);
    assert_eq!(count(&json, "SeqCst", "(0, 0)"), 0, "{json}");
    for ordering in ["Relaxed", "Release/Acquire", "SeqCst"] {
        let total: u64 =
            ["(0, 0)", "(0, 1)", "(1, 0)", "(1, 1)"].iter().map(|o| count(&json, ordering, o)).sum();
        assert_eq!(total, runs, "{ordering}: {json}");
    }
}

/// `torn-lines`: a `println!` line never tears; `print!` pieces of two threads can
/// interleave within a line; `stdout().lock()` keeps a block whole.
#[test]
fn torn_lines() {
    let json = counted(Bin::Threads, "torn-lines", 20, &[]);
    // `println!` writes its text and newline under one hold of stdout's lock; a block written
    // under `stdout().lock()` is one hold too: no other thread's bytes can come between.
    assert_eq!(count(&json, "println!", "torn line"), 0, "{json}");
    assert!(count(&json, "println!", "whole line") > 0, "{json}");
    assert_eq!(count(&json, "stdout().lock() block", "mixed block"), 0, "{json}");
    // Each piece takes the lock anew, and the example yields its CPU between pieces, handing
    // it to the other thread when one waits (on one CPU as on many): 20 runs of 200 lines per
    // thread never fail to tear one.
    assert!(count(&json, "print! in pieces", "torn line") > 0, "{json}");
}

/// `deadlock`: opposite lock orders deadlock in some runs without a forced schedule (maybe
/// none), in every run with it; one lock order never does.
#[test]
fn deadlock_outcomes() {
    let runs = 50;
    let json = counted(Bin::Threads, "deadlock", runs, &[]);
    // Forced: each thread waits until the other holds its first lock, so both hold one and
    // want the other's: a cycle, every time.
    assert_eq!(count(&json, "opposite orders, forced", "deadlocked"), runs, "{json}");
    // One order: the thread holding the second lock already holds the first, so it never
    // waits for a lock the other holds while the other waits for its own: no cycle can form.
    assert_eq!(count(&json, "one lock order", "deadlocked"), 0, "{json}");
    // Free-running, anything from none to all: only the total is certain.
    let free = count(&json, "opposite orders", "deadlocked") + count(&json, "opposite orders", "finished");
    assert_eq!(free, runs, "{json}");
}

/// `condvar`: with the flag checked outside the lock (the bug, put back with `--bug`) a
/// waiter can sleep for ever (the forced schedule does it every time); checked under the lock,
/// a wake-up is never lost.
#[test]
fn condvar_lost_wakeup() {
    let runs = 50;
    let correct = counted(Bin::Threads, "condvar", runs, &[]);
    // Under the lock, the check and the start of the wait are one step for the notifier,
    // which sets the flag under the same lock: it either comes before the check (the waiter
    // sees the flag and never sleeps) or finds the waiter asleep and wakes it.
    assert_eq!(count(&correct, "check under the lock", "lost wake-up"), 0, "{correct}");
    let buggy = counted(Bin::Threads, "condvar", runs, &["--bug", "check-outside-lock"]);
    // Forced: the notifier sets the flag and notifies between the waiter's check and its
    // wait, so the only notification reaches no one.
    assert_eq!(count(&buggy, "check outside the lock, forced", "lost wake-up"), runs, "{buggy}");
}

/// `double-print`: a line printed before `fork` without a flush appears twice when stdout is
/// a pipe, once with a flush before the fork.
#[test]
fn double_print() {
    let runs = 50;
    // `--runs` runs the example in a child whose stdout is a pipe.
    let json = counted(Bin::Processes, "double-print", runs, &[]);
    // The unflushed text is in the buffer the child's memory copies: each process flushes
    // its own copy. Flushed first, the buffer copied is empty.
    assert_eq!(count(&json, "no flush before fork", "printed twice"), runs, "{json}");
    assert_eq!(count(&json, "flush before fork", "printed once"), runs, "{json}");
}
