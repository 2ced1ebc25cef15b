// Exercise `crash-signal`: one child crashes. The parent must say which signal
// ended it, report the other children's results, and exit 0.
//
// The check runs it with core dumps off (`ulimit -c 0`).
use std::process::{Command, Stdio};

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    if args.next().as_deref() == Some("task") {
        run_task(&args.next().unwrap_or_default());
        return Ok(());
    }
    // Steps 1 to 3: one child per task, each this program again.
    let mut children = Vec::new();
    for task in ["sum", "crash", "product"] {
        let child = Command::new(std::env::current_exe()?)
            .args(["task", task])
            .stdout(Stdio::piped())
            .spawn()?;
        children.push((task, child));
    }

    // Step 4: join each child, and report how it ended.
    for (task, child) in children {
        let output = child.wait_with_output()?;
        let code = output.status.code().unwrap();
        let result = String::from_utf8_lossy(&output.stdout);
        println!("child {task}: exit code {code}, result {}", result.trim());
    }
    println!("parent: every child reported");
    Ok(())
}

fn run_task(task: &str) {
    match task {
        "sum" => println!("{}", (1..=10).sum::<u64>()),
        "product" => println!("{}", (1..=10).product::<u64>()),
        _ => std::process::abort(), // SIGABRT: the child crashes.
    }
}
