//! Python's `multiprocessing.Queue`, the Rust way: several producer processes send
//! length-prefixed messages through one pipe to one consumer. Every message arrives once,
//! whole: a write of at most `PIPE_BUF` bytes to a pipe is never interleaved with another.

use std::io::{self, PipeReader, Read, Write};
use std::time::Duration;

use anyhow::{Context, ensure};

use crate::status::check_waited;
use crate::{sys, tasks};

const PRODUCERS: usize = 4;
const MESSAGES: usize = 500;

// ANCHOR: queue
/// Starts the producers, reads every message until the last producer closes the pipe, checks.
pub fn run() -> anyhow::Result<()> {
    let (mut queue_reader, queue_writer) = io::pipe()?;
    // Steps 1 and 2, once per producer: the `produce` task, its stdout a copy of the write end.
    let mut commands = Vec::new();
    for producer in 0..PRODUCERS {
        let mut command = tasks::command("produce", &[&producer.to_string()])?;
        command.stdout(queue_writer.try_clone()?);
        commands.push(command);
    }
    // Step 3: start them all. Then only the producers hold write ends (the commands, holding
    // copies, are gone): end of file comes when the last one exits.
    let producers = sys::spawn_all(commands)?;
    drop(queue_writer);

    // The consumer: this process. `received[p]` lists producer p's message numbers.
    let mut received = vec![Vec::new(); PRODUCERS];
    while let Some(message) = receive(&mut queue_reader)? {
        let (producer, number) = parse(&message).with_context(|| format!("torn message {message:?}"))?;
        received[producer].push(number);
    }
    // Step 4: join every producer, and look at how each ended.
    for mut producer in producers {
        check_waited("a producer", sys::wait_or_kill(&mut producer, Duration::from_secs(5))?)?;
    }
    for (producer, numbers) in received.iter().enumerate() {
        let expected: Vec<usize> = (0..MESSAGES).collect();
        ensure!(*numbers == expected, "producer {producer}: messages lost, repeated or reordered");
    }
    println!("received {} messages from {PRODUCERS} producer processes", PRODUCERS * MESSAGES);
    println!("every message exactly once, whole, each producer's in the order it sent them");
    Ok(())
}
// ANCHOR_END: queue

/// The `produce PRODUCER` task: sends its messages into its stdout, the queue's pipe.
pub fn produce(args: &[String]) -> anyhow::Result<()> {
    let producer: usize = tasks::one_arg(args, "a producer number")?;
    // Unbuffered: each frame must leave in one write, and `println!` might split it.
    let mut pipe = sys::unbuffered_stdout()?;
    for number in 0..MESSAGES {
        // Messages of different lengths, so that a torn one would show.
        send(&mut pipe, &format!("{producer} {number} {}", ".".repeat(number % 100)))?;
    }
    Ok(())
}

// ANCHOR: framing
/// The most a pipe write is sure to put in whole on every Unix: POSIX's `_POSIX_PIPE_BUF`.
/// (`PIPE_BUF` is 4096 on Linux, 512 on macOS.)
const ATOMIC_WRITE: usize = 512;

/// Sends one message: its length (4 bytes), then its bytes, in a single `write`. A pipe
/// writes up to `PIPE_BUF` bytes in one piece; longer messages would need a lock around the
/// write, as Python's `Queue` takes.
fn send(pipe: &mut impl Write, message: &str) -> io::Result<()> {
    let mut frame = (message.len() as u32).to_le_bytes().to_vec();
    frame.extend_from_slice(message.as_bytes());
    assert!(frame.len() <= ATOMIC_WRITE, "a message of {} bytes could be torn", frame.len());
    pipe.write_all(&frame)
}

/// Receives one message, or `None` at end of file (every write end closed).
fn receive(pipe: &mut PipeReader) -> io::Result<Option<String>> {
    let mut length = [0; 4];
    match pipe.read_exact(&mut length) {
        Err(error) if error.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        result => result?,
    }
    let mut message = vec![0; u32::from_le_bytes(length) as usize];
    pipe.read_exact(&mut message)?;
    String::from_utf8(message).map(Some).map_err(|error| io::Error::new(io::ErrorKind::InvalidData, error))
}
// ANCHOR_END: framing

/// `"producer number dots"` back to `(producer, number)`, checking the dots' count.
fn parse(message: &str) -> Option<(usize, usize)> {
    let mut fields = message.split(' ');
    let producer: usize = fields.next()?.parse().ok()?;
    let number: usize = fields.next()?.parse().ok()?;
    let dots = fields.next()?;
    let whole = producer < PRODUCERS && dots.len() == number % 100 && dots.bytes().all(|byte| byte == b'.');
    (whole && fields.next().is_none()).then_some((producer, number))
}
