//! Python's `forkserver`: a process forked while the parent is small and has
//! one thread forks every child on request.

use std::io::{self, ErrorKind, PipeReader, PipeWriter, Read, Write};
use std::os::unix::process::{ExitStatusExt, parent_id};
use std::process::ExitStatus;
use std::time::Duration;

use crate::sys::{
    self, Fork, ForkedChild, check_waited, current_pid, exit_immediately,
    fork_child, fork_raw,
};

const DEADLINE: Duration = Duration::from_secs(5);

pub fn run() -> anyhow::Result<()> {
    // Steps 1 to 3, while this process is small and has one thread.
    let mut server = ForkServer::start(|request| {
        let (me, parent) = (current_pid(), parent_id());
        println!("request {request}: child {me} forked by {parent}");
    })?;
    println!("parent {}; forkserver {}", current_pid(), server.process.pid());
    for request in 1..=3 {
        sys::check_exit("a forkserver child", server.start_child(request)?)?;
    }
    server.stop()
}

pub struct ForkServer {
    requests: PipeWriter,
    replies: PipeReader,
    process: ForkedChild,
}

impl ForkServer {
    pub fn start(target: fn(i32)) -> io::Result<ForkServer> {
        let (request_reader, requests) = io::pipe()?;
        let (replies, reply_writer) = io::pipe()?;
        io::stdout().flush()?;
        match fork_raw()? {
            Fork::Child => {
                drop((requests, replies));
                if let Err(error) = serve(target, request_reader, reply_writer)
                {
                    eprintln!("forkserver: {error}");
                    exit_immediately(1)
                }
                exit_immediately(0)
            }
            Fork::Parent(process) => Ok(Self { requests, replies, process }),
        }
    }

    pub fn start_child(&mut self, request: i32) -> io::Result<ExitStatus> {
        self.requests.write_all(&request.to_le_bytes())?;
        // No deadline: the server bounds each child; its death ends this read.
        let mut reply = [0; 4];
        self.replies.read_exact(&mut reply)?;
        Ok(ExitStatus::from_raw(i32::from_le_bytes(reply)))
    }

    pub fn stop(mut self) -> anyhow::Result<()> {
        drop(self.requests); // EOF: the server's loop ends.
        // Step 4: join.
        check_waited("forkserver", self.process.join_or_kill(DEADLINE)?)
    }
}

/// Per request: fork a child, wait for it, send its status.
fn serve(
    target: fn(i32),
    mut requests: PipeReader,
    mut replies: PipeWriter,
) -> io::Result<()> {
    let mut request = [0; 4];
    loop {
        match requests.read_exact(&mut request) {
            Err(e) if e.kind() == ErrorKind::UnexpectedEof => return Ok(()),
            result => result?,
        }
        let mut child = fork_child(|| target(i32::from_le_bytes(request)))?;
        let status = child.join_or_kill(DEADLINE)?.status();
        replies.write_all(&status.into_raw().to_le_bytes())?;
    }
}
