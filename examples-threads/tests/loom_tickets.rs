//! Loom on the reader's own type: every interleaving of two threads taking a
//! ticket. Only under `--cfg tickets_loom`, where `Tickets` uses loom's
//! atomics:
//!
//! ```text
//! RUSTFLAGS="--cfg tickets_loom" CARGO_TARGET_DIR=target/loom cargo test -p examples-threads --release --test loom_tickets
//! ```

#![cfg(tickets_loom)]

use std::panic::{self, AssertUnwindSafe};

use examples_threads::tickets::Tickets;
use loom::sync::Arc;
use loom::thread;

// ANCHOR: model
/// Two threads take one ticket each, under every interleaving loom finds; the
/// two tickets must differ.
fn two_threads_take(take: fn(&Tickets) -> u64) {
    loom::model(move || {
        let tickets = Arc::new(Tickets::new());
        let other = {
            let tickets = Arc::clone(&tickets);
            thread::spawn(move || take(&tickets))
        };
        let mine = take(&tickets);
        let theirs = other.join().expect("the other thread panicked");
        assert_ne!(mine, theirs, "two threads got the same ticket");
    });
}

#[test]
fn take_never_hands_out_a_ticket_twice() {
    two_threads_take(Tickets::take);
}
// ANCHOR_END: model

/// The load-then-store version fails under loom: it finds the interleaving in
/// which both threads load before either stores.
#[test]
fn loom_finds_the_duplicate_ticket_of_take_racy() {
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        two_threads_take(Tickets::take_racy)
    }));
    let payload = outcome.expect_err("loom found no duplicate ticket");
    let message = payload.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(
        message.contains("two threads got the same ticket"),
        "loom failed, but not on the duplicate ticket: {message}"
    );
}
