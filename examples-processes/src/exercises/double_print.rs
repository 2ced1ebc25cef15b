//! `double-print`: with stdout a pipe and a buffer in memory at the fork, each
//! line comes out exactly once.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use shared::exercise::run_program;

pub fn check(program: &Path) -> Result<String, String> {
    let ran = run_program(Command::new(program), Duration::from_secs(20))
        .map_err(|error| format!("{error:#}"))?;
    if ran.timed_out || !ran.status.is_some_and(|status| status.success()) {
        return Err(format!(
            "it ended with {}:\n{}{}",
            ran.ended(),
            ran.stdout,
            ran.stderr
        ));
    }
    for line in [
        "report of parent",
        "child: result 42",
        "parent: the child exited with code 0",
    ] {
        let times =
            ran.stdout.lines().filter(|printed| printed.starts_with(line)).count();
        if times != 1 {
            let why = if times > 1 {
                "the child printed the copy of the parent's buffer it got at the fork"
            } else {
                "a line still in a buffer when its process ended is lost"
            };
            return Err(format!(
                "`{line}` came out {times} times, not once: {why}\n{}",
                ran.stdout
            ));
        }
    }
    if ran.strays {
        return Err(
            "it left a process behind, still running after it ended".to_owned()
        );
    }
    Ok("every line came out once, with stdout a pipe".to_owned())
}
