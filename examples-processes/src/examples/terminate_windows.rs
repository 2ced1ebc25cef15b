//! `terminate` on Windows: `terminate()` and `kill()` are the same call,
//! `TerminateProcess`, which the child cannot catch.

use std::process::Command;
use std::time::Duration;

use crate::sys::{self, describe};

const DEADLINE: Duration = Duration::from_secs(5);

pub fn run() -> anyhow::Result<()> {
    // Steps 1 to 3: a fresh run of this program, on the `sleep` task.
    let program = std::env::current_exe()?;
    let mut child =
        Command::new(program).args(["__task", "sleep", "30"]).spawn()?;
    // `Child::kill` is `TerminateProcess(handle, 1)`: no handler runs, the exit
    // code is 1.
    child.kill()?;
    // Step 4: join, and say how it ended.
    let ending = describe(sys::wait_or_kill(&mut child, DEADLINE)?.status());
    println!("kill() (TerminateProcess): child {ending}");
    println!(
        "terminate() is the same call on Windows: there is no SIGTERM to \
         catch and clean up"
    );
    Ok(())
}
