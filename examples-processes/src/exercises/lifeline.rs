//! `lifeline`: the child works while its parent lives, and ends within a second
//! or so once the parent is killed (SIGKILL: the parent had no say).

use std::path::Path;
use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};

use shared::exercise::run_program_watched;

use super::os::{kill_only, line_with, listed, running};

/// How long the orphan may take to notice.
const GRACE: Duration = Duration::from_secs(2);

pub fn check(program: &Path) -> Result<String, String> {
    let (ran, watched) =
        run_program_watched(Command::new(program), Duration::from_secs(30), |parent, lines| {
            let line = line_with(&lines, "started child", Duration::from_secs(20))?;
            let child: u32 = line
                .rsplit(' ')
                .next()
                .and_then(|pid| pid.parse().ok())
                .ok_or_else(|| format!("no child's pid at the end of `{line}`"))?;
            thread::sleep(Duration::from_millis(500));
            if !running(child) {
                return Err(format!(
                    "the child {child} had ended 0.5 s after it started, while its parent \
                     still lived: it must work as long as the parent does"
                ));
            }
            kill_only(parent)?;
            let killed = Instant::now();
            while running(child) {
                if killed.elapsed() > GRACE {
                    return Err(format!(
                        "the child {child} still ran {} s after its parent was killed: an \
                         orphan, working for nobody",
                        GRACE.as_secs()
                    ));
                }
                thread::sleep(Duration::from_millis(20));
            }
            let took = killed.elapsed();
            // Ended, it waits as a zombie for its new parent (init) to reap it:
            // give that a moment, before the check looks for processes left.
            while listed(child) && killed.elapsed() < took + GRACE {
                thread::sleep(Duration::from_millis(20));
            }
            Ok(took)
        })
        .map_err(|error| format!("{error:#}"))?;
    let took = watched?;
    if ran.strays {
        return Err(
            "it left a process behind, still running after it ended".to_owned()
        );
    }
    Ok(format!(
        "the child ended {} ms after its parent was killed (SIGKILL)",
        took.as_millis()
    ))
}
