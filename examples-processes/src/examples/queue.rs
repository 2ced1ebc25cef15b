//! `multiprocessing.Queue`, the Rust way: length-prefixed messages in one pipe.

use std::io::{self, ErrorKind, PipeReader, Read, Write};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, bail, ensure};

use crate::sys::{self, check_waited};

const PRODUCERS: usize = 4;
const MESSAGES: usize = 500;

pub fn run() -> anyhow::Result<()> {
    let (mut queue_reader, queue_writer) = io::pipe()?;
    // Steps 1 and 2, per producer: `produce`, its stdout a copy of our end.
    let mut commands = Vec::new();
    for producer in 0..PRODUCERS {
        let mut command = Command::new(std::env::current_exe()?);
        command.args(["__task", "produce", &producer.to_string()]);
        command.stdout(queue_writer.try_clone()?);
        commands.push(command);
    }
    // Step 3: start them all. Then drop our write end (the commands' copies
    // went with them): end of file comes when the last producer exits.
    let producers = sys::spawn_all(commands)?;
    drop(queue_writer);
    let mut arrived = [0; PRODUCERS];
    while let Some(received) = receive(&mut queue_reader)? {
        let first = received.split(' ').next().and_then(|p| p.parse().ok());
        let producer = first.filter(|&p: &usize| p < PRODUCERS);
        let producer = producer.context(format!("torn: {received:?}"))?;
        let expected = message(producer, arrived[producer]);
        ensure!(received == expected, "{received:?}, not {expected:?}");
        arrived[producer] += 1;
    }
    // Step 4: join every producer.
    for mut producer in producers {
        let waited = sys::wait_or_kill(&mut producer, Duration::from_secs(5))?;
        check_waited("a producer", waited)?;
    }
    ensure!(arrived == [MESSAGES; PRODUCERS], "lost some: {arrived:?}");
    let total = PRODUCERS * MESSAGES;
    println!("received {total} messages from {PRODUCERS} producer processes");
    println!("every message exactly once, whole, in each producer's order");
    Ok(())
}

/// The `produce PRODUCER` task: its stdout is the queue's pipe.
pub fn produce(args: &[String]) -> anyhow::Result<()> {
    let [producer] = args else { bail!("expected a producer number") };
    let producer = producer.parse()?;
    // Unbuffered: `println!` might split a frame into two writes.
    let mut pipe = sys::unbuffered_stdout()?;
    for number in 0..MESSAGES {
        send(&mut pipe, &message(producer, number))?;
    }
    Ok(())
}

type Task = fn(&[String]) -> anyhow::Result<()>;
pub const TASKS_WITH_ARGS: &[(&str, Task)] = &[("produce", produce)];

/// Each of its own length, so that a torn one shows.
fn message(producer: usize, number: usize) -> String {
    format!("{producer} {number} {}", ".".repeat(number % 100))
}

/// Length, then bytes, in one `write`: whole if at most `PIPE_BUF` bytes,
/// which is at least 512 on every Unix.
fn send(pipe: &mut impl Write, message: &str) -> io::Result<()> {
    let mut frame = (message.len() as u32).to_le_bytes().to_vec();
    frame.extend_from_slice(message.as_bytes());
    assert!(frame.len() <= 512, "a message this long could be torn");
    pipe.write_all(&frame)
}

/// `None` at end of file: every write end is closed.
fn receive(pipe: &mut PipeReader) -> anyhow::Result<Option<String>> {
    let mut length = [0; 4];
    match pipe.read_exact(&mut length) {
        Err(e) if e.kind() == ErrorKind::UnexpectedEof => return Ok(None),
        result => result?,
    }
    let mut message = vec![0; u32::from_le_bytes(length) as usize];
    pipe.read_exact(&mut message)?;
    Ok(Some(String::from_utf8(message)?))
}
