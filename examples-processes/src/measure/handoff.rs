//! Handing a large buffer to a worker (claim C11): to a thread, the buffer moves
//! (three words are copied, the bytes stay put); to a process, the bytes are copied
//! through a pipe, or once into memory both processes map. Each worker reads every
//! byte (a checksum, checked against the parent's), so the three differ only in how
//! the bytes got there.

use std::io::{self, PipeReader, PipeWriter, Read, Write};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use anyhow::{Context, anyhow, ensure};
use shared::measure::{Options, Progress, Summary, time_samples};

use super::join_within;
use crate::sys::{ForkedChild, SharedBytes, fork_child_with_code};

/// How long a worker process may take to finish once told to stop.
const STOP_DEADLINE: Duration = Duration::from_secs(30);

/// How long either side may wait for the shared bytes' lock (in the protocol it is
/// free).
const LOCK_DEADLINE: Duration = Duration::from_secs(30);

/// One way to hand the buffer over.
pub struct Row {
    /// `thread`, `pipe` or `shared-memory`.
    pub method: &'static str,
    /// What it does, in a few words.
    pub how: &'static str,
    /// Buffer size over the time from handing it over to the worker's checksum coming
    /// back.
    pub mib_per_s: Summary,
}

/// The handoff table.
pub struct Handoff {
    /// The buffer's size, MiB.
    pub buffer_mib: usize,
    /// thread, pipe, shared-memory.
    pub rows: Vec<Row>,
}

/// The worker's job on the bytes it got: a wrapping sum of 8-byte words, so every
/// byte is read and a wrong or partial copy shows.
fn checksum(bytes: &[u8]) -> u64 {
    let words = bytes.chunks_exact(8);
    let tail = words
        .remainder()
        .iter()
        .fold(0u64, |sum, &byte| sum.wrapping_add(u64::from(byte)));
    words.fold(tail, |sum, word| {
        sum.wrapping_add(u64::from_le_bytes(word.try_into().expect("8 bytes")))
    })
}

/// A buffer of `length` bytes that is not all one value (a 1 MiB pattern, repeated).
fn filled_buffer(length: usize) -> Vec<u8> {
    let pattern: Vec<u8> =
        (0..1usize << 20).map(|index| (index * 131 % 251) as u8).collect();
    let mut buffer = vec![0u8; length];
    for chunk in buffer.chunks_mut(pattern.len()) {
        chunk.copy_from_slice(&pattern[..chunk.len()]);
    }
    buffer
}

fn read_u64(reader: &mut impl Read) -> io::Result<u64> {
    let mut bytes = [0u8; 8];
    reader.read_exact(&mut bytes)?;
    Ok(u64::from_le_bytes(bytes))
}

/// Measures the three ways, processes first (they fork; the thread comes last, and is
/// joined before this returns, so later forks happen in a single-threaded process
/// again).
pub fn measure(options: &Options, progress: &Progress) -> anyhow::Result<Handoff> {
    let buffer_mib = options.pick(256, 32);
    let (warmup, samples) = options.pick((1, 5), (1, 3));
    let buffer = filled_buffer(buffer_mib << 20);
    let expected = checksum(&buffer);
    let rate = |durations: Vec<Duration>| {
        Summary::micros(&durations).map(|us| buffer_mib as f64 / (us / 1e6))
    };

    progress.item("pipe", 0, 3);
    let pipe = rate(through_pipe(&buffer, expected, warmup, samples)?);
    progress.item("shared memory", 1, 3);
    let shared_memory =
        rate(through_shared_memory(&buffer, expected, warmup, samples)?);
    progress.item("thread", 2, 3);
    let thread = rate(to_thread(buffer, expected, warmup, samples)?);
    Ok(Handoff {
        buffer_mib,
        rows: vec![
            Row {
                method: "thread",
                how: "move the Vec through a channel: no copy",
                mib_per_s: thread,
            },
            Row {
                method: "pipe",
                how: "write it into a pipe, the child reads it out",
                mib_per_s: pipe,
            },
            Row {
                method: "shared-memory",
                how: "copy it once into a MAP_SHARED mapping",
                mib_per_s: shared_memory,
            },
        ],
    })
}

/// Stops a worker process and reaps it: with `stop` (which tells it to finish) if the
/// measurement went well; else by killing it, as the measurement's error is the one
/// to report.
fn finish(
    child: &mut ForkedChild,
    measured: bool,
    stop: impl FnOnce() -> io::Result<()>,
) -> anyhow::Result<()> {
    if measured {
        stop().context("telling the worker process to stop")?;
        join_within(child, STOP_DEADLINE, "the handoff worker process")
    } else {
        child.kill()?;
        child.join()?;
        Ok(())
    }
}

