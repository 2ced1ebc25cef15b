// Exercise `pipe-deadlock`: the parent sends numbered lines to `cat`, which
// echoes them, and prints what comes back. It hangs: make it finish, with
// every line back, in order.
//
// The check runs it with LINES set (200000 and 1000000: megabytes, far more
// than a pipe holds), each run with a deadline.
use std::io::{Read, Write};
use std::process::{Command, Stdio};

fn lines() -> usize {
    let lines = std::env::var("LINES").ok().and_then(|n| n.parse().ok());
    lines.unwrap_or(200_000)
}

fn main() -> std::io::Result<()> {
    // Steps 1 to 3: `cat` copies its stdin to its stdout, both piped to us.
    let mut cat = Command::new("cat")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let mut stdin = cat.stdin.take().expect("stdin is piped");
    let mut stdout = cat.stdout.take().expect("stdout is piped");
    let text: String = (1..=lines()).map(|n| format!("{n}\n")).collect();

    // Write everything, then read the echo.
    stdin.write_all(text.as_bytes())?;
    drop(stdin); // EOF: `cat` ends once it has echoed everything.
    let mut echoed = String::new();
    stdout.read_to_string(&mut echoed)?;

    // Step 4: join.
    let status = cat.wait()?;
    assert!(status.success(), "cat failed: {status}");
    print!("{echoed}");
    println!("done: {} lines back", echoed.lines().count());
    Ok(())
}
