//! Fork while another thread holds stdout's lock: the child's `println!` hangs.

use std::io;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use anyhow::bail;

use crate::sys::{Fork, Waited, allow_fork_with_threads, describe};
use crate::sys::{exit_immediately, fork_raw};

const DEADLINE: Duration = Duration::from_secs(1);

pub fn run() -> anyhow::Result<()> {
    let (locked, is_locked) = mpsc::channel();
    let (release, released) = mpsc::channel::<()>();
    let holder = thread::spawn(move || {
        let _guard = io::stdout().lock();
        locked.send(()).expect("run waits for this");
        released.recv().unwrap_or(()); // Released or closed: let go.
    });
    is_locked.recv()?;
    // Steps 1 to 3: a raw fork; `fork_child` would flush stdout first, which
    // takes the lock too.
    // SAFETY: the child's only act, `println!`, waits for stdout's lock.
    let waited = match unsafe { allow_fork_with_threads(fork_raw) } {
        Ok(Fork::Child) => {
            println!("child: printing a line");
            exit_immediately(0);
        }
        // Step 4: join, with a deadline: the child is blocked for ever.
        Ok(Fork::Parent(mut child)) => child.join_or_kill(DEADLINE),
        Err(error) => Err(error),
    };
    drop(release);
    holder.join().expect("the holder thread panicked");
    let waited = waited?;
    let Waited::Killed(status) = waited else {
        let ending = describe(waited.status());
        bail!("stdout's lock: the child was not blocked: it {ending}");
    };
    println!(
        "stdout's lock: child deadlocked on a lock held by a thread it does \
         not have"
    );
    let killed = describe(status);
    println!("stdout's lock: still blocked after {DEADLINE:?}; {killed}");
    Ok(())
}
