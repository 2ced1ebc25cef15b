//! `pipe-deadlock`: every line comes back, in order, however many there are;
//! a run that hangs is stopped at its deadline and named a deadlock.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use shared::exercise::run_program;

const DEADLINE: Duration = Duration::from_secs(10);

pub fn check(program: &Path) -> Result<String, String> {
    for lines in [200_000, 1_000_000] {
        let mut command = Command::new(program);
        command.env("LINES", lines.to_string());
        let ran =
            run_program(command, DEADLINE).map_err(|error| format!("{error:#}"))?;
        if ran.timed_out {
            return Err(format!(
                "with LINES={lines} it did not finish in {} s and was stopped: a deadlock \
                 (each process blocked writing to a full pipe that the other does not read)",
                DEADLINE.as_secs()
            ));
        }
        if !ran.status.is_some_and(|status| status.success()) {
            return Err(format!(
                "with LINES={lines} it ended with {}:\n{}",
                ran.stderr,
                ran.ended()
            ));
        }
        let printed: Vec<&str> = ran.stdout.lines().collect();
        let expected = (1..=lines).map(|n| n.to_string());
        let wrong =
            printed.iter().zip(expected).position(|(line, number)| *line != number);
        let complete =
            printed.len() == lines + 1 && printed[lines].starts_with("done");
        if let Some(at) = wrong.or((!complete).then_some(printed.len().min(lines))) {
            let found = printed.get(at).unwrap_or(&"(nothing)");
            return Err(format!(
                "with LINES={lines}, line {} came back as `{found}`: every line must come back, \
                 in order, then the `done` line",
                at + 1
            ));
        }
    }
    Ok("200 000 and 1 000 000 lines came back in order, well within the deadline"
        .to_owned())
}
