//! `lost-wakeup`, after `check.rs` under loom: the program itself, with real
//! threads, three times; every item taken once, and no run waits for ever.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use shared::exercise::run_program;

const DEADLINE: Duration = Duration::from_secs(20);

/// The program's last line when every item was taken exactly once.
const DONE: &str = "1000 items, each taken once";

pub fn check(program: &Path) -> Result<String, String> {
    for run in 1..=3 {
        let ran = run_program(Command::new(program), DEADLINE)
            .map_err(|error| format!("{error:#}"))?;
        if ran.timed_out {
            return Err(format!(
                "run {run} did not finish in {} s and was stopped: a consumer waits for \
                 ever (a lost wake-up)",
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
        if ran.stdout.lines().last() != Some(DONE) {
            return Err(format!(
                "run {run} did not end with `{DONE}`:\n{}",
                ran.stdout
            ));
        }
    }
    Ok(format!("three runs of the program with real threads: {DONE}"))
}
