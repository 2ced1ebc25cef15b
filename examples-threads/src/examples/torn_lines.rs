//! Claim C12: Python's `print` can tear a line between threads; Rust's
//! `println!` never does. Tearing on purpose with separate `print!` calls, and
//! holding `stdout().lock()` for a block.

use std::io::{self, Write};
use std::thread;

const LINES: usize = 200;
const BLOCK: usize = 5;

fn on_two_threads(
    write_lines: impl Fn(&str) -> io::Result<()> + Sync,
) -> io::Result<()> {
    let write_lines = &write_lines;
    thread::scope(|scope| {
        let threads = ["numbers", "letters"]
            .map(|name| scope.spawn(move || write_lines(name)));
        threads
            .into_iter()
            .try_for_each(|thread| thread.join().expect("a writer panicked"))
    })
}

pub fn main() -> anyhow::Result<()> {
    // ANCHOR: whole
    println!("== println!: every line whole ==");
    on_two_threads(|name| {
        for line in 0..LINES {
            // One call, one turn with the lock: text and newline together.
            println!("{name} thread: line {line} of {LINES}, whole");
        }
        Ok(())
    })?;
    // ANCHOR_END: whole

    // ANCHOR: torn
    println!("== print! in three pieces: lines may tear ==");
    on_two_threads(|name| {
        for line in 0..LINES {
            // Three turns with the lock: the other thread can slip in between,
            // as with Python's `print(a, b)`.
            print!("{name} thread:");
            thread::yield_now();
            print!(" line {line}");
            thread::yield_now();
            println!(", in pieces");
        }
        Ok(())
    })?;
    // ANCHOR_END: torn

    // ANCHOR: lock
    println!("== stdout().lock(): a block of {BLOCK} lines together ==");
    on_two_threads(|name| {
        // One turn with the lock for the whole block.
        let mut stdout = io::stdout().lock();
        for line in 0..BLOCK {
            writeln!(stdout, "{name} block: line {line} of {BLOCK}")?;
        }
        Ok(())
    })?;
    // ANCHOR_END: lock
    println!("== done ==");
    Ok(())
}
