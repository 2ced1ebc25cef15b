//! `multiprocessing.Queue`, the Rust way: length-prefixed messages in one pipe.

use std::io::{self, ErrorKind, PipeReader, Read, Write};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, bail, ensure};

use crate::sys::{self, check_waited};

const PRODUCERS: usize = 4;
const MESSAGES: usize = 500;

// ANCHOR: queue
/// Starts the producers, then reads and checks every message until end of file.
pub fn run() -> anyhow::Result<()> {
    let (mut queue_reader, queue_writer) = io::pipe()?;
    // Steps 1 and 2, per producer: `produce`, its stdout a copy of the write end.
    let mut commands = Vec::new();
    for producer in 0..PRODUCERS {
        let mut command = Command::new(std::env::current_exe()?);
        command.args(["__task", "produce", &producer.to_string()]);
        command.stdout(queue_writer.try_clone()?);
        commands.push(command);
    }
    // Step 3: start them all. Then only the producers hold write ends (the commands,
    // holding copies, are gone): end of file comes when the last one exits.
    let producers = sys::spawn_all(commands)?;
    drop(queue_writer);
    // The consumer: this process. `next[p]`: the number of producer p's next message.
    let mut next = [0; PRODUCERS];
    while let Some(received) = receive(&mut queue_reader)? {
        let producer = received.split(' ').next().and_then(|p| p.parse().ok());
        let producer = producer.filter(|&p: &usize| p < PRODUCERS);
        let producer =
            producer.with_context(|| format!("torn: {received:?}"))?;
        let expected = message(producer, next[producer]);
        ensure!(received == expected, "{received:?}, not {expected:?}");
        next[producer] += 1;
    }
    // Step 4: join every producer, and look at how each ended.
    for mut producer in producers {
        let waited = sys::wait_or_kill(&mut producer, Duration::from_secs(5))?;
        check_waited("a producer", waited)?;
    }
    ensure!(next == [MESSAGES; PRODUCERS], "messages lost: {next:?} arrived");
    let total = PRODUCERS * MESSAGES;
    println!("received {total} messages from {PRODUCERS} producer processes");
    println!("every message exactly once, whole, in each producer's order");
    Ok(())
}
// ANCHOR_END: queue

/// The `produce PRODUCER` task: sends its messages into its stdout, the queue's pipe.
pub fn produce(args: &[String]) -> anyhow::Result<()> {
    let [producer] = args else { bail!("expected a producer number") };
    let producer: usize = producer.parse()?;
    // Unbuffered: each frame must leave in one write, and `println!` might split it.
    let mut pipe = sys::unbuffered_stdout()?;
    for number in 0..MESSAGES {
        send(&mut pipe, &message(producer, number))?;
    }
    Ok(())
}

type Task = fn(&[String]) -> anyhow::Result<()>;
pub const TASKS_WITH_ARGS: &[(&str, Task)] = &[("produce", produce)];

/// Producer `producer`'s message `number`, of its own length: a torn one shows.
fn message(producer: usize, number: usize) -> String {
    format!("{producer} {number} {}", ".".repeat(number % 100))
}

// ANCHOR: framing
/// The most a pipe write is sure to put in whole on every Unix: POSIX's
/// `_POSIX_PIPE_BUF`. (`PIPE_BUF` is 4096 on Linux, 512 on macOS.)
const ATOMIC_WRITE: usize = 512;

/// Sends one message: its length (4 bytes), then its bytes, in one `write`: whole
/// up to `PIPE_BUF` bytes; longer, it would need a lock, as Python's `Queue` has.
fn send(pipe: &mut impl Write, message: &str) -> io::Result<()> {
    let mut frame = (message.len() as u32).to_le_bytes().to_vec();
    frame.extend_from_slice(message.as_bytes());
    assert!(frame.len() <= ATOMIC_WRITE, "a message this long could be torn");
    pipe.write_all(&frame)
}

/// Receives one message, or `None` at end of file (every write end closed).
fn receive(pipe: &mut PipeReader) -> io::Result<Option<String>> {
    let mut length = [0; 4];
    match pipe.read_exact(&mut length) {
        Err(e) if e.kind() == ErrorKind::UnexpectedEof => return Ok(None),
        result => result?,
    }
    let mut message = vec![0; u32::from_le_bytes(length) as usize];
    pipe.read_exact(&mut message)?;
    let text = String::from_utf8(message);
    text.map(Some).map_err(|e| io::Error::new(ErrorKind::InvalidData, e))
}
// ANCHOR_END: framing
