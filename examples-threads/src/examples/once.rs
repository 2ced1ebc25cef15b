//! Initialise a value exactly once, however many threads race for it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Barrier, LazyLock, OnceLock};
use std::thread;
use std::time::Duration;

const RACERS: usize = 8;

// ANCHOR: statics
static ONCE_LOCK_INITS: AtomicUsize = AtomicUsize::new(0);
static LAZY_LOCK_INITS: AtomicUsize = AtomicUsize::new(0);

static SETTINGS: OnceLock<Vec<String>> = OnceLock::new();

static PRIMES: LazyLock<Vec<u64>> = LazyLock::new(|| {
    LAZY_LOCK_INITS.fetch_add(1, Ordering::Relaxed);
    (2..2_000u64)
        .filter(|n| (2..*n).take_while(|d| d * d <= *n).all(|d| n % d != 0))
        .collect()
});

fn load_settings(thread: usize) -> Vec<String> {
    ONCE_LOCK_INITS.fetch_add(1, Ordering::Relaxed);
    thread::sleep(Duration::from_millis(50)); // The others must wait.
    vec![format!("loaded by racer {thread}")]
}
// ANCHOR_END: statics

pub fn main() -> anyhow::Result<()> {
    // ANCHOR: race
    let start = Barrier::new(RACERS);
    let seen = thread::scope(|scope| {
        let racers: Vec<_> = (0..RACERS)
            .map(|racer| {
                let start = &start;
                scope.spawn(move || {
                    start.wait();
                    let settings =
                        SETTINGS.get_or_init(|| load_settings(racer));
                    (settings.as_ptr() as usize, PRIMES.len())
                })
            })
            .collect();
        racers
            .into_iter()
            .map(|racer| racer.join().expect("a racer panicked"))
            .collect::<Vec<_>>()
    });
    // ANCHOR_END: race
    let same_value = seen.windows(2).all(|pair| pair[0] == pair[1]);
    println!(
        "{RACERS} threads raced; every one saw the same value: {same_value}"
    );
    println!(
        "OnceLock: {:?}, initialiser ran {} time(s)",
        SETTINGS.get(),
        ONCE_LOCK_INITS.load(Ordering::Relaxed)
    );
    println!(
        "LazyLock: {} primes below 2000, initialiser ran {} time(s)",
        PRIMES.len(),
        LAZY_LOCK_INITS.load(Ordering::Relaxed)
    );
    assert!(same_value);
    Ok(())
}
