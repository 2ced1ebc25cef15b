//! `race-atomic`, `race-mutex`, `race-channel`: the program itself, run a few
//! times, counts every increment of its threads, exactly.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use shared::exercise::run_program;

/// What the program must count: 4 threads, 100,000 increments each.
const EXPECTED: u64 = 4 * 100_000;
/// Runs of the program: a loss in any of them fails the check.
const RUNS: usize = 3;
/// Each run's deadline: a run that outlives it is stopped.
const DEADLINE: Duration = Duration::from_secs(60);

pub fn check(program: &Path) -> Result<String, String> {
    for run in 1..=RUNS {
        let ran = run_program(Command::new(program), DEADLINE)
            .map_err(|error| format!("{error:#}"))?;
        if ran.timed_out {
            return Err(format!(
                "run {run} of the program did not finish within {} s and was \
                 stopped: a deadlock? (a thread waiting for a lock it holds \
                 itself, or a receiver waiting for a sender that is never \
                 dropped)\n{}",
                DEADLINE.as_secs(),
                ran.stdout
            ));
        }
        if !ran.status.is_some_and(|status| status.success()) {
            return Err(format!(
                "run {run} of the program ended with {}:\n{}{}",
                ran.ended(),
                ran.stdout,
                ran.stderr
            ));
        }
        let (expected, counted) = counts(&ran.stdout).ok_or_else(|| {
            format!(
                "run {run} of the program printed no line `expected N, counted \
                 M`:\n{}",
                ran.stdout
            )
        })?;
        if expected != EXPECTED {
            return Err(format!(
                "the program expected {expected}, not {EXPECTED}: keep its 4 \
                 threads and 100,000 increments each, the stress the check needs"
            ));
        }
        if counted != expected {
            return Err(format!(
                "run {run} of the program counted {counted} of {expected}: {} \
                 increments lost",
                expected.abs_diff(counted)
            ));
        }
    }
    Ok(format!(
        "the program counted {EXPECTED} of {EXPECTED}, exactly, in {RUNS} runs \
         of 4 threads"
    ))
}

/// `(expected, counted)` from the line `expected N, counted M`.
fn counts(stdout: &str) -> Option<(u64, u64)> {
    stdout.lines().find_map(|line| {
        let rest = line.trim().strip_prefix("expected ")?;
        let (expected, counted) = rest.split_once(", counted ")?;
        Some((expected.parse().ok()?, counted.parse().ok()?))
    })
}
