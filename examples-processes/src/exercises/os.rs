//! What the process checks ask the OS about a running program, through `ps` and
//! `kill` (Linux and macOS alike): its children and their states, whether a
//! process is still there, a signal to one process.

use std::process::Command;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

/// What a check says on Windows, where the process exercises do not run.
pub const UNIX_ONLY: &str = "the process exercises run on Unix only (Linux, macOS): \
                             their programs fork or signal, and their checks ask `ps`";

/// The children of `parent`: `(pid, state)`, the state as `ps` shows it (`Z`:
/// a zombie).
pub fn children(parent: u32) -> Result<Vec<(u32, String)>, String> {
    let output = Command::new("ps")
        .args(["-A", "-o", "pid=,ppid=,stat="])
        .output()
        .map_err(|error| format!("running ps: {error}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    let mut found = Vec::new();
    for line in text.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if let [pid, ppid, state, ..] = fields[..]
            && ppid.parse() == Ok(parent)
        {
            found.push((pid.parse().unwrap_or(0), state.to_owned()));
        }
    }
    Ok(found)
}

/// The state of `pid` as `ps` shows it, if there is such a process.
fn state(pid: u32) -> Option<String> {
    let output =
        Command::new("ps").args(["-o", "stat=", "-p", &pid.to_string()]).output();
    let state = String::from_utf8_lossy(&output.ok()?.stdout).trim().to_owned();
    (!state.is_empty()).then_some(state)
}

/// Whether `pid` is a running process (a zombie counts as gone: it has ended).
pub fn running(pid: u32) -> bool {
    state(pid).is_some_and(|state| !state.starts_with('Z'))
}

/// Whether `pid` is still in the process table, running or a zombie.
pub fn listed(pid: u32) -> bool {
    state(pid).is_some()
}

/// Sends SIGKILL to `pid` alone (not to its group).
pub fn kill_only(pid: u32) -> Result<(), String> {
    let status = Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status()
        .map_err(|error| format!("running kill: {error}"))?;
    if status.success() { Ok(()) } else { Err(format!("kill -KILL {pid}: {status}")) }
}

/// Waits for a line of the program's that contains `part`, for up to `wait`;
/// returns it, or why not.
pub fn line_with(
    lines: &Receiver<String>,
    part: &str,
    wait: Duration,
) -> Result<String, String> {
    let give_up = Instant::now() + wait;
    loop {
        let left = give_up.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok(line) if line.contains(part) => return Ok(line),
            Ok(_) => {}
            Err(_) => return Err(format!("it never printed a line with `{part}`")),
        }
    }
}
