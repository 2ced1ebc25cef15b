//! `join-handles`: `Done!` last, every line once, each thread's lines in order,
//! with threads fast and slow.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use shared::exercise::run_program;

pub fn check(program: &Path) -> Result<String, String> {
    let expected: Vec<String> =
        (1..=5).map(|n| n.to_string()).chain(('a'..='e').map(String::from)).collect();
    for pause_ms in [20, 400] {
        let mut command = Command::new(program);
        command.env("PAUSE_MS", pause_ms.to_string());
        let ran = run_program(command, Duration::from_secs(60))
            .map_err(|error| format!("{error:#}"))?;
        if !ran.status.is_some_and(|status| status.success()) {
            return Err(format!(
                "with PAUSE_MS={pause_ms} it ended with {}:\n{}",
                ran.ended(),
                ran.stderr
            ));
        }
        let lines: Vec<&str> = ran.stdout.lines().collect();
        let done =
            lines.iter().position(|line| *line == "Done!").unwrap_or(lines.len());
        let mut before: Vec<String> =
            lines[..done].iter().map(|line| line.to_string()).collect();
        before.sort();
        let missing: Vec<&str> = expected
            .iter()
            .filter(|line| !before.contains(line))
            .map(String::as_str)
            .collect();
        if done == lines.len() {
            return Err(format!(
                "with PAUSE_MS={pause_ms} it never printed `Done!`:\n{}",
                ran.stdout
            ));
        }
        if !missing.is_empty() {
            return Err(format!(
                "with PAUSE_MS={pause_ms}, `Done!` came before {}: main did not wait for every \
                 thread (a line after `Done!` came late; a line never printed died with main)\n{}",
                missing.join(", "),
                ran.stdout
            ));
        }
        if before != expected || done + 1 != lines.len() {
            return Err(format!(
                "with PAUSE_MS={pause_ms} the output was not 1–5 and a–e, each once, then `Done!`:\n{}",
                ran.stdout
            ));
        }
    }
    Ok("`Done!` came last with the threads fast (20 ms a line) and slow (400 ms a line)".to_owned())
}
