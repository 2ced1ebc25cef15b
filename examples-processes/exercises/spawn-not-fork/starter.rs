// Exercise `spawn-not-fork`: the child must log its result and print the log,
// though another thread of the parent holds the log's lock when the child
// starts. Make it finish, every run.
//
// The check sets HOLD_MS=3000 (how long the other thread holds the lock) and
// runs the program with a deadline.
use std::io;
use std::sync::{Arc, Barrier, Mutex};
use std::thread;
use std::time::Duration;

static LOG: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn hold() -> Duration {
    let ms = std::env::var("HOLD_MS").ok().and_then(|ms| ms.parse().ok());
    Duration::from_millis(ms.unwrap_or(500))
}

fn main() -> io::Result<()> {
    // A thread that holds the log's lock for a while.
    let locked = Arc::new(Barrier::new(2));
    let holder = thread::spawn({
        let locked = Arc::clone(&locked);
        move || {
            let mut log = LOG.lock().expect("the log's lock");
            locked.wait(); // Now the lock is held.
            thread::sleep(hold());
            log.push("holder: done".to_owned());
        }
    });
    locked.wait();

    // Steps 1 to 3: `fork` creates the child, a copy of this process with
    // one thread (this one), and starts it in the `Child` branch.
    match fork()? {
        Fork::Child => {
            child_task();
            exit_now(0);
        }
        Fork::Parent(child) => {
            // Step 4: join.
            let code = wait_for(child)?;
            println!("parent: the child exited with code {code}");
        }
    }
    holder.join().expect("the holder thread panicked");
    Ok(())
}

/// The child's work: log its result, then print the log.
fn child_task() {
    let mut log = LOG.lock().expect("the log's lock");
    log.push("child: result 42".to_owned());
    for line in log.iter() {
        println!("{line}");
    }
}

enum Fork {
    Child,
    Parent(libc::pid_t),
}

/// `fork()`: the child is a copy of this process, with the calling thread.
fn fork() -> io::Result<Fork> {
    // SAFETY: sound only if no other thread holds a lock that the child will
    // take: the child has no copy of that thread, so nothing would unlock it.
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
