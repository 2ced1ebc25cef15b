//! The seed article's thread program (its section 4.1), ported: two threads,
//! one printing numbers and one printing letters, joined, then `Done!`.

// ANCHOR: seed
// The article's step "import the module": `std::thread` is part of the standard
// library.
use std::thread;

pub fn main() -> anyhow::Result<()> {
    // Step 1: create. A `Builder` configures a thread before it exists; the
    // name shows up in panic messages and debuggers.
    let numbers_builder = thread::Builder::new().name("numbers".into());
    let letters_builder = thread::Builder::new().name("letters".into());

    // Steps 2 and 3: set the target and start. Rust merges them into one call:
    // `spawn` takes the target and starts the thread at once, so a thread never
    // exists without its target.
    let numbers_thread = numbers_builder.spawn(print_numbers)?;
    let letters_thread = letters_builder.spawn(print_letters)?;

    // Step 4: join. `join` returns `Err` if the thread panicked: reported,
    // never ignored.
    numbers_thread.join().expect("thread 'numbers' panicked");
    letters_thread.join().expect("thread 'letters' panicked");

    println!("Done!");
    Ok(())
}
// ANCHOR_END: seed

fn print_numbers() {
    for number in 0..5 {
        println!("Number:  {number}");
    }
}

fn print_letters() {
    for letter in ['A', 'B', 'C', 'D', 'E'] {
        println!("Letter:  {letter}");
    }
}
