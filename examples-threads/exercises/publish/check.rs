//! `publish`, under loom: a reader that sees the flag sees the value, in every
//! interleaving. Each side is checked against a correct partner, so that a
//! failure says which side does not synchronise.
#![cfg(loom)]

use loom::sync::Arc;
use loom::sync::atomic::Ordering;
use loom::thread;

use super::Mailbox;

/// A writer thread runs `write` on a new mailbox while this thread runs `read`
/// on it once: loom tries every interleaving and, at each load, every earlier
/// store it may return.
fn model(
    write: fn(&Mailbox),
    read: fn(&Mailbox) -> Option<u64>,
    why: &'static str,
) {
    loom::model(move || {
        let mailbox = Arc::new(Mailbox::new());
        let writer = thread::spawn({
            let mailbox = Arc::clone(&mailbox);
            move || write(&mailbox)
        });
        if let Some(value) = read(&mailbox) {
            assert!(value == 42, "{why}");
        }
        writer.join().expect("the writer panicked");
    });
}

/// The partner that is right: Release on the flag's store.
fn releasing_writer(mailbox: &Mailbox) {
    mailbox.data.store(42, Ordering::Relaxed);
    mailbox.ready.store(true, Ordering::Release);
}

/// The partner that is right: Acquire on the flag's load.
fn acquiring_reader(mailbox: &Mailbox) -> Option<u64> {
    if mailbox.ready.load(Ordering::Acquire) {
        Some(mailbox.data.load(Ordering::Relaxed))
    } else {
        None
    }
}

#[test]
fn publish_releases_the_value() {
    model(
        |mailbox| mailbox.publish(42),
        acquiring_reader,
        "`publish`: a reader that loads `ready` with Acquire saw it true and \
         `data` still 0: the store of `ready` does not release the store of \
         `data` before it",
    );
}

#[test]
fn read_acquires_the_value() {
    model(
        releasing_writer,
        Mailbox::read,
        "`read` saw `ready` true and `data` still 0, though the writer stored \
         `ready` with Release: the load of `ready` does not acquire what the \
         writer did before its store",
    );
}
