//! An orphan learns that its parent has ended, the portable way: a lifeline
//! pipe whose write end only its parent holds.

use std::io::{self, Read};
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::ensure;

use crate::sys::{self, check_waited};

const DEADLINE: Duration = Duration::from_secs(5);

pub fn run() -> anyhow::Result<()> {
    let (mut report, report_writer) = io::pipe()?;
    // Steps 1 to 3: its stdout, and so its child's, is our report pipe.
    let mut child = Command::new(std::env::current_exe()?)
        .args(["__task", "lifeline-parent"])
        .stdout(report_writer)
        .spawn()?;
    // Step 4: join it. It exits at once; its child lives on, an orphan.
    check_waited("the child", sys::wait_or_kill(&mut child, DEADLINE)?)?;
    ensure!(
        sys::wait_readable(&[&report], DEADLINE)?[0],
        "no report within {DEADLINE:?}"
    );
    // End of file: the grandchild, the last writer, has ended too.
    print!("{}", io::read_to_string(&mut report)?);
    Ok(())
}

fn lifeline_parent() {
    let program = std::env::current_exe().expect("this program");
    let grandchild = Command::new(program)
        .args(["__task", "lifeline"])
        .stdin(Stdio::piped())
        .spawn()
        .expect("starting the lifeline task");
    let orphan = grandchild.id();
    println!("lifeline: the child exits, leaving its child {orphan} an orphan");
    // No wait: the write end closes only when this process ends.
    std::mem::forget(grandchild);
}

fn watch_lifeline() {
    let ready = sys::wait_readable(&[io::stdin()], DEADLINE * 2);
    assert!(ready.expect("polling stdin")[0], "the lifeline stayed open");
    let read = io::stdin().read(&mut [0]).expect("reading the lifeline");
    assert_eq!(read, 0, "something came down the lifeline");
    let me = sys::current_pid();
    println!(
        "lifeline: the orphan {me} read end of file: its parent is gone; \
         it exits"
    );
}

pub const TASKS: &[(&str, fn())] =
    &[("lifeline-parent", lifeline_parent), ("lifeline", watch_lifeline)];
