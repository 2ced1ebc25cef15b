//! A process pool at work: [`job`] mapped over 12 inputs by three worker
//! processes, the results in input order; input 7 crashes its worker, which is
//! reported and replaced.

use std::sync::atomic::AtomicBool;

use anyhow::bail;
use shared::trace::Trace;

use crate::process_pool::{CRASHING_INPUT, Pool, WORKERS, job};

// ANCHOR: run
/// Maps [`job`] over 12 inputs; checks and prints every result, in input order.
/// `--trace FILE` records each input in its worker's lane, and the crash.
pub fn run(args: &[String]) -> anyhow::Result<()> {
    let trace = Trace::from_args(args)?;
    let inputs: Vec<u64> = (0..12).collect();
    println!(
        "pool: {WORKERS} worker processes, {} inputs; input {CRASHING_INPUT} \
         crashes its worker",
        inputs.len()
    );
    let mut pool = Pool::start(0)?;
    let results = pool.map(&inputs, &AtomicBool::new(false));
    // Whatever `map` returned, every worker is ended and reaped before anything
    // else.
    let shutdown = pool.shutdown(false);
    let results = results?;
    shutdown?;

    let mut failed = 0;
    for (input, result) in inputs.iter().zip(&results) {
        match result {
            Ok(value) if *value == job(*input) => {
                println!("input {input:>2} -> {value}")
            }
            Ok(value) => bail!("input {input}: wrong result {value}"),
            Err(error) => {
                failed += 1;
                println!(
                    "input {input:>2} -> failed: {error} (Python: BrokenProcessPool)"
                );
            }
        }
    }
    let arrived = results.len() - failed;
    println!(
        "{arrived} of {} results, in input order, each checked; {failed} input \
         failed",
        results.len()
    );
    trace.finish()
}
// ANCHOR_END: run
