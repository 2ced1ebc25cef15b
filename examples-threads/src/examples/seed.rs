//! The seed article's thread program: two named threads, joined, then `Done!`.

use std::thread;

pub fn main() -> anyhow::Result<()> {
    // Step 1: create. A `Builder` names the thread before it exists.
    let numbers_builder = thread::Builder::new().name("numbers".into());
    let letters_builder = thread::Builder::new().name("letters".into());

    // Steps 2 and 3: set the target and start, both done by `spawn`.
    let numbers_thread = numbers_builder.spawn(print_numbers)?;
    let letters_thread = letters_builder.spawn(print_letters)?;

    // Step 4: join.
    numbers_thread.join().expect("thread 'numbers' panicked");
    letters_thread.join().expect("thread 'letters' panicked");

    println!("Done!");
    Ok(())
}

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
