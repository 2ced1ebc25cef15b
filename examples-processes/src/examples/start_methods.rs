//! Python's three start methods, fork, spawn and forkserver, done in Rust on the same task:
//! what each child inherits from its parent (memory, threads, open files) and what each costs.

use std::fs::File;
use std::io::{self, PipeReader, PipeWriter, Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::ExitStatus;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};

use crate::status::{self, check_waited};
use crate::sys::{self, Fork, ForkedChild, exit_immediately, fork_child, fork_raw};
use crate::tasks;

/// A value the parent sets once the forkserver is running: which children see it?
static MARKER: AtomicU64 = AtomicU64::new(0);
const DEADLINE: Duration = Duration::from_secs(5);
const RUNS: usize = 7;

/// Starts the forkserver, changes the parent, then runs the same task the three ways.
pub fn run() -> anyhow::Result<()> {
    // ANCHOR: setup
    // The forkserver starts first, while this process is small and has one thread.
    let mut server = ForkServer::start()?;
    // Then the parent changes: a value in memory, 64 MiB written, a thread, an open file.
    MARKER.store(42, Ordering::SeqCst);
    let buffer = std::hint::black_box(vec![1u8; 64 << 20]);
    let (stop_helper, stop_requested) = mpsc::channel::<()>();
    let helper = thread::spawn(move || stop_requested.recv()); // Idle; it holds no lock.
    let file = File::open("/dev/null").context("opening /dev/null")?;
    let fd = file.as_raw_fd();
    println!("parent: marker 42, {} threads, fd {fd} open on /dev/null", sys::thread_count()?);
    // ANCHOR_END: setup

    // ANCHOR: three
    // fork. Steps 1 to 3 in one call: the kernel copies this process, the copy runs `report`.
    let mut child = fork_child(|| report("fork", fd))?;
    // Step 4: join, with a deadline; the exit status is checked.
    check_waited("fork child", child.join_or_kill(DEADLINE)?)?;
    // spawn. Steps 1 and 2: a fresh run of this program, the hidden argument names the task.
    // Step 3: start. Step 4: join.
    let mut child = tasks::command("inherits", &["spawn", &fd.to_string()])?.spawn()?;
    check_waited("spawn child", sys::wait_or_kill(&mut child, DEADLINE)?)?;
    // forkserver. One request: the server, forked before all the changes above, forks the
    // child (steps 1 to 3), joins it (step 4) and sends back its exit status.
    status::check("forkserver child", server.start_child(Some(fd))?)?;
    // ANCHOR_END: three

    // ANCHOR: costs
    let fork_cost = median_time(|| check_waited("child", fork_child(|| ())?.join_or_kill(DEADLINE)?))?;
    let spawn_cost = median_time(|| {
        let mut child = tasks::command("nothing", &[])?.spawn()?;
        check_waited("child", sys::wait_or_kill(&mut child, DEADLINE)?)
    })?;
    let forkserver_cost = median_time(|| status::check("child", server.start_child(None)?))?;
    // ANCHOR_END: costs
    println!("start a child, run an empty task, join it (median of {RUNS} runs):");
    let size = buffer.len() >> 20;
    println!("  fork        {fork_cost:>9.2?}  copies the page tables of this {size} MiB process");
    println!("  spawn       {spawn_cost:>9.2?}  a fresh program: exec, load, start the runtime");
    println!("  forkserver  {forkserver_cost:>9.2?}  a request over a pipe; the small server forks");

    server.stop()?;
    stop_helper.send(()).context("stopping the helper thread")?;
    match helper.join() {
        Ok(Ok(())) => Ok(()),
        Ok(Err(error)) => Err(anyhow!("the helper thread was not told to stop: {error}")),
        Err(_) => Err(anyhow!("the helper thread panicked")),
    }
}

// ANCHOR: report
/// The task every start method runs: what did this child get from its parent?
fn report(method: &str, fd: i32) {
    let threads = sys::thread_count().map_or("?".to_owned(), |count| count.to_string());
    let inherited = sys::open_file(fd).is_some_and(|path| path == Path::new("/dev/null"));
    let file = if inherited { "inherited" } else { "not inherited" };
    let marker = MARKER.load(Ordering::SeqCst);
    println!("{method:<10}  child: marker {marker}, {threads} thread(s), /dev/null (fd {fd}) {file}");
}
// ANCHOR_END: report

/// The `inherits METHOD FD` task: [`report`] in a spawned child.
pub fn report_task(args: &[String]) -> anyhow::Result<()> {
    let [method, fd] = args else {
        return Err(shared::usage_error!("expected METHOD FD, got: {}", args.join(" ")));
    };
    let fd = fd.parse().map_err(|_| shared::usage_error!("expected a file descriptor, got '{fd}'"))?;
    report(method, fd);
    Ok(())
}

fn median_time(mut start_and_join: impl FnMut() -> anyhow::Result<()>) -> anyhow::Result<Duration> {
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        start_and_join()?;
        times.push(started.elapsed());
    }
    times.sort();
    Ok(times[RUNS / 2])
}

// ANCHOR: forkserver
/// Python's `forkserver`: a small process, started early while the parent had one thread and
/// little memory, that forks children on request. Being a copy of this program, it already
/// has every function a child may run; a request only says which.
struct ForkServer {
    requests: PipeWriter,
    replies: PipeReader,
    process: ForkedChild,
}

impl ForkServer {
    fn start() -> io::Result<ForkServer> {
        let (request_reader, requests) = io::pipe()?;
        let (replies, reply_writer) = io::pipe()?;
        io::stdout().flush()?;
        // A raw fork, so that each side can close the two pipe ends it does not use. The
        // server must not keep a write end of its own request pipe: it would never see the
        // end of file that tells it to stop.
        match fork_raw()? {
            Fork::Child => {
                drop((requests, replies));
                let code = match serve(request_reader, reply_writer) {
                    Ok(()) => 0,
                    Err(error) => {
                        eprintln!("forkserver: {error}");
                        1
                    }
                };
                exit_immediately(code)
            }
            Fork::Parent(process) => Ok(ForkServer { requests, replies, process }),
        }
    }

    /// Has the server fork a child that reports on `fd` (or does nothing): how it ended.
    fn start_child(&mut self, report_on: Option<i32>) -> io::Result<ExitStatus> {
        self.requests.write_all(&report_on.unwrap_or(-1).to_le_bytes())?;
        // No deadline needed: the server bounds each child, and if it dies this read ends.
        let mut reply = [0; 4];
        self.replies.read_exact(&mut reply)?;
        Ok(ExitStatus::from_raw(i32::from_le_bytes(reply)))
    }

    fn stop(mut self) -> anyhow::Result<()> {
        drop(self.requests); // End of file: the server's loop ends.
        check_waited("forkserver", self.process.join_or_kill(DEADLINE)?)
    }
}

/// The server's loop: per request (4 bytes: a file descriptor, or -1), fork a child, wait for
/// it, reply with its raw wait status.
fn serve(mut requests: PipeReader, mut replies: PipeWriter) -> io::Result<()> {
    let mut request = [0; 4];
    loop {
        match requests.read_exact(&mut request) {
            Err(error) if error.kind() == io::ErrorKind::UnexpectedEof => return Ok(()),
            result => result?,
        }
        let fd = i32::from_le_bytes(request);
        let mut child = fork_child(|| {
            if fd >= 0 {
                report("forkserver", fd)
            }
        })?;
        let status = child.join_or_kill(DEADLINE)?.status();
        replies.write_all(&status.into_raw().to_le_bytes())?;
    }
}
// ANCHOR_END: forkserver
