//! The task functions (the targets) of the seed article's two programs.
//!
//! They print exactly what the article's Python functions print. Python's
//! `print("Number: ", i)` puts a separator space between its two arguments, so each line has
//! two spaces after the colon: `Number:  0`.

// ANCHOR: targets
/// Prints `Number:  0` to `Number:  4`, one line each (the article's
/// `print_numbers`).
pub fn print_numbers() {
    for number in 0..5 {
        println!("Number:  {number}");
    }
}

/// Prints `Letter:  A` to `Letter:  E`, one line each (the article's
/// `print_letters`).
pub fn print_letters() {
    for letter in ['A', 'B', 'C', 'D', 'E'] {
        println!("Letter:  {letter}");
    }
}
// ANCHOR_END: targets

/// The lines `print_numbers` prints, in order, without newlines: what tests compare against.
pub fn expected_numbers() -> Vec<String> {
    (0..5).map(|number| format!("Number:  {number}")).collect()
}

/// The lines `print_letters` prints, in order, without newlines: what tests compare against.
pub fn expected_letters() -> Vec<String> {
    ['A', 'B', 'C', 'D', 'E'].iter().map(|letter| format!("Letter:  {letter}")).collect()
}
