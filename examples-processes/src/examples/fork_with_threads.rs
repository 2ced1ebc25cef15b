//! Fork copies only the calling thread: a lock another thread holds stays
//! locked in the child for ever (why Python 3.12 warns, and 3.14 moved Linux
//! to `forkserver`).

use std::sync::{Mutex, mpsc};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::sys::{Fork, Waited, allow_fork_with_threads, check_waited};
use crate::sys::{describe, exit_immediately, fork_child, fork_raw};

const DEADLINE: Duration = Duration::from_secs(1);
static LOCK: Mutex<()> = Mutex::new(());

pub fn run() -> Result<()> {
    // ANCHOR: mutex
    let holder = Holder::start(|| LOCK.lock())?;
    // Steps 1 to 3, while another thread holds the lock: the child's target
    // takes the same lock.
    let target = || drop(LOCK.lock());
    // SAFETY: the child's only act: waiting for that lock, copied held.
    let mut child = unsafe { allow_fork_with_threads(|| fork_child(target)) }?;
    // Step 4: join, with a deadline: the child is blocked for ever.
    let waited = child.join_or_kill(DEADLINE)?;
    holder.release();
    report("Mutex", waited)?;
    // ANCHOR_END: mutex
    // ANCHOR: stdout
    // The same with stdout's lock, which every `println!` takes. A raw fork:
    // `fork_child` flushes stdout first, which takes that lock too.
    let holder = Holder::start(|| std::io::stdout().lock())?;
    // SAFETY: the child's only act, `println!`, waits for stdout's lock.
    let waited = match unsafe { allow_fork_with_threads(fork_raw) }? {
        Fork::Child => {
            println!("child: printing a line");
            exit_immediately(0);
        }
        Fork::Parent(mut child) => child.join_or_kill(DEADLINE)?,
    };
    holder.release();
    report("stdout's lock", waited)?;
    // ANCHOR_END: stdout
    // ANCHOR: safe
    // Safe: with no other thread running, no lock can be held.
    let mut child = fork_child(|| {
        drop(LOCK.lock());
        println!("child: took the Mutex, then stdout's lock, at once");
    })?;
    check_waited("the child", child.join_or_kill(DEADLINE)?)?;
    println!("no other thread: the child exited with code 0");
    // ANCHOR_END: safe
    Ok(())
}

fn report(lock: &str, waited: Waited) -> Result<()> {
    let Waited::Killed(status) = waited else {
        bail!("{lock}: not blocked: {}", describe(waited.status()));
    };
    let what = "child deadlocked on a lock held by a thread it does not have";
    println!("{lock}: {what}");
    println!("{lock}: still blocked after {DEADLINE:?}; {}", describe(status));
    Ok(())
}

// ANCHOR: holder
/// A thread that holds a lock until released.
struct Holder {
    release: mpsc::Sender<()>,
    thread: JoinHandle<()>,
}

impl Holder {
    /// Returns once the thread holds the guard `take_lock` returns.
    fn start<G: 'static>(
        take_lock: impl FnOnce() -> G + Send + 'static,
    ) -> Result<Self> {
        let (locked, is_locked) = mpsc::channel();
        let (release, released) = mpsc::channel::<()>();
        let thread = thread::spawn(move || {
            let _guard = take_lock();
            if locked.send(()).is_ok() {
                // A release or a closed channel: either means let go.
                released.recv().unwrap_or(());
            }
        });
        is_locked.recv().context("the holder thread never took the lock")?;
        Ok(Holder { release, thread })
    }

    fn release(self) {
        self.release.send(()).expect("the holder thread is waiting");
        self.thread.join().expect("the holder thread panicked");
    }
}
// ANCHOR_END: holder
