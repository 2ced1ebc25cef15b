//! Model check of the `memory-ordering` example's lesson: a value published through a flag.
//! With Release/Acquire on the flag, loom finds no interleaving in which the reader sees the
//! flag but not the value; with `Relaxed`, it finds one (loom models which earlier stores a
//! `Relaxed` load may still return, as the C++ memory model that Rust adopts allows).
//!
//! ```text
//! RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=/tmp/target-loom cargo test -p shared --release --test loom_publication
//! ```

#![cfg(loom)]

use loom::sync::Arc;
use loom::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use loom::thread;

/// The writer stores 42 then sets the flag with `set`; the reader, once it loads the flag
/// with `check` and sees it set, must see 42.
fn publish(set: Ordering, check: Ordering) {
    loom::model(move || {
        let data = Arc::new(AtomicU64::new(0));
        let ready = Arc::new(AtomicBool::new(false));
        let writer = thread::spawn({
            let (data, ready) = (Arc::clone(&data), Arc::clone(&ready));
            move || {
                data.store(42, Ordering::Relaxed);
                ready.store(true, set);
            }
        });
        if ready.load(check) {
            assert_eq!(data.load(Ordering::Relaxed), 42, "saw the flag but not the data");
        }
        writer.join().expect("the writer panicked");
    });
}

#[test]
fn release_acquire_publication_never_shows_the_old_value() {
    publish(Ordering::Release, Ordering::Acquire);
}

/// loom must find the failing interleaving: the model panics, and the panic is caught here.
#[test]
fn relaxed_publication_fails_in_some_interleaving() {
    let outcome = std::panic::catch_unwind(|| publish(Ordering::Relaxed, Ordering::Relaxed));
    assert!(outcome.is_err(), "loom found no interleaving where a Relaxed flag hides the data");
}
