//! Claim C12: `println!` never tears a line; separate `print!` calls can.

use std::io::{self, Write};
use std::thread;

const LINES: usize = 200;
const BLOCK: usize = 5;

fn on_two_threads(
    write: impl Fn(&str) -> io::Result<()> + Sync,
) -> io::Result<()> {
    thread::scope(|scope| {
        let numbers = scope.spawn(|| write("numbers"));
        let letters = scope.spawn(|| write("letters"));
        numbers.join().expect("the numbers thread panicked")?;
        letters.join().expect("the letters thread panicked")
    })
}

pub fn main() -> anyhow::Result<()> {
    // ANCHOR: whole
    println!("== println!: every line whole ==");
    on_two_threads(|name| {
        for line in 0..LINES {
            println!("{name} thread: line {line} of {LINES}, whole");
        }
        Ok(())
    })?;
    // ANCHOR_END: whole

    // ANCHOR: torn
    println!("== print! in three pieces: lines may tear ==");
    on_two_threads(|name| {
        for line in 0..LINES {
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
