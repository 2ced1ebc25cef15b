//! Writing more than a pipe holds before reading: each process blocks.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::thread;
use std::time::Duration;

use anyhow::bail;

use crate::sys::{self, Pid, describe};

const DEADLINE: Duration = Duration::from_secs(2);
const BIG: usize = 1 << 20; // Far more than a pipe holds (64 KiB on Linux).

pub fn run() -> anyhow::Result<()> {
    // Steps 1 to 3: the `echo` task of `pipes`, its stdin and stdout piped.
    let mut child = Command::new(std::env::current_exe()?)
        .args(["__task", "echo"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let mut stdout = child.stdout.take().expect("stdout is piped");
    // Write everything, then read: on a thread, so this one watches the clock.
    let naive = thread::spawn(move || -> std::io::Result<usize> {
        // Once the child is killed, the write fails here: no SIGPIPE.
        sys::block_sigpipe_in_this_thread()?;
        stdin.write_all(&vec![b'x'; BIG])?;
        drop(stdin);
        stdout.read_to_end(&mut Vec::new())
    });
    // Step 4: join, with a deadline; the child never ends by itself.
    if let Some(status) = sys::wait_timeout(&mut child, DEADLINE)? {
        bail!("expected a deadlock, but the echo child {}", describe(status));
    }
    let blocked_in = sys::blocked_in(child.id() as Pid)
        .unwrap_or_else(|| "? (shown on Linux only)".to_owned());
    child.kill()?;
    println!(
        "deadlock: after {DEADLINE:?} the child was blocked in {blocked_in}\n  \
         writing to its full stdout pipe, which nobody read,\n  \
         while we were blocked writing to its full stdin pipe"
    );
    println!("killed the child: {}", describe(child.wait()?));
    match naive.join().expect("the naive writer panicked") {
        Err(error) => println!("the naive writer gave up: {error}"),
        Ok(n) => bail!("the naive writer finished ({n} bytes echoed)"),
    }
    Ok(())
}
