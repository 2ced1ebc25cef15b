//! Shuttle on the reader's own type: random schedules instead of every
//! interleaving, so it scales to tests loom cannot finish. Only under
//! `--cfg shuttle`, where `Tickets` uses shuttle's atomics. One test at a
//! time: shuttle's panic hook is process-wide, so two of its runs on two test
//! threads take each other's failures.
//!
//! ```text
//! RUSTFLAGS="--cfg shuttle" CARGO_TARGET_DIR=target/shuttle cargo test -p examples-threads --release --test shuttle_tickets -- --test-threads=1
//! ```

#![cfg(shuttle)]

use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use examples_threads::tickets::Tickets;
use shuttle::scheduler::RandomScheduler;
use shuttle::sync::Arc;
use shuttle::{Config, FailurePersistence, Runner, thread};

// ANCHOR: test
/// Four threads take one ticket each; no two tickets may be equal.
fn four_threads_take(take: fn(&Tickets) -> u64) -> impl Fn() {
    move || {
        let tickets = Arc::new(Tickets::new());
        let takers: Vec<_> = (0..4)
            .map(|_| {
                let tickets = Arc::clone(&tickets);
                thread::spawn(move || take(&tickets))
            })
            .collect();
        let mut taken: Vec<u64> = takers
            .into_iter()
            .map(|taker| taker.join().expect("a taker panicked"))
            .collect();
        taken.sort();
        taken.dedup();
        assert_eq!(taken.len(), 4, "two threads got the same ticket");
    }
}

#[test]
fn take_never_hands_out_a_ticket_twice() {
    // 1,000 random schedules.
    shuttle::check_random(four_threads_take(Tickets::take), 1_000);
}
// ANCHOR_END: test

// ANCHOR: replay
/// The load-then-store version fails within 1,000 random schedules (seed 7,
/// so every run tries the same ones); shuttle writes the failing schedule to
/// a file, and replaying that file fails the same way.
#[test]
fn shuttle_finds_the_duplicate_ticket_of_take_racy_and_replays_it() {
    let schedules = scratch_dir("shuttle-tickets");
    let mut config = Config::new();
    config.failure_persistence = FailurePersistence::File(Some(schedules.clone()));
    let scheduler = RandomScheduler::new_from_seed(7, 1_000);
    let first = failure_message(|| {
        Runner::new(scheduler, config).run(four_threads_take(Tickets::take_racy));
    });
    let schedule = only_file_in(&schedules);
    let replayed = failure_message(|| {
        shuttle::replay_from_file(four_threads_take(Tickets::take_racy), &schedule)
    });
    for message in [first, replayed] {
        assert!(
            message.contains("two threads got the same ticket"),
            "shuttle failed, but not on the duplicate ticket: {message}"
        );
    }
    fs::remove_dir_all(&schedules).expect("removing the schedules");
}
// ANCHOR_END: replay

/// Runs `test`, which must panic, and returns its panic message.
fn failure_message(test: impl FnOnce()) -> String {
    let payload = panic::catch_unwind(AssertUnwindSafe(test))
        .expect_err("shuttle found no duplicate ticket");
    match payload.downcast::<String>() {
        Ok(message) => *message,
        Err(payload) => payload
            .downcast_ref::<&str>()
            .map(|message| message.to_string())
            .unwrap_or_default(),
    }
}

/// A new, empty directory under the system's temporary directory.
fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
    if dir.exists() {
        fs::remove_dir_all(&dir).expect("removing an old scratch directory");
    }
    fs::create_dir_all(&dir).expect("creating a scratch directory");
    dir
}

/// The path of the one file in `dir`.
fn only_file_in(dir: &Path) -> PathBuf {
    let files: Vec<PathBuf> = fs::read_dir(dir)
        .expect("reading the schedules directory")
        .map(|entry| entry.expect("a directory entry").path())
        .collect();
    assert_eq!(files.len(), 1, "expected one schedule file: {files:?}");
    files[0].clone()
}
