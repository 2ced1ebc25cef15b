//! The article's steps after import (create, set the target, start, join), each
//! its own line, with `thread::Builder`: a name and a stack size, arguments
//! captured by `move`, a result returned.

use std::thread;

// ANCHOR: target
/// The target: the sum of the squares of `numbers`, reported under `label`.
fn sum_of_squares(label: &str, numbers: Vec<u64>) -> u64 {
    let me = thread::current();
    println!("{label}: running on thread '{}'", me.name().unwrap_or("unnamed"));
    numbers.iter().map(|number| number * number).sum()
}
// ANCHOR_END: target

pub fn main() -> anyhow::Result<()> {
    // ANCHOR: steps
    // Step 1: create. A `Builder` is a thread that does not exist yet: a name
    // (Python's `Thread(name=…)`) and a stack size (Python's
    // `threading.stack_size(…)`).
    let builder =
        thread::Builder::new().name("squares".into()).stack_size(256 * 1024);

    // Step 2: set the target. A closure is the target and its arguments in one
    // value; `move` hands it `label` and `numbers` to own (Python's `target=`,
    // `args=`, `kwargs=`).
    let label = String::from("worker");
    let numbers: Vec<u64> = (1..=100).collect();
    let target = move || sum_of_squares(&label, numbers);

    // Step 3: start. `spawn` takes the target and starts the thread; usually
    // steps 2 and 3 are one call, `spawn(move || …)`. It fails only if the OS
    // cannot make a thread.
    let handle = builder.spawn(target)?;
    println!(
        "main: started thread '{}'",
        handle.thread().name().unwrap_or("unnamed")
    );

    // Step 4: join. Waits for the thread to end and hands back its target's
    // return value (Python's `join` returns `None`); `Err` carries the panic if
    // the thread panicked.
    let sum = handle.join().expect("thread 'squares' panicked");
    // ANCHOR_END: steps

    println!("main: the thread returned {sum}");
    assert_eq!(sum, 338_350, "1² + 2² + … + 100² is 338350");
    Ok(())
}
