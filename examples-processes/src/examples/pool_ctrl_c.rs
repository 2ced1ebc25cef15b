//! Ctrl-C ends a process pool and all its workers: 150 inputs, 0.1 s each,
//! leave about five seconds to press it. The pool is the one of the `pool`
//! example.

use std::sync::atomic::Ordering;

use crate::process_pool::{Pool, WORKERS};
use crate::sys;

// ANCHOR: run
pub fn run() -> anyhow::Result<()> {
    // Ctrl-C reaches every process of the terminal's foreground group: the
    // workers end at once, and this one sees the flag and cleans up.
    let interrupted = sys::catch_interrupt()?;
    let inputs: Vec<u64> = (0..150).collect();
    let mut pool = Pool::start(100)?;
    println!(
        "pool: {WORKERS} worker processes started, 150 inputs, 0.1 s each: \
         press Ctrl-C"
    );
    let results = pool.map(&inputs, &interrupted);
    // Whatever happened, every worker is ended and reaped before anything else.
    let was_interrupted = interrupted.load(Ordering::SeqCst);
    let shutdown = pool.shutdown(was_interrupted);
    if was_interrupted {
        eprintln!(
            "pool: interrupted by {}; every worker ended and reaped",
            sys::INTERRUPT
        );
        // How a program ends on Ctrl-C, for its caller to see.
        sys::die_of_interrupt();
    }
    let done = results?.len();
    shutdown?;
    println!("pool: all {done} inputs done without a Ctrl-C");
    Ok(())
}
// ANCHOR_END: run
