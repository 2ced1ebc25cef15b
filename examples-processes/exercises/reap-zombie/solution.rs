// Exercise `reap-zombie`: while the parent does its other work, none of its
// children may be a zombie (ended, never waited for).
//
// The check lists the program's children through the OS (`ps`) while it works,
// and fails on any child in state `Z`.
use std::process::Command;
use std::thread;
use std::time::Duration;

fn main() -> std::io::Result<()> {
    // Steps 1 to 3: `spawn` creates, sets the target and starts each child;
    // `true` ends at once.
    let mut children = Vec::new();
    for _ in 0..3 {
        children.push(Command::new("true").spawn()?);
    }

    // Step 4: join. `wait` hands over each child's exit status: the kernel
    // can then forget the child.
    for child in &mut children {
        let status = child.wait()?;
        assert!(status.success(), "a child failed: {status}");
    }

    println!("parent: children started, now busy with other work");
    thread::sleep(Duration::from_millis(800)); // the other work
    println!("parent: done");
    Ok(())
}
