//! A thread's panic comes back to whoever joins it (each one on purpose).

use std::panic;
use std::thread;

pub fn main() -> anyhow::Result<()> {
    // ANCHOR: join
    let worker = thread::Builder::new().name("worker".into()).spawn(|| {
        panic!("item 3 is bad (a panic on purpose)");
    })?;
    let payload = worker.join().expect_err("the worker was meant to panic");
    let message = payload.downcast_ref::<&str>().expect("a text payload");
    println!("join returned Err; the payload says: {message}");
    // ANCHOR_END: join

    // ANCHOR: scope
    let outcome = panic::catch_unwind(|| {
        thread::scope(|scope| {
            scope.spawn(|| panic!("scoped worker failed (a panic on purpose)"));
        });
    });
    let payload = outcome.expect_err("the scope was meant to panic");
    let message = payload.downcast_ref::<&str>().expect("a text payload");
    println!("thread::scope panicked in the caller: {message}");
    // ANCHOR_END: scope
    println!("both panics were caught; the example exits 0");
    Ok(())
}
