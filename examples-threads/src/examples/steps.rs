//! The steps after import, one per line: create, set the target, start, join.

use std::thread;

// ANCHOR: target
fn sum_of_squares(label: &str, numbers: Vec<u64>) -> u64 {
    let me = thread::current();
    println!("{label}: running on thread '{}'", me.name().unwrap_or("unnamed"));
    numbers.iter().map(|number| number * number).sum()
}
// ANCHOR_END: target

pub fn main() -> anyhow::Result<()> {
    // ANCHOR: steps
    // Step 1: create.
    let builder =
        thread::Builder::new().name("squares".into()).stack_size(256 * 1024);

    // Step 2: set the target: a closure that owns its arguments.
    let label = String::from("worker");
    let numbers: Vec<u64> = (1..=100).collect();
    let target = move || sum_of_squares(&label, numbers);

    // Step 3: start.
    let handle = builder.spawn(target)?;
    println!(
        "main: started thread '{}'",
        handle.thread().name().unwrap_or("unnamed")
    );

    // Step 4: join, which hands back the target's return value.
    let sum = handle.join().expect("thread 'squares' panicked");
    // ANCHOR_END: steps

    println!("main: the thread returned {sum}");
    assert_eq!(sum, 338_350);
    Ok(())
}
