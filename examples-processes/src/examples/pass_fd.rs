//! A Unix-domain socket carries an open file descriptor to another process.

use std::fs::{self, File};
use std::io::{self, Seek, Write};
use std::os::fd::AsFd;
use std::os::unix::net::{UnixListener, UnixStream};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, bail, ensure};

use crate::sys::{self, check_waited};

const DEADLINE: Duration = Duration::from_secs(5);

pub fn run() -> anyhow::Result<()> {
    // A private directory for the socket: its path is all the child gets.
    let dir =
        std::env::temp_dir().join(format!("pass-fd-{}", std::process::id()));
    fs::create_dir(&dir)
        .with_context(|| format!("creating {}", dir.display()))?;
    let path = dir.join("socket");
    let listener = UnixListener::bind(&path)?;
    // Steps 1 to 3: this program again, on the `receive-fd` task.
    let mut child = Command::new(std::env::current_exe()?)
        .args(["__task", "receive-fd"])
        .arg(&path)
        .spawn()?;
    let talked = send_a_file(&listener);
    // Step 4: join, with a deadline.
    let waited = sys::wait_or_kill(&mut child, DEADLINE)?;
    fs::remove_dir_all(&dir)?;
    talked?;
    check_waited("the child", waited)
}

fn send_a_file(listener: &UnixListener) -> anyhow::Result<()> {
    let ready = sys::wait_readable(&[listener], DEADLINE)?[0];
    ensure!(ready, "no child connected within {DEADLINE:?}");
    let (mut socket, _) = listener.accept()?;
    socket.set_read_timeout(Some(DEADLINE))?;
    let mut note = sys::memory_file("note")?;
    note.write_all(b"parent: written before sending\n")?;
    sys::send_with_fd(&socket, b"here is a file", note.as_fd())?;
    let reply = io::read_to_string(&mut socket)?;
    println!("parent: the child says {reply:?}");
    note.rewind()?;
    let text = io::read_to_string(&mut note)?;
    print!("parent: the file now holds:\n{text}");
    Ok(())
}

/// The `receive-fd PATH` task.
pub fn receive_fd(args: &[String]) -> anyhow::Result<()> {
    let [path] = args else { bail!("expected a socket path") };
    let mut socket = UnixStream::connect(path)?;
    socket.set_read_timeout(Some(DEADLINE))?;
    let mut message = [0; 64];
    let (length, fd) = sys::receive_with_fd(&socket, &mut message)?;
    let fd = fd.context("no descriptor came with the message")?;
    let text = String::from_utf8_lossy(&message[..length]);
    println!("child: received {text:?} and a descriptor");
    // The same open file: its offset is where the parent's write left it.
    let mut note = File::from(fd);
    note.write_all(b"child: written through the descriptor it received\n")?;
    socket.write_all(b"done")?;
    Ok(())
}

type Task = fn(&[String]) -> anyhow::Result<()>;
pub const TASKS_WITH_ARGS: &[(&str, Task)] = &[("receive-fd", receive_fd)];
