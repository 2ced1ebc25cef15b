//! Python's three start methods, fork, spawn and forkserver: what each child
//! inherits from its parent (memory, threads, open files).

use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::AsRawFd;
use std::path::Path;
use std::process::Command;
use std::sync::{atomic::AtomicU64, atomic::Ordering, mpsc};
use std::{thread, time::Duration};

use anyhow::{Context, bail};

use crate::sys::{self, check_waited, fork_child, fork_child_fallible};

static MARKER: AtomicU64 = AtomicU64::new(0);
const DEADLINE: Duration = Duration::from_secs(5);

pub fn run() -> anyhow::Result<()> {
    // ANCHOR: setup
    let (mut request_reader, requests) = io::pipe()?;
    let mut requests = Some(requests);
    let mut server = fork_child_fallible(|| -> anyhow::Result<()> {
        drop(requests.take()); // Or it never sees end of file if we die.
        let mut request = [0; 4];
        request_reader.read_exact(&mut request)?;
        let fd = i32::from_le_bytes(request);
        let mut child = fork_child(|| report("forkserver", fd))?;
        check_waited("forkserver child", child.join_or_kill(DEADLINE)?)
    })?;
    drop(request_reader);
    let mut requests = requests.expect("the server took only its own copy");
    MARKER.store(42, Ordering::SeqCst);
    let _written = std::hint::black_box(vec![1u8; 64 << 20]);
    let (stop_helper, stop_requested) = mpsc::channel::<()>();
    let helper = thread::spawn(move || stop_requested.recv());
    let file = File::open("/dev/null").context("opening /dev/null")?;
    let fd = file.as_raw_fd();
    println!(
        "parent: marker 42, {} threads, fd {fd} open on /dev/null",
        sys::thread_count()?
    );
    // ANCHOR_END: setup
    // ANCHOR: three
    // fork. Steps 1 to 3 in one call: the copy runs `report`.
    // SAFETY: the child takes no lock the helper thread may hold: it prints
    // (the helper never does), makes system calls, and allocates (glibc's and
    // macOS's fork reset malloc's locks; holds for those two only).
    let mut child = unsafe {
        sys::allow_fork_with_threads(|| fork_child(|| report("fork", fd)))
    }?;
    // Step 4: join, with a deadline.
    check_waited("fork child", child.join_or_kill(DEADLINE)?)?;
    // spawn. Steps 1 and 2: a fresh run of this program, the hidden argument
    // names the task. Step 3: start. Step 4: join.
    let mut child = Command::new(std::env::current_exe()?)
        .args(["__task", "inherits", &fd.to_string()])
        .spawn()?;
    check_waited("spawn child", sys::wait_or_kill(&mut child, DEADLINE)?)?;
    // forkserver. The request: the server forks the child (steps 1 to 3) and
    // joins it (step 4).
    requests.write_all(&fd.to_le_bytes())?;
    check_waited("forkserver", server.join_or_kill(DEADLINE)?)?;
    // ANCHOR_END: three
    stop_helper.send(()).context("stopping the helper thread")?;
    helper.join().expect("the helper thread panicked")?;
    Ok(())
}

// ANCHOR: report
fn report(method: &str, fd: i32) {
    let threads =
        sys::thread_count().map_or("?".to_owned(), |count| count.to_string());
    let inherited =
        sys::open_file(fd).is_some_and(|path| path == Path::new("/dev/null"));
    let file = if inherited { "inherited" } else { "not inherited" };
    let marker = MARKER.load(Ordering::SeqCst);
    println!(
        "{method:<10}  child: marker {marker}, {threads} thread(s), \
         /dev/null (fd {fd}) {file}"
    );
}
// ANCHOR_END: report

pub fn report_task(args: &[String]) -> anyhow::Result<()> {
    let [fd] = args else { bail!("expected a file descriptor") };
    report("spawn", fd.parse()?);
    Ok(())
}

type Task = fn(&[String]) -> anyhow::Result<()>;
pub const TASKS_WITH_ARGS: &[(&str, Task)] = &[("inherits", report_task)];
