//! `reap-zombie`: while the parent works, none of its children is a zombie.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::thread;
use std::time::Duration;

use shared::exercise::run_program_watched;

use super::os::{children, line_with};

pub fn check(program: &Path) -> Result<String, String> {
    let (ran, watched) = run_program_watched(
        Command::new(program),
        Duration::from_secs(30),
        |pid, lines| -> Result<BTreeSet<u32>, String> {
            line_with(&lines, "busy", Duration::from_secs(20))?;
            // Its children had 600 ms to end: any not waited for is a zombie.
            let mut zombies = BTreeSet::new();
            for _ in 0..6 {
                thread::sleep(Duration::from_millis(100));
                for (child, state) in children(pid)? {
                    if state.starts_with('Z') {
                        zombies.insert(child);
                    }
                }
            }
            Ok(zombies)
        },
    )
    .map_err(|error| format!("{error:#}"))?;
    let zombies = watched.map_err(|why| format!("{why}:\n{}", ran.stdout))?;
    if !zombies.is_empty() {
        let pids: Vec<String> = zombies.iter().map(u32::to_string).collect();
        return Err(format!(
            "while the parent worked, its children {} were zombies (state Z in \
             `ps`: ended, never waited for)",
            pids.join(", ")
        ));
    }
    if !ran.status.is_some_and(|status| status.success()) {
        return Err(format!("it ended with {}:\n{}", ran.ended(), ran.stderr));
    }
    if ran.strays {
        return Err(
            "it left a process behind, still running after it ended".to_owned()
        );
    }
    if !ran.stdout.contains("parent: done") {
        return Err(format!("it never printed `parent: done`:\n{}", ran.stdout));
    }
    Ok("no child was a zombie while the parent worked, and none was left behind"
        .to_owned())
}
