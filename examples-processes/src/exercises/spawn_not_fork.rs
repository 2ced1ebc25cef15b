//! `spawn-not-fork`: the child logs its result while another thread of the
//! parent holds the log's lock (3 s), and the program ends within its deadline.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use shared::exercise::run_program;

const DEADLINE: Duration = Duration::from_secs(10);

pub fn check(program: &Path) -> Result<String, String> {
    let mut command = Command::new(program);
    command.env("HOLD_MS", "3000");
    let ran = run_program(command, DEADLINE).map_err(|error| format!("{error:#}"))?;
    if ran.timed_out {
        return Err(format!(
            "it hung: still running after {} s, and stopped. Was the child blocked for ever \
             on a lock that a thread it does not have held at the fork?\n{}",
            DEADLINE.as_secs(),
            ran.stdout
        ));
    }
    if !ran.status.is_some_and(|status| status.success()) {
        return Err(format!(
            "it ended with {}:\n{}{}",
            ran.ended(),
            ran.stdout,
            ran.stderr
        ));
    }
    let logged =
        ran.stdout.lines().filter(|line| *line == "child: result 42").count();
    if logged != 1 {
        return Err(format!(
            "`child: result 42` came out {logged} times, not once: the child must log its \
             result and print the log\n{}",
            ran.stdout
        ));
    }
    if !ran.stdout.contains("exited with code 0") || ran.strays {
        return Err(format!(
            "the child did not exit with code 0, or was left running:\n{}",
            ran.stdout
        ));
    }
    Ok("the child logged its result while another thread held the lock, and exited 0"
        .to_owned())
}
