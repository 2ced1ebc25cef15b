//! Handing a large buffer to a worker (claim C11): to a thread, the buffer moves
//! (three words are copied, the bytes stay put); to a process, the bytes are copied
//! through a pipe, or once into memory both processes map. Each worker checksums
//! every byte, so the three differ only in how the bytes got there. Each is timed in
//! turns with its own baseline (`WAYS`): the same bytes moved the same way without
//! the handoff. The first copy into a new shared mapping, which pays a page fault
//! per page, is timed apart.

use std::cell::RefCell;
use std::hint::black_box;
use std::io::{self, Read, Write};
use std::os::fd::AsFd;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, ensure};
use serde_json::{Map, Value, json};
use shared::measure::plot::{Bar, write_bar_chart};
use shared::measure::{Found, Options, Summary, figure_or_skipped, time_round_robin};

use crate::status;
use crate::sys::{self, SharedBytes, fork_child_fallible};

/// Free in the protocol: a wait this long means the other side is stuck.
const LOCK_DEADLINE: Duration = Duration::from_secs(30);

/// The pipe buffer asked for (`F_SETPIPE_SZ`, Linux only; 64 KiB is the default),
/// and what its reader checksums at a time: while it is still in cache.
const PIECE: usize = 1 << 20;

// The worker process's requests, one word each: stop; checksum the bytes from the
// pipe; read them, look at none and answer with the count (`dd`'s job); checksum
// the shared mapping, under its lock.
const STOP: u64 = 0;
const PIPE: u64 = 1;
const RAW_PIPE: u64 = 2;
const SHARED: u64 = 3;

/// Every byte is read and a wrong copy shows. Lengths are whole MiB, so whole
/// words, and the sums of the pieces add up to the sum of the whole.
fn checksum(bytes: &[u8]) -> u64 {
    let words = bytes.chunks_exact(8).map(|word| word.try_into().expect("8 bytes"));
    words.map(u64::from_le_bytes).fold(0, u64::wrapping_add)
}

fn agree(answer: u64, expected: u64, what: &str) -> anyhow::Result<()> {
    ensure!(answer == expected, "{what} is {answer:#x}, not {expected:#x}");
    Ok(())
}

pub(super) fn read_word(mut reader: impl Read) -> io::Result<u64> {
    let mut bytes = [0u8; 8];
    reader.read_exact(&mut bytes)?;
    Ok(u64::from_le_bytes(bytes))
}

/// Each way: its method, how it hands the buffer over, and its baseline.
const WAYS: [[&str; 3]; 3] = [
    [
        "thread",
        "move the Vec through a channel: no copy",
        "the checksum in this thread",
    ],
    [
        "pipe",
        "write it into a pipe, the child reads it piece by piece (1 MiB)",
        "the same pipe, the child discarding what it reads (dd | dd)",
    ],
    [
        "shared-memory",
        "copy it once into a MAP_SHARED mapping, the child reads it there",
        "the same copy into private memory, and the checksum, in this process",
    ],
];

