// Exercise `join-handles`: make `Done!` the last line, after every line of both
// threads, on every run.
//
// The check runs this program with PAUSE_MS set, up to 400 ms a line: however
// long `main` might sleep, a thread can be slower.
use std::thread;
use std::time::Duration;

fn pause() -> Duration {
    let ms = std::env::var("PAUSE_MS").ok().and_then(|ms| ms.parse().ok());
    Duration::from_millis(ms.unwrap_or(20))
}

fn main() {
    // Step 1: create the threads, and step 2: set their targets.
    let numbers = move || {
        for number in 1..=5 {
            thread::sleep(pause());
            println!("{number}");
        }
    };
    let letters = move || {
        for letter in 'a'..='e' {
            thread::sleep(pause() * 3 / 2); // letters are the slower
            println!("{letter}");
        }
    };

    // Step 3: start them.
    let numbers = thread::spawn(numbers);
    let letters = thread::spawn(letters);

    // Step 4: join them.
    numbers.join().expect("the numbers thread panicked");
    letters.join().expect("the letters thread panicked");

    println!("Done!");
}
