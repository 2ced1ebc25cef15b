//! Handing a large buffer to a worker (claim C11): to a thread, the buffer moves
//! (three words are copied, the bytes stay put); to a process, the bytes are copied
//! through a pipe, or once into memory both processes map. Each worker reads every
//! byte (a checksum, checked against the parent's), so the three differ only in how
//! the bytes got there.
//!
//! Each is timed in turns with its own baseline, the same bytes moved the same way
//! without the handoff: the pipe with a raw pipe (the child discards what it reads,
//! as `dd | dd` does), shared memory with the same copy and checksum in one process,
//! the thread with the checksum alone. The pipes get a 1 MiB buffer (`F_SETPIPE_SZ`,
//! Linux only; 64 KiB is Linux's default) and the buffer goes in one `write`; the
//! first copy into a new shared mapping, which pays a page fault per page, is timed
//! apart.

use std::cell::RefCell;
use std::hint::black_box;
use std::io::{self, PipeReader, PipeWriter, Read, Write};
use std::os::fd::AsFd;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, ensure};
use serde_json::json;
use shared::measure::plot::{Bar, write_bar_chart};
use shared::measure::{Found, Options, Summary, figure_or_skipped, time_round_robin};

use super::join_within;
use crate::sys::{self, ForkedChild, SharedBytes, fork_child_with_code};

/// How long a worker process may take to finish once told to stop.
const STOP_DEADLINE: Duration = Duration::from_secs(30);

/// How long either side may wait for the shared bytes' lock (in the protocol it is
/// free).
const LOCK_DEADLINE: Duration = Duration::from_secs(30);

/// The pipe buffer the pipe handoff asks for (Linux: `F_SETPIPE_SZ`); 64 KiB is the
/// default.
const PIPE_CAPACITY: usize = 1 << 20;

/// The receiving side of a pipe reads, and checksums, this much at a time: while it
/// is still in cache. A multiple of 8, so the checksum of the pieces adds up to the
/// checksum of the whole.
const PIECE: usize = 1 << 20;

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

/// A pipe with the larger buffer where the platform allows it: the pipe's ends, and
/// the capacity set (`Err`: why not).
fn large_pipe() -> anyhow::Result<(PipeReader, PipeWriter, Result<usize, String>)> {
    let (reader, writer) = io::pipe().context("creating a pipe")?;
    let capacity = sys::set_pipe_capacity(writer.as_fd(), PIPE_CAPACITY)
        .map_err(|error| error.to_string());
    Ok((reader, writer, capacity))
}

/// Measures the three ways, each in turns with its baseline, processes first (they
/// fork; the thread comes last, and is joined before this returns, so later forks
/// happen in a single-threaded process again). Each row: the buffer's size over the
/// time from handing it over to the worker's checksum coming back (`mib_per_s`), the
/// same for its baseline, timed in turns with it, and the ratio of their medians.
pub fn measure(options: &Options) -> anyhow::Result<Found> {
    let buffer_mib = options.pick(256, 32);
    let (warmup, samples) = options.pick((1, 7), (1, 3));
    let buffer = filled_buffer(buffer_mib << 20);
    let expected = checksum(&buffer);
    let rate = |durations: &[Duration]| {
        Summary::micros(durations).map(|us| buffer_mib as f64 / (us / 1e6))
    };

    let (pipe, raw_pipe, pipe_capacity) =
        through_pipe(&buffer, expected, warmup, samples)?;
    let (shared_memory, plain_copy) =
        through_shared_memory(&buffer, expected, warmup, samples)?;
    let first_touch = first_touch(&buffer, samples)?;
    let (thread, in_place) = to_thread(buffer, expected, warmup, samples)?;
    let ways = [
        (
            "thread",
            "move the Vec through a channel: no copy",
            &thread,
            "the checksum in this thread",
            &in_place,
        ),
        (
            "pipe",
            "write it into a pipe, the child reads it piece by piece (1 MiB)",
            &pipe,
            "the same pipe, the child discarding what it reads (dd | dd)",
            &raw_pipe,
        ),
        (
            "shared-memory",
            "copy it once into a MAP_SHARED mapping, the child reads it there",
            &shared_memory,
            "the same copy into private memory, and the checksum, in this process",
            &plain_copy,
        ),
    ];
    let (mut rows, mut hows, mut bars) = (vec![], vec![], vec![]);
    for (method, how, times, baseline, baseline_times) in ways {
        let (mib_per_s, baseline_mib_per_s) = (rate(times), rate(baseline_times));
        rows.push(json!({
            "method": method,
            "mib_per_s": mib_per_s,
            "baseline": baseline,
            "baseline_mib_per_s": baseline_mib_per_s,
            "fraction_of_baseline": mib_per_s.median / baseline_mib_per_s.median,
        }));
        hows.push(format!("{method}: {how}"));
        bars.push(Bar::of(method, &mib_per_s));
        bars.push(Bar::of(&format!("{method} baseline"), &baseline_mib_per_s));
    }
    let keys = json!({
        "handoff_buffer_mib": buffer_mib,
        // The pipes' buffer as the kernel set it; skipped: why it is the default.
        "handoff_pipe_capacity_kib":
            figure_or_skipped(&pipe_capacity.map(|bytes| bytes / 1024)),
        "handoff": rows,
        // The first copy into a new shared mapping: the copy plus a page fault per page
        // (the kernel finds and zeroes a page on first touch). The shared-memory row's
        // mapping was touched before it was timed, so this is kept apart.
        "shared_memory_first_touch_mib_per_s": rate(&first_touch),
    });
    let heading = format!(
        "Handing a buffer to a worker, which reads all of it (checksums agree)\n({})",
        hows.join("; ")
    );
    let title = format!(
        "Handing a {buffer_mib} MiB buffer to a worker, beside each one's baseline"
    );
    let y_label = "MiB/s, median; whisker: 10th–90th percentile";
    Ok(Found {
        plot: Some(Box::new(move |dir| {
            write_bar_chart(dir, "processes-handoff.svg", &title, y_label, &bars)
        })),
        ..Found::new(heading, keys)
    })
}

