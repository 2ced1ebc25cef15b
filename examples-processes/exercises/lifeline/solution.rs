// Exercise `lifeline`: when the parent dies, even by SIGKILL, its child must
// end too, within a second.
//
// The check kills the parent alone (SIGKILL) once it printed its child's pid,
// then looks for the child.
use std::io::Read;
use std::process::{Command, Stdio};
use std::thread;
use std::time::Duration;

fn main() -> std::io::Result<()> {
    if std::env::args().nth(1).as_deref() == Some("child") {
        // The lifeline: the child's stdin is a pipe whose only write end the
        // parent holds. However the parent ends, the kernel closes it, and
        // the read returns end of file.
        thread::spawn(|| {
            let _ = std::io::stdin().read_to_end(&mut Vec::new());
            std::process::exit(0);
        });
        child_work();
        return Ok(());
    }
    // Steps 1 to 3: the child is this program again, told so by its argument.
    let mut child = Command::new(std::env::current_exe()?)
        .arg("child")
        .stdin(Stdio::piped())
        .spawn()?;
    println!("parent: started child {}", child.id());
    thread::sleep(Duration::from_secs(5)); // the parent's own work

    // Step 4: join. Closing the lifeline tells the child to end.
    drop(child.stdin.take());
    let status = child.wait()?;
    println!("parent: done; the child: {status}");
    Ok(())
}

/// The child's work: 30 s of it, in slices.
fn child_work() {
    for _ in 0..300 {
        thread::sleep(Duration::from_millis(100));
    }
}