/// `mib_per_s`: the buffer's size over the time from handing it over to the
/// worker's checksum coming back.
pub fn measure(options: &Options, _: &Map<String, Value>) -> anyhow::Result<Found> {
    let (buffer_mib, samples) = options.pick((256, 7), (32, 3));
    // Not all one value: a 1 MiB pattern, repeated.
    let pattern = (0..PIECE).map(|index| (index * 131 % 251) as u8);
    let buffer = pattern.collect::<Vec<u8>>().repeat(buffer_mib);
    let expected = checksum(&buffer);
    let rate = |durations: &[Duration]| {
        Summary::micros(durations).map(|us| buffer_mib as f64 / (us / 1e6))
    };
    let (times, pipe_capacity_kib) = time_handoffs(&buffer, expected, samples)?;
    let first_touch = (0..samples).map(|_| {
        let bytes = SharedBytes::new(buffer.len())?;
        let start = Instant::now();
        bytes.lock(LOCK_DEADLINE)?.copy_from_slice(&buffer);
        Ok(start.elapsed())
    });
    let first_touch = first_touch.collect::<anyhow::Result<Vec<_>>>()?;
    let (mut rows, mut hows, mut bars) = (vec![], vec![], vec![]);
    for (&[method, how, baseline], pair) in WAYS.iter().zip(times.chunks(2)) {
        let (mib_per_s, baseline_mib_per_s) = (rate(&pair[0]), rate(&pair[1]));
        rows.push(json!({
            "method": method, "mib_per_s": mib_per_s,
            "baseline": baseline, "baseline_mib_per_s": baseline_mib_per_s,
            "fraction_of_baseline": mib_per_s.median / baseline_mib_per_s.median,
        }));
        hows.push(format!("{method}: {how}"));
        bars.push(Bar::of(method, &mib_per_s));
        bars.push(Bar::of(&format!("{method} baseline"), &baseline_mib_per_s));
    }
    let keys = json!({
        "handoff_buffer_mib": buffer_mib, "handoff_pipe_capacity_kib": pipe_capacity_kib,
        "handoff": rows,
        // A new mapping each time: the copy plus a page fault per page (the kernel
        // zeroes a page on first touch), which the shared-memory row does not pay.
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

/// Each way of [`WAYS`] then its baseline, in turns, and the pipe's buffer, KiB.
/// The worker process is forked before the thread starts; both have ended when this
/// returns. The parent's unlock (a Release store) and the child's lock (an Acquire
/// exchange) order the copy before the checksum: plain, full-speed accesses, no
/// data race. The parent locks again only after the checksum came back, so neither
/// waits for the lock.
fn time_handoffs(
    buffer: &[u8],
    expected: u64,
    samples: usize,
) -> anyhow::Result<(Vec<Vec<Duration>>, Value)> {
    let bytes = SharedBytes::new(buffer.len())?;
    let (mut requests, request_writer) = io::pipe().context("creating a pipe")?;
    let (answer_reader, mut answers) = io::pipe().context("creating a pipe")?;
    let capacity = sys::set_pipe_capacity(request_writer.as_fd(), PIECE);
    let capacity = capacity.map(|size| size / 1024).map_err(|why| why.to_string());
    let (shared, length) = (&bytes, buffer.len() as u64);
    // Moved into the child: the parent's copies of its ends close when the fork
    // returns, so a worker that dies is an end of file, not a hang.
    let mut worker = fork_child_fallible(move || -> anyhow::Result<()> {
        let mut piece = vec![0u8; PIECE];
        loop {
            let answer = match read_word(&mut requests)? {
                STOP => return Ok(()),
                SHARED => checksum(&shared.lock(LOCK_DEADLINE)?),
                way => {
                    let mut sum = 0u64;
                    for _ in 0..length / PIECE as u64 {
                        requests.read_exact(&mut piece)?;
                        if way == PIPE {
                            sum = sum.wrapping_add(checksum(&piece));
                        }
                    }
                    if way == PIPE { sum } else { length }
                }
            };
            answers.write_all(&answer.to_le_bytes())?;
        }
    })?;
    let ask = |way: u64, bytes: &[u8]| -> anyhow::Result<u64> {
        let mut request_writer = &request_writer;
        request_writer.write_all(&way.to_le_bytes())?;
        request_writer.write_all(bytes)?;
        read_word(&answer_reader).context("reading the worker's answer")
    };
    // The thread's buffer, moved to it and back, is the private copy; its loop ends
    // when `to_thread` is dropped, which closes the channel.
    let (to_thread, inbox) = mpsc::channel::<Vec<u8>>();
    let (outbox, from_thread) = mpsc::channel();
    let thread = thread::spawn(move || {
        for received in inbox {
            let sum = checksum(&received);
            outbox.send((received, sum)).ok()?;
        }
        Some(())
    });
    let private = RefCell::new(buffer.to_vec());
    let gone = || anyhow!("the handoff thread has gone");
    let times = time_round_robin(
        1,
        samples,
        &mut [
            &mut || {
                to_thread.send(private.take()).map_err(|_| gone())?;
                let (returned, sum) = from_thread.recv().map_err(|_| gone())?;
                *private.borrow_mut() = returned;
                agree(sum, expected, "the worker thread's checksum")
            },
            &mut || {
                let sum = checksum(black_box(&private.borrow()));
                agree(sum, expected, "the checksum in place")
            },
            &mut || agree(ask(PIPE, buffer)?, expected, "the pipe worker's checksum"),
            &mut || agree(ask(RAW_PIPE, buffer)?, length, "the raw pipe's count"),
            &mut || {
                // Lock, copy, unlock (the guard is dropped at the statement's end).
                bytes.lock(LOCK_DEADLINE)?.copy_from_slice(buffer);
                agree(ask(SHARED, &[])?, expected, "the shared memory's checksum")
            },
            // The shared mapping was touched in the warm-up round, as this copy is.
            &mut || {
                let mut held = private.borrow_mut();
                held.copy_from_slice(buffer);
                let sum = checksum(black_box(&held));
                agree(sum, expected, "the private copy's checksum")
            },
        ],
    )?;
    (&request_writer).write_all(&STOP.to_le_bytes())?;
    let waited = worker.join_or_kill(Duration::from_secs(30))?;
    status::check_waited("the handoff worker process", waited)?;
    drop(to_thread);
    shared::join(thread)?;
    Ok((times, figure_or_skipped(&capacity)))
}