/// The buffer through a pipe to a forked child, which reads it into its own buffer.
/// Protocol: the length (8 bytes), then the bytes; the child answers with the
/// checksum; a length of 0 tells it to exit.
fn through_pipe(
    buffer: &[u8],
    expected: u64,
    warmup: usize,
    samples: usize,
) -> anyhow::Result<Vec<Duration>> {
    let (data_reader, mut data_writer) =
        io::pipe().context("creating the data pipe")?;
    let (mut sum_reader, sum_writer) =
        io::pipe().context("creating the checksum pipe")?;
    let capacity = buffer.len();
    let mut child =
        fork_child_with_code(move || pipe_worker(data_reader, sum_writer, capacity))?;
    let durations = time_samples(warmup, samples, || {
        data_writer.write_all(&(buffer.len() as u64).to_le_bytes())?;
        data_writer.write_all(buffer)?;
        let sum = read_u64(&mut sum_reader)
            .context("reading the checksum from the pipe worker")?;
        ensure!(
            sum == expected,
            "the pipe worker's checksum {sum:#x} differs from the parent's \
             {expected:#x}"
        );
        Ok(sum)
    });
    finish(&mut child, durations.is_ok(), || {
        data_writer.write_all(&0u64.to_le_bytes())
    })?;
    durations
}

/// The child's side of [`through_pipe`]: its exit code.
fn pipe_worker(mut data: PipeReader, mut sums: PipeWriter, capacity: usize) -> i32 {
    let mut received = vec![0u8; capacity];
    loop {
        let length = match read_u64(&mut data) {
            Ok(0) => return 0,
            Ok(length) if length as usize <= capacity => length as usize,
            _ => return 1,
        };
        if data.read_exact(&mut received[..length]).is_err() {
            return 1;
        }
        if sums.write_all(&checksum(&received[..length]).to_le_bytes()).is_err() {
            return 1;
        }
    }
}

/// The buffer copied once into a shared anonymous mapping that a forked child
/// inherited; a pipe carries only the go signal (the length) and the checksum back.
///
/// Each side touches the bytes only while it holds their lock
/// ([`SharedBytes::lock`]): the parent's unlock (a Release store) and the child's
/// lock (an Acquire exchange) order the copy before the checksum, so both use plain,
/// full-speed memory accesses without a data race. The pipe only wakes the child; the
/// parent locks again after the checksum came back, when the child has unlocked, so
/// neither waits for the lock.
fn through_shared_memory(
    buffer: &[u8],
    expected: u64,
    warmup: usize,
    samples: usize,
) -> anyhow::Result<Vec<Duration>> {
    let bytes = SharedBytes::new(buffer.len())?;
    let (go_reader, mut go_writer) = io::pipe().context("creating the go pipe")?;
    let (mut sum_reader, sum_writer) =
        io::pipe().context("creating the checksum pipe")?;
    let mut child =
        fork_child_with_code(|| shared_memory_worker(go_reader, sum_writer, &bytes))?;
    let durations = time_samples(warmup, samples, || {
        // Lock, copy, unlock (the guard is dropped at the end of the statement).
        bytes.lock(LOCK_DEADLINE)?.copy_from_slice(buffer);
        go_writer.write_all(&(buffer.len() as u64).to_le_bytes())?;
        let sum = read_u64(&mut sum_reader)
            .context("reading the checksum from the shared-memory worker")?;
        ensure!(
            sum == expected,
            "the shared-memory worker's checksum {sum:#x} differs from the parent's \
             {expected:#x}"
        );
        Ok(sum)
    });
    finish(&mut child, durations.is_ok(), || {
        go_writer.write_all(&0u64.to_le_bytes())
    })?;
    durations
}

/// The child's side of [`through_shared_memory`]: its exit code.
fn shared_memory_worker(
    mut go: PipeReader,
    mut sums: PipeWriter,
    bytes: &SharedBytes,
) -> i32 {
    loop {
        let length = match read_u64(&mut go) {
            Ok(0) => return 0,
            Ok(length) if length as usize <= bytes.len() => length as usize,
            _ => return 1,
        };
        let sum = match bytes.lock(LOCK_DEADLINE) {
            Ok(held) => checksum(&held[..length]), // Unlocked when `held` is dropped.
            Err(_) => return 1,
        };
        if sums.write_all(&sum.to_le_bytes()).is_err() {
            return 1;
        }
    }
}

/// The buffer moved to a worker thread through a channel, and moved back with the
/// checksum.
fn to_thread(
    buffer: Vec<u8>,
    expected: u64,
    warmup: usize,
    samples: usize,
) -> anyhow::Result<Vec<Duration>> {
    let (to_worker, inbox) = mpsc::channel::<Vec<u8>>();
    let (outbox, from_worker) = mpsc::channel::<(Vec<u8>, u64)>();
    let worker = thread::Builder::new()
        .name("handoff".into())
        .spawn(move || {
            for received in inbox {
                let sum = checksum(&received);
                if outbox.send((received, sum)).is_err() {
                    break;
                }
            }
        })
        .context("spawning the handoff thread")?;
    let mut buffer = Some(buffer);
    let durations = time_samples(warmup, samples, || {
        let moving = buffer
            .take()
            .context("the buffer did not come back from the worker thread")?;
        to_worker.send(moving).map_err(|_| anyhow!("the handoff thread has gone"))?;
        let (returned, sum) =
            from_worker.recv().map_err(|_| anyhow!("the handoff thread has gone"))?;
        buffer = Some(returned);
        ensure!(
            sum == expected,
            "the worker thread's checksum {sum:#x} differs from the parent's \
             {expected:#x}"
        );
        Ok(sum)
    });
    // Closing the channel ends the worker's loop.
    drop(to_worker);
    shared::join(worker)?;
    durations
}
