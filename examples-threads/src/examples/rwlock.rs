//! `RwLock`: many readers at once, or one writer alone (Python's `threading`
//! has none). While one thread reads, a second reader gets in; a writer not.

use std::sync::{RwLock, TryLockError};
use std::thread;

pub fn main() -> anyhow::Result<()> {
    let config = RwLock::new(1); // Read often, changed rarely.
    let main_reads = config.read().expect("no thread panics holding the lock");
    let (second_reader, writer_blocked) = thread::scope(|scope| {
        let other = scope.spawn(|| {
            let second_reader = config.try_read().is_ok();
            let writer_blocked =
                matches!(config.try_write(), Err(TryLockError::WouldBlock));
            (second_reader, writer_blocked)
        });
        other.join().expect("the other thread panicked")
    });
    println!(
        "while main reads version {}: a second reader got in: {second_reader}",
        *main_reads
    );
    println!("while main reads: a writer was kept out: {writer_blocked}");
    assert!(second_reader && writer_blocked);
    Ok(())
}
