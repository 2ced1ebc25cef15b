//! A panicking thread: its panic comes back to whoever joins it. Every panic
//! here is on purpose.

use std::any::Any;
use std::panic;
use std::thread;

use anyhow::bail;

pub fn main() -> anyhow::Result<()> {
    // ANCHOR: join
    let worker =
        thread::Builder::new().name("worker".into()).spawn(|| -> u32 {
            panic!("item 3 is bad (a panic on purpose)");
        })?;
    match worker.join() {
        Ok(value) => bail!("the worker was meant to panic, but gave {value}"),
        Err(payload) => println!(
            "join returned Err; the payload says: {}",
            panic_message(&*payload)
        ),
    }
    // ANCHOR_END: join

    // ANCHOR: scope
    // The scope joins its threads at its end, and panics if one of them did.
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
    println!("both panics were caught; the example exits 0");
    Ok(())
}

// `panic!("literal")` carries a `&str`, `panic!("{x}")` a `String`.
fn panic_message(payload: &(dyn Any + Send)) -> &str {
    match payload.downcast_ref::<&str>() {
        Some(text) => text,
        None => payload
            .downcast_ref::<String>()
            .map_or("a panic payload that is not text", String::as_str),
    }
}
