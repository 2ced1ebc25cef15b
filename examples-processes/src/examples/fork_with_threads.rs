//! Fork copies only the calling thread: a lock another thread holds stays
//! locked in the child for ever.

use std::sync::{Mutex, mpsc};
use std::thread;
use std::time::Duration;

use anyhow::{Result, bail};

use crate::sys::fork_child;
use crate::sys::{Waited, allow_fork_with_threads, check_waited, describe};

const DEADLINE: Duration = Duration::from_secs(1);
static LOCK: Mutex<()> = Mutex::new(());

pub fn run() -> Result<()> {
    // ANCHOR: mutex
    let (locked, is_locked) = mpsc::channel();
    let (release, released) = mpsc::channel::<()>();
    let holder = thread::spawn(move || {
        let _guard = LOCK.lock();
        locked.send(()).expect("run waits for this");
        released.recv().unwrap_or(()); // Released or closed: let go.
    });
    is_locked.recv()?;
    // Steps 1 to 3, while another thread holds the lock the child takes.
    let target = || drop(LOCK.lock());
    // SAFETY: the child's only act: waiting for that lock, copied held.
    let forked = unsafe { allow_fork_with_threads(|| fork_child(target)) };
    // Step 4: join, with a deadline: the child is blocked for ever.
    let waited = forked.and_then(|mut child| child.join_or_kill(DEADLINE));
    drop(release);
    holder.join().expect("the holder thread panicked");
    let waited = waited?;
    let Waited::Killed(status) = waited else {
        bail!("Mutex: not blocked: {}", describe(waited.status()));
    };
    println!(
        "Mutex: child deadlocked on a lock held by a thread it does not have"
    );
    println!("Mutex: still blocked after {DEADLINE:?}; {}", describe(status));
    // ANCHOR_END: mutex
    // ANCHOR: safe
    let mut child = fork_child(|| {
        drop(LOCK.lock());
        println!("child: took the Mutex, then stdout's lock, at once");
    })?;
    check_waited("the child", child.join_or_kill(DEADLINE)?)?;
    println!("no other thread: the child exited with code 0");
    // ANCHOR_END: safe
    Ok(())
}
