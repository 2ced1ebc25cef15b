//! `deadlock-order`: the four transfers finish, with the balances right, on
//! each of two runs; a run that outlives its deadline is named a deadlock.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use shared::exercise::run_program;

/// A good run takes about a second: `hold_one` waits up to 300 ms per
/// transfer when the other thread cannot take a lock.
const DEADLINE: Duration = Duration::from_secs(10);

/// The balances after the four transfers, whatever their order.
const BALANCES: &str = "alice 65, bob 135";

pub fn check(program: &Path) -> Result<String, String> {
    for run in 1..=2 {
        let ran = run_program(Command::new(program), DEADLINE)
            .map_err(|error| format!("{error:#}"))?;
        if ran.timed_out {
            return Err(format!(
                "run {run} did not finish in {} s and was stopped: a deadlock (each thread \
                 holds one account's lock and waits for the other's, which it will never get)",
                DEADLINE.as_secs()
            ));
        }
        if !ran.status.is_some_and(|status| status.success()) {
            return Err(format!(
                "run {run} ended with {}:\n{}",
                ran.ended(),
                ran.stderr
            ));
        }
        match ran.stdout.lines().find_map(|line| line.strip_prefix("balances: ")) {
            Some(BALANCES) => {}
            Some(balances) => {
                return Err(format!(
                    "run {run} ended with the balances {balances}, not {BALANCES}: a \
                     transfer moved no money (one that gives up when a lock is taken \
                     must not count as done)"
                ));
            }
            None => {
                return Err(format!(
                    "run {run} printed no `balances:` line:\n{}",
                    ran.stdout
                ));
            }
        }
    }
    Ok(format!(
        "the four transfers finished on two runs, the bad schedule forced, with the \
         balances {BALANCES}"
    ))
}
