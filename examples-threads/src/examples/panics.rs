//! A panicking thread: `join` hands back the panic; a mutex it held is poisoned
//! and can be recovered; a panic in `thread::scope` reaches the caller. Every
//! panic here is on purpose.

use std::any::Any;
use std::panic;
use std::sync::{Arc, Mutex};
use std::thread;

use anyhow::bail;

pub fn main() -> anyhow::Result<()> {
    // The panic hook still prints each panic to stderr, as it would in a real
    // program.
    // ANCHOR: join
    let worker =
        thread::Builder::new().name("worker".into()).spawn(|| -> u32 {
            panic!("item 3 is bad (a panic on purpose)");
        })?;
    match worker.join() {
        Ok(value) => {
            bail!("the worker was meant to panic, but returned {value}")
        }
        // The payload is what `panic!` was given: here a `String`, shown as
        // text.
        Err(payload) => println!(
            "join returned Err; the payload says: {}",
            panic_message(&*payload)
        ),
    }
    // ANCHOR_END: join

    // ANCHOR: poison
    let scores = Arc::new(Mutex::new(vec![1, 2]));
    let writer = thread::Builder::new().name("writer".into()).spawn({
        let scores = Arc::clone(&scores);
        move || -> usize {
            let mut scores = scores.lock().expect("not poisoned yet");
            scores.push(3);
            panic!("half-way through an update (a panic on purpose)");
        }
    })?;
    match writer.join() {
        Ok(length) => {
            bail!("the writer was meant to panic, but returned {length}")
        }
        Err(payload) => {
            println!("writer panicked: {}", panic_message(&*payload))
        }
    }
    // The writer died holding the lock: the mutex is poisoned, and `lock` says
    // so.
    let recovered = match scores.lock() {
        Ok(_) => bail!("the mutex was meant to be poisoned"),
        // The data is still there; we decide whether it is usable. Here it is.
        Err(poisoned) => poisoned.into_inner().clone(),
    };
    println!(
        "lock returned Err (poisoned); into_inner recovered {recovered:?}"
    );
    scores.clear_poison();
    println!("after clear_poison: poisoned = {}", scores.is_poisoned());
    // ANCHOR_END: poison

    // ANCHOR: scope
    // A scoped thread that panics makes `thread::scope` itself panic when it
    // joins it; `catch_unwind` turns that back into a value we can report.
    let outcome = panic::catch_unwind(|| {
        thread::scope(|scope| {
            scope.spawn(|| panic!("scoped worker failed (a panic on purpose)"));
        });
    });
    match outcome {
        Ok(()) => bail!("the scope was meant to panic"),
        Err(payload) => println!(
            "thread::scope panicked in the caller: {}",
            panic_message(&*payload)
        ),
    }
    // ANCHOR_END: scope
    println!("all three panics were caught; the example exits 0");
    Ok(())
}

/// A panic's message: `panic!("literal")` carries a `&str`, `panic!("{x}")` a
/// `String`; anything else, from `panic_any`, is not text.
fn panic_message(payload: &(dyn Any + Send)) -> &str {
    if let Some(text) = payload.downcast_ref::<&str>() {
        text
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text
    } else {
        "a panic payload that is not text"
    }
}
