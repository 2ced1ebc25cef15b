//! `crash-signal`: the parent names the signal that ended the crashed child,
//! reports the others' results and exits 0.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use shared::exercise::run_program;

pub fn check(program: &Path) -> Result<String, String> {
    // No core file left behind by the crash: the limit is inherited.
    let mut command = Command::new("sh");
    command.args(["-c", "ulimit -c 0 && exec \"$0\""]).arg(program);
    let ran = run_program(command, Duration::from_secs(20))
        .map_err(|error| format!("{error:#}"))?;
    if ran.timed_out {
        return Err(
            "it did not finish in 20 s and was stopped: a child never waited for?"
                .to_owned(),
        );
    }
    if !ran.status.is_some_and(|status| status.success()) {
        return Err(format!(
            "the parent ended with {} instead of exit code 0: a crash in one child must not \
             bring the parent down\n{}{}",
            ran.ended(),
            ran.stdout,
            ran.stderr
        ));
    }
    let line = |task: &str| {
        ran.stdout.lines().find(|line| line.contains(task)).unwrap_or("")
    };
    if !line("child crash").contains("SIGABRT") {
        return Err(format!(
            "the line about the crashed child does not name its signal (SIGABRT): `{}`\n{}",
            line("child crash"),
            ran.stdout
        ));
    }
    for (task, result) in [("sum", "55"), ("product", "3628800")] {
        if !line(&format!("child {task}")).contains(result) {
            return Err(format!(
                "the {task} child's result, {result}, is missing:\n{}",
                ran.stdout
            ));
        }
    }
    if !ran.stdout.contains("every child reported") || ran.strays {
        return Err(format!(
            "it did not report every child, or left one running:\n{}",
            ran.stdout
        ));
    }
    Ok("the crash was reported as SIGABRT, the other results too, and the parent exited 0".to_owned())
}
