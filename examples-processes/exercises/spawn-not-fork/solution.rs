// Exercise `spawn-not-fork`: the child must log its result and print the log,
// though another thread of the parent holds the log's lock when the child
// starts. Make it finish, every run.
//
// The check sets HOLD_MS=3000 (how long the other thread holds the lock) and
// runs the program with a deadline.
use std::io;
use std::process::Command;
use std::sync::{Arc, Barrier, Mutex};
use std::thread;
use std::time::Duration;

static LOG: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn hold() -> Duration {
    let ms = std::env::var("HOLD_MS").ok().and_then(|ms| ms.parse().ok());
    Duration::from_millis(ms.unwrap_or(500))
}

fn main() -> io::Result<()> {
    if std::env::args().nth(1).as_deref() == Some("child") {
        child_task();
        return Ok(());
    }
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

    // Steps 1 to 3: `spawn` starts this program afresh, sent to the child's
    // task by its argument: a new process, whose log's lock nobody holds.
    let mut child =
        Command::new(std::env::current_exe()?).arg("child").spawn()?;
    // Step 4: join.
    let code = child.wait()?.code().unwrap_or(-1); // -1: a signal ended it.
    println!("parent: the child exited with code {code}");
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
