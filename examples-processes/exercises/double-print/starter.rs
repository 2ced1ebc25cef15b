// Exercise `double-print`: the report's header comes out twice. Make every
// line come out exactly once.
//
// The output goes through a `BufWriter`, as a program writing a report does:
// the header is still in that buffer, in memory, when the program forks.
use std::io::{self, BufWriter, Write};

fn main() -> io::Result<()> {
    let mut out = BufWriter::new(io::stdout());
    writeln!(out, "report of parent {}", std::process::id())?;

    // Steps 1 to 3: `fork` creates the child, a copy of this process (memory,
    // buffer and all), and starts it; its target is the `Child` branch.
    match fork()? {
        Fork::Child => {
            writeln!(out, "child: result 42")?;
            out.flush()?;
            exit_now(0);
        }
        Fork::Parent(child) => {
            // Step 4: join.
            let code = wait_for(child)?;
            writeln!(out, "parent: the child exited with code {code}")?;
        }
    }
    out.flush()
}

enum Fork {
    Child,
    Parent(libc::pid_t),
}

/// `fork()`: the child is a copy of this process, memory and all.
fn fork() -> io::Result<Fork> {
    // SAFETY: this program has one thread when it forks, so no lock can be
    // held by a thread the child lacks; the child writes, then `_exit`s.
    match unsafe { libc::fork() } {
        -1 => Err(io::Error::last_os_error()),
        0 => Ok(Fork::Child),
        pid => Ok(Fork::Parent(pid)),
    }
}

/// Waits for the child; returns its exit code (-1: a signal ended it).
fn wait_for(child: libc::pid_t) -> io::Result<i32> {
    let mut status = 0;
    // SAFETY: `status` is a valid place for the kernel to write an int.
    if unsafe { libc::waitpid(child, &mut status, 0) } == -1 {
        return Err(io::Error::last_os_error());
    }
    let exited = libc::WIFEXITED(status);
    Ok(if exited { libc::WEXITSTATUS(status) } else { -1 })
}

/// Ends the child at once: no destructor runs, nothing more is flushed.
fn exit_now(code: i32) -> ! {
    // SAFETY: `_exit` only ends this process; it never returns.
    unsafe { libc::_exit(code) }
}
