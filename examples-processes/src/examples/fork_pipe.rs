//! A pipe made before a fork: parent and child each hold both ends.

use std::io::{self, Read, Write};
use std::time::Duration;

use crate::sys::{check_waited, current_pid, fork_child_fallible};

pub fn run() -> anyhow::Result<()> {
    let (mut reader, mut writer) = io::pipe()?;
    // Steps 1 to 3: the child gets copies of both ends, and writes.
    let mut child = fork_child_fallible(move || {
        writeln!(writer, "hello from child {}", current_pid())
    })?;
    // Our `writer` went with the closure: end of file comes when the child's
    // copy closes, as it exits.
    let mut message = String::new();
    reader.read_to_string(&mut message)?;
    // Step 4: join.
    check_waited("the child", child.join_or_kill(Duration::from_secs(2))?)?;
    print!("pipe made before fork, parent read: {message}");
    Ok(())
}