/// A forked worker process that answers requests: each is a length (8 bytes; 0 tells
/// it to exit), maybe followed by bytes, and each answer is 8 bytes.
struct Worker {
    child: ForkedChild,
    requests: PipeWriter,
    answers: PipeReader,
}

impl Worker {
    /// Forks a worker that reads requests from `reader` and computes each answer with
    /// `answer(reader, length)` (`None`: it failed, and the worker exits with code 1).
    fn fork(
        mut reader: PipeReader,
        requests: PipeWriter,
        largest: usize,
        mut answer: impl FnMut(&mut PipeReader, usize) -> Option<u64>,
    ) -> anyhow::Result<Worker> {
        let (answers, mut answer_writer) =
            io::pipe().context("creating the answer pipe")?;
        let child = fork_child_with_code(move || {
            loop {
                let length = match read_u64(&mut reader) {
                    Ok(0) => return 0,
                    Ok(length) if length as usize <= largest => length as usize,
                    _ => return 1,
                };
                match answer(&mut reader, length) {
                    Some(sum)
                        if answer_writer.write_all(&sum.to_le_bytes()).is_ok() => {}
                    _ => return 1,
                }
            }
        })?;
        Ok(Worker { child, requests, answers })
    }

    /// Sends `length` and `bytes`, and checks that the answer is `expected`.
    fn ask(
        &mut self,
        length: usize,
        bytes: &[u8],
        expected: u64,
        what: &str,
    ) -> anyhow::Result<()> {
        self.requests.write_all(&(length as u64).to_le_bytes())?;
        self.requests.write_all(bytes)?;
        let answer =
            read_u64(&mut self.answers).with_context(|| format!("reading {what}"))?;
        ensure!(
            answer == expected,
            "{what} is {answer:#x}, the parent's {expected:#x}"
        );
        Ok(())
    }

    /// Stops the worker and reaps it: by telling it to exit if the measurement went
    /// well; else by killing it, as the measurement's error is the one to report.
    fn finish(mut self, measured: bool) -> anyhow::Result<()> {
        if measured {
            self.requests
                .write_all(&0u64.to_le_bytes())
                .context("telling the worker process to stop")?;
            join_within(&mut self.child, STOP_DEADLINE, "the handoff worker process")
        } else {
            self.child.kill()?;
            self.child.join()?;
            Ok(())
        }
    }
}

/// The handoff's durations, the raw pipe's, and the pipes' capacity (`Err`: why the
/// default).
type PipeTimes = (Vec<Duration>, Vec<Duration>, Result<usize, String>);

/// The buffer through a pipe to a forked child, which reads it a piece at a time and
/// checksums each piece as it arrives, then answers with the sum; in turns with the
/// raw pipe, whose child reads the same way, looks at nothing and answers with the
/// count. Returns both timings and the pipes' capacity.
fn through_pipe(
    buffer: &[u8],
    expected: u64,
    warmup: usize,
    samples: usize,
) -> anyhow::Result<PipeTimes> {
    let (reader, writer, capacity) = large_pipe()?;
    let mut piece = Vec::new();
    let mut worker = Worker::fork(reader, writer, buffer.len(), |data, length| {
        read_pieces(data, &mut piece, length, true)
    })?;
    let (reader, writer, _) = large_pipe()?;
    let mut raw = Worker::fork(reader, writer, buffer.len(), |data, length| {
        read_pieces(data, &mut piece, length, false)
    })?;
    let (length, count) = (buffer.len(), buffer.len() as u64);
    let times = time_round_robin(
        warmup,
        samples,
        &mut [
            &mut || {
                worker.ask(length, buffer, expected, "the pipe worker's checksum")
            },
            &mut || raw.ask(length, buffer, count, "the raw pipe reader's count"),
        ],
    );
    worker.finish(times.is_ok())?;
    raw.finish(times.is_ok())?;
    let [handoff, raw] = <[Vec<Duration>; 2]>::try_from(times?).expect("two jobs");
    Ok((handoff, raw, capacity))
}

