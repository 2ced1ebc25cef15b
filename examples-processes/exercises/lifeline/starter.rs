// Exercise `lifeline`: when the parent dies, even by SIGKILL, its child must
// end too, within a second.
//
// The check kills the parent alone (SIGKILL) once it printed its child's pid,
// then looks for the child.
use std::process::Command;
use std::thread;
use std::time::Duration;

fn main() -> std::io::Result<()> {
    if std::env::args().nth(1).as_deref() == Some("child") {
        child_work();
        return Ok(());
    }
    // Steps 1 to 3: the child is this program again, told so by its argument.
    let mut child =
        Command::new(std::env::current_exe()?).arg("child").spawn()?;
    println!("parent: started child {}", child.id());
    thread::sleep(Duration::from_secs(5)); // the parent's own work

    // Step 4: join. The child works for longer: stop it first.
    child.kill()?;
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