/// The child's side of [`through_pipe`]: reads `length` bytes a piece at a time into
/// one piece-sized buffer, as a consumer of a stream does; with `checksum_it`, it
/// checksums each piece while it is in cache and answers with the sum; without, it
/// answers with the count (`dd`'s job: move the bytes, look at none).
fn read_pieces(
    data: &mut PipeReader,
    piece: &mut Vec<u8>,
    length: usize,
    checksum_it: bool,
) -> Option<u64> {
    piece.resize(PIECE, 0);
    let (mut offset, mut sum) = (0, 0u64);
    while offset < length {
        let size = PIECE.min(length - offset);
        data.read_exact(&mut piece[..size]).ok()?;
        if checksum_it {
            sum = sum.wrapping_add(checksum(&piece[..size]));
        }
        offset += size;
    }
    Some(if checksum_it { sum } else { length as u64 })
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
) -> anyhow::Result<(Vec<Duration>, Vec<Duration>)> {
    let bytes = SharedBytes::new(buffer.len())?;
    let (reader, writer) = io::pipe().context("creating the go pipe")?;
    let mut worker = Worker::fork(reader, writer, bytes.len(), |_, length| {
        // Unlocked when the guard is dropped.
        bytes.lock(LOCK_DEADLINE).ok().map(|held| checksum(&held[..length]))
    })?;
    let mut handoff = || -> anyhow::Result<()> {
        // Lock, copy, unlock (the guard is dropped at the end of the statement).
        bytes.lock(LOCK_DEADLINE)?.copy_from_slice(buffer);
        worker.ask(buffer.len(), &[], expected, "the shared-memory worker's checksum")
    };
    // The baseline: the same copy into private memory (touched already, as the
    // mapping is after the warm-up) and the same checksum, with no second process.
    let mut private = vec![1u8; buffer.len()];
    let mut plain = || -> anyhow::Result<()> {
        private.copy_from_slice(buffer);
        let sum = checksum(black_box(&private));
        ensure!(
            sum == expected,
            "the private copy's checksum {sum:#x} differs from {expected:#x}"
        );
        Ok(())
    };
    let times =
        time_round_robin(warmup.max(1), samples, &mut [&mut handoff, &mut plain]);
    worker.finish(times.is_ok())?;
    let [handoff, plain] = <[Vec<Duration>; 2]>::try_from(times?).expect("two jobs");
    Ok((handoff, plain))
}

/// The first copy into a new shared mapping, timed alone: `samples` new mappings,
/// each copied into once (every page faulted in on first touch), then unmapped.
fn first_touch(buffer: &[u8], samples: usize) -> anyhow::Result<Vec<Duration>> {
    let mut durations = Vec::with_capacity(samples);
    for _ in 0..samples {
        let bytes = SharedBytes::new(buffer.len())?;
        let start = Instant::now();
        bytes.lock(LOCK_DEADLINE)?.copy_from_slice(buffer);
        durations.push(start.elapsed());
    }
    Ok(durations)
}

/// The buffer moved to a worker thread through a channel, and moved back with the
/// checksum; in turns with the baseline, the checksum computed in this thread.
fn to_thread(
    buffer: Vec<u8>,
    expected: u64,
    warmup: usize,
    samples: usize,
) -> anyhow::Result<(Vec<Duration>, Vec<Duration>)> {
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
    let buffer = RefCell::new(Some(buffer));
    let mut handoff = || -> anyhow::Result<()> {
        let moving = buffer
            .borrow_mut()
            .take()
            .context("the buffer did not come back from the worker thread")?;
        to_worker.send(moving).map_err(|_| anyhow!("the handoff thread has gone"))?;
        let (returned, sum) =
            from_worker.recv().map_err(|_| anyhow!("the handoff thread has gone"))?;
        *buffer.borrow_mut() = Some(returned);
        ensure!(
            sum == expected,
            "the worker thread's checksum {sum:#x} differs from the parent's {expected:#x}"
        );
        Ok(())
    };
    let mut in_place = || -> anyhow::Result<()> {
        let held = buffer.borrow();
        let sum = checksum(black_box(
            held.as_deref().context("the buffer is with the worker thread")?,
        ));
        ensure!(
            sum == expected,
            "the checksum in place {sum:#x} differs from {expected:#x}"
        );
        Ok(())
    };
    let times = time_round_robin(warmup, samples, &mut [&mut handoff, &mut in_place]);
    // Closing the channel ends the worker's loop.
    drop(to_worker);
    shared::join(worker)?;
    let [handoff, in_place] =
        <[Vec<Duration>; 2]>::try_from(times?).expect("two jobs");
    Ok((handoff, in_place))
}
