//! Every thread example end to end under the harness: a deadline, its property asserted, and
//! no process left behind. Properties only: never the interleaving of lines from different
//! threads, never a timing.

#![cfg(unix)] // The harness needs Unix.

use std::os::unix::process::ExitStatusExt;

use nix::sys::signal::Signal;
use tests::{Bin, Finished, Runner, run, run_example, run_quiet_example};

/// The thread examples, in book order, after the seed program.
const EXAMPLES: &[&str] = &[
    "steps",
    "scoped",
    "shared-state",
    "race",
    "send-sync",
    "channels",
    "forgotten-drop",
    "sync-channel",
    "back-pressure",
    "select",
    "condvar",
    "barrier",
    "rwlock",
    "rwlock-writes",
    "event",
    "semaphore",
    "timer",
    "as-completed",
    "atomics",
    "publish",
    "memory-ordering",
    "store-buffering",
    "false-sharing",
    "contention",
    "thread-local",
    "once",
    "park",
    "panics",
    "poison",
    "detached",
    "join-timeout",
    "rayon",
    "rayon-cutoff",
    "cpu-vs-io",
    "thread-per-wait",
    "async-vs-threads",
    "parallel-proof",
    "affinity",
    "pinning",
    "deadlock",
    "torn-lines",
];

/// The stdout line starting with `prefix` (after leading spaces); fails the test if none.
#[track_caller]
fn line_starting<'a>(finished: &'a Finished, prefix: &str) -> &'a str {
    let found = finished.stdout.lines().map(str::trim_start).find(|line| line.starts_with(prefix));
    found.unwrap_or_else(|| panic!("no line starting with {prefix:?}\n{finished}"))
}

/// The number that follows `key` in `line`: `number_after("got 12, lost 3", "lost ")` is 3.
#[track_caller]
fn number_after(line: &str, key: &str) -> f64 {
    let start = line.find(key).unwrap_or_else(|| panic!("no {key:?} in {line:?}")) + key.len();
    let digits: String = line[start..].chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    digits.trim_end_matches('.').parse().unwrap_or_else(|_| panic!("no number after {key:?} in {line:?}"))
}

/// The position of the first stdout line equal to `line`; fails the test if none.
#[track_caller]
fn position(finished: &Finished, line: &str) -> usize {
    let lines = finished.stdout_lines();
    lines
        .iter()
        .position(|candidate| *candidate == line)
        .unwrap_or_else(|| panic!("no line {line:?}\n{finished}"))
}

/// The lines that contain `text`, in the order printed.
fn lines_with<'a>(finished: &'a Finished, text: &str) -> Vec<&'a str> {
    finished.stdout.lines().filter(|line| line.contains(text)).collect()
}

#[test]
fn list_shows_the_seed_then_every_thread_example_in_book_order() {
    let finished = run(Bin::Threads, &["--list"]);
    finished.assert_success();
    let names: Vec<&str> =
        finished.stdout_lines().iter().filter_map(|line| line.split_whitespace().next()).collect();
    let mut expected = vec!["seed"];
    expected.extend_from_slice(EXAMPLES);
    assert!(names.len() >= expected.len(), "too few examples listed\n{finished}");
    assert_eq!(&names[..expected.len()], &expected[..], "{finished}");
}

#[test]
fn steps_returns_the_targets_value_through_join() {
    let finished = run_quiet_example(Bin::Threads, "steps");
    finished.assert_has("worker: running on thread 'squares'");
    finished.assert_has("main: the thread returned 338350");
}

#[test]
fn scoped_threads_sum_borrowed_chunks_correctly() {
    let finished = run_quiet_example(Bin::Threads, "scoped");
    finished.assert_has("chunk sums: [31375, 93875, 156375, 218875]");
    finished.assert_has("total: 500500");
    finished.assert_has("numbers is still ours: 1000 numbers");
}

#[test]
fn shared_state_counts_exactly_and_logs_every_worker() {
    let finished = run_quiet_example(Bin::Threads, "shared-state");
    finished.assert_has("counter: 40000 (expected 40000)");
    let mut logged = lines_with(&finished, "log: worker ");
    logged.sort_unstable();
    assert_eq!(
        logged,
        ["log: worker 0 done", "log: worker 1 done", "log: worker 2 done", "log: worker 3 done"]
    );
}

#[test]
fn race_loses_updates_at_most_and_every_fix_is_exact() {
    let finished = run_quiet_example(Bin::Threads, "race");
    // What each method counted. (The line's "lost" is expected minus got: nothing to check.)
    let got = |method: &str| {
        let line = line_starting(&finished, &format!("{method}: "));
        assert_eq!(number_after(line, "expected "), 4_000_000.0, "{line}");
        number_after(line, "got ")
    };
    // The racy counter may lose any number of updates, or by chance none; never gain one.
    let racy = got("load + store");
    assert!(racy <= 4_000_000.0, "the racy counter gained updates\n{finished}");
    for fix in ["fetch_add", "Mutex", "channel"] {
        assert_eq!(got(fix), 4_000_000.0, "{fix} must be exact\n{finished}");
    }
}

#[test]
fn send_sync_working_versions_run() {
    let finished = run_quiet_example(Bin::Threads, "send-sync");
    finished.assert_has("Arc: the thread summed [1, 2, 3] to 6");
    finished.assert_has("move: the thread took the vector and counted 3 numbers");
    finished.assert_has("scope: the thread borrowed [1, 2, 3] and found the largest, Some(3)");
    finished.assert_has("atomic: the thread counted a hit, hits = 1");
}

#[test]
fn channels_receive_every_message_until_the_last_sender_is_dropped() {
    let finished = run_quiet_example(Bin::Threads, "channels");
    let received = lines_with(&finished, "got producer ");
    assert_eq!(received.len(), 15, "{finished}");
    for producer in 0..3 {
        let own: Vec<&str> = received
            .iter()
            .copied()
            .filter(|line| line.starts_with(&format!("got producer {producer}:")))
            .collect();
        let expected: Vec<String> =
            (0..5).map(|message| format!("got producer {producer}: message {message}")).collect();
        assert_eq!(own, expected, "one producer's messages arrive in the order it sent them\n{finished}");
    }
    finished.assert_has("received 15 of 15 messages");
}

#[test]
fn forgotten_drop_times_out_while_a_sender_lives_then_disconnects() {
    let finished = run_quiet_example(Bin::Threads, "forgotten-drop");
    finished.assert_has("got \"the only message\"");
    finished.assert_has("no message within 200 ms: a sender is still alive (the forgotten drop(tx))");
    finished.assert_has("after drop(tx): disconnected");
}

#[test]
fn sync_channel_refuses_a_message_past_its_bound_and_meets_at_zero() {
    let finished = run_quiet_example(Bin::Threads, "sync-channel");
    finished.assert_has("sync_channel(2): message 3 does not fit");
    finished.assert_has("drained [1, 2]");
    // A rendezvous: the send cannot return before the receiver has taken the message.
    finished.assert_has("sync_channel(0): before recv, send has returned: false");
    finished.assert_has("sync_channel(0): received \"the baton\"");
}

#[test]
fn back_pressure_keeps_the_producer_at_most_the_capacity_ahead() {
    let finished = run_quiet_example(Bin::Threads, "back-pressure");
    finished.assert_has("bounded(2): message 3 does not fit");
    finished.assert_has("drained [1, 2]");
    let ahead = number_after(line_starting(&finished, "the producer was at most "), "at most ");
    assert!(ahead <= 3.0, "capacity 2 plus the message in the consumer's hands\n{finished}");
}

#[test]
fn select_receives_both_channels_and_times_out() {
    let finished = run_quiet_example(Bin::Threads, "select");
    let numbers: Vec<&str> = lines_with(&finished, "select: number ");
    let letters: Vec<&str> = lines_with(&finished, "select: letter ");
    assert_eq!(
        numbers,
        ["select: number 0", "select: number 1", "select: number 2", "select: number 3", "select: number 4"]
    );
    assert_eq!(
        letters,
        ["select: letter A", "select: letter B", "select: letter C", "select: letter D", "select: letter E"]
    );
    finished.assert_has("select received 10 messages from two channels");
    finished.assert_has("select: timed out after 100 ms");
}

#[test]
fn condvar_consumers_take_every_item_once_in_queue_order() {
    let finished = run_quiet_example(Bin::Threads, "condvar");
    let mut all = Vec::new();
    for consumer in ["consumer 1 took ", "consumer 2 took "] {
        let line = line_starting(&finished, consumer);
        let list = line.trim_start_matches(consumer).trim_matches(['[', ']']);
        let taken: Vec<u32> =
            list.split(", ").filter(|item| !item.is_empty()).map(|item| item.parse().unwrap()).collect();
        assert!(
            taken.windows(2).all(|pair| pair[0] < pair[1]),
            "each consumer takes from the front\n{finished}"
        );
        all.extend(taken);
    }
    all.sort_unstable();
    assert_eq!(all, (1..=10).collect::<Vec<u32>>(), "{finished}");
}

#[test]
fn barrier_lets_nobody_into_phase_2_before_everyone_finished_phase_1() {
    let finished = run_quiet_example(Bin::Threads, "barrier");
    let lines = finished.stdout_lines();
    let last_phase_one = lines.iter().rposition(|line| line.ends_with(": phase 1")).expect("phase 1 lines");
    let first_phase_two = lines.iter().position(|line| line.contains(": phase 2")).expect("phase 2 lines");
    assert!(last_phase_one < first_phase_two, "a phase-2 line came before a phase-1 line\n{finished}");
    assert_eq!(lines_with(&finished, ": phase 1").len(), 4);
    assert_eq!(lines_with(&finished, "sees 4 of 4 phase-1 results").len(), 4, "{finished}");
    assert_eq!(lines_with(&finished, "(leader)").len(), 1, "{finished}");
}

#[test]
fn rwlock_admits_readers_together_and_keeps_the_writer_out() {
    let finished = run_quiet_example(Bin::Threads, "rwlock");
    finished.assert_has("a second reader got in: true");
    finished.assert_has("a writer was kept out: true");
}

#[test]
fn rwlock_writes_interleave_and_every_read_sees_a_whole_version() {
    let finished = run_quiet_example(Bin::Threads, "rwlock-writes");
    // The writer writes each version only after every reader has seen the one before, so
    // reads and writes interleave: each reader saw every version, in order, each with its
    // matching greeting (a mismatch panics the reader and fails the example).
    for reader in 0..3 {
        finished
            .assert_has(&format!("reader {reader} saw versions [1, 2, 3, 4, 5], each with its own greeting"));
    }
    finished.assert_has("every read saw matching fields");
    finished.assert_has("final: Config { version: 5, greeting: \"hello v5\" }");
}

#[test]
fn event_releases_every_waiter_only_after_it_is_set() {
    let finished = run_quiet_example(Bin::Threads, "event");
    finished.assert_has("before set: wait_timeout(50 ms) returned false");
    let set_at = position(&finished, "main: setting the event");
    for worker in 0..3 {
        assert!(position(&finished, &format!("worker {worker}: started")) > set_at, "{finished}");
    }
    finished.assert_has("after set: wait() returned at once; is_set = true");
    finished.assert_has("after clear: is_set = false");
}

#[test]
fn semaphore_never_admits_more_than_its_permits() {
    let finished = run_quiet_example(Bin::Threads, "semaphore");
    let inside = lines_with(&finished, ": inside, ");
    assert_eq!(inside.len(), 6, "{finished}");
    for line in inside {
        assert!(number_after(line, "inside, ") <= 2.0, "{line}");
    }
    assert!(number_after(line_starting(&finished, "at most "), "at most ") <= 2.0);
    finished.assert_has("bounded: an extra release is refused: OverRelease");
}

#[test]
fn timer_fires_once_and_the_cancelled_one_never() {
    let finished = run_quiet_example(Bin::Threads, "timer");
    finished.assert_has("long timer: cancelled after");
    finished.assert_has("it fired: false");
    finished.assert_has("short timer: it fired: true");
    assert_eq!(lines_with(&finished, "short timer: fired after").len(), 1);
    assert!(!finished.stdout.contains("long timer: fired"), "{finished}");
}

#[test]
fn atomics_lose_no_count() {
    let finished = run_quiet_example(Bin::Threads, "atomics");
    finished.assert_has("the workers' own counts add up to the shared counter: true");
}

#[test]
fn publish_shows_the_value_to_the_acquiring_reader() {
    let finished = run_quiet_example(Bin::Threads, "publish");
    finished.assert_has("published with Release, read with Acquire: the reader saw 42");
}

#[test]
fn thread_local_gives_each_thread_its_own_value() {
    let finished = run_quiet_example(Bin::Threads, "thread-local");
    for thread in 1..=3 {
        finished.assert_has(&format!("thread {thread}: made {thread} calls, logged {thread}"));
    }
    finished.assert_has("main: made 0 calls, logged 0");
}

#[test]
fn park_wakes_the_worker_after_the_work_is_ready() {
    let finished = run_quiet_example(Bin::Threads, "park");
    // The worker really waited: main prepares the work only once the worker has gone to
    // park, so it parked at least once before it saw the work ready.
    let woken = line_starting(&finished, "worker: parked ");
    assert!(woken.ends_with(" time(s); woken, and the work is ready"), "{finished}");
    assert!(number_after(woken, "parked ") >= 1.0, "the worker never parked\n{finished}");
    assert!(position(&finished, "main: preparing the work") < position(&finished, woken), "{finished}");
    // The token kept by the early `unpark`: `park_timeout(5 s)` returned without waiting
    // out its timeout.
    let waited_ms =
        number_after(line_starting(&finished, "main: unpark then park returned after "), "after ");
    assert!(waited_ms < 5000.0, "park waited out its timeout: the token was lost\n{finished}");
}

#[test]
fn panics_are_caught_reported_with_their_payload_and_exit_0() {
    let finished = run_example(Bin::Threads, "panics");
    finished.assert_has("join returned Err; the payload says: item 3 is bad (a panic on purpose)");
    finished.assert_has("thread::scope panicked in the caller: a scoped thread panicked");
    // The panic hook reports each panic on stderr, as in any real program.
    assert!(finished.stderr.contains("item 3 is bad"), "{finished}");
    assert_only_deliberate_panics("panics", &finished);
}

#[test]
fn poison_marks_the_mutex_and_into_inner_recovers_the_data() {
    let finished = run_example(Bin::Threads, "poison");
    finished.assert_has("join returned Err: the writer panicked holding the lock");
    finished.assert_has("lock returned Err (poisoned); into_inner recovered [1, 2, 3]");
    finished.assert_has("after clear_poison: poisoned = false");
    assert!(finished.stderr.contains("half-way through an update"), "{finished}");
    assert_only_deliberate_panics("poison", &finished);
}

#[test]
fn detached_thread_dies_with_main() {
    let finished = run_quiet_example(Bin::Threads, "detached");
    // The detached thread ran beside main (its first beat before main returned), beat in
    // order, and never stopped by itself: the process ended, exit 0 and nothing left
    // behind, while its loop had no end.
    let beats: Vec<f64> = finished
        .stdout_lines()
        .iter()
        .filter_map(|line| line.strip_prefix("heartbeat "))
        .map(|beat| number_after(beat, ""))
        .collect();
    assert!(!beats.is_empty(), "{finished}");
    assert!(beats.iter().zip(1..).all(|(&beat, n)| beat == f64::from(n)), "beats out of order\n{finished}");
    let main_returns = line_starting(&finished, "main returns now");
    assert!(position(&finished, "heartbeat 1") < position(&finished, main_returns), "{finished}");
}

#[test]
fn join_timeout_finds_the_worker_running_then_gets_its_result() {
    let finished = run_quiet_example(Bin::Threads, "join-timeout");
    let timed_out = position(&finished, "join with 50 ms timeout: still running (is_finished = false)");
    assert!(timed_out < position(&finished, "join with 5 s timeout: finished with 42"), "{finished}");
}

#[test]
fn rayon_gives_the_sequential_answer_every_way() {
    let finished = run_quiet_example(Bin::Threads, "rayon");
    let answer = shared::work::cpu_job(1..200_001) as f64;
    assert_eq!(number_after(line_starting(&finished, "sequential: "), "sequential: "), answer);
    assert_eq!(number_after(line_starting(&finished, "par_iter: "), "par_iter:   "), answer);
    assert_eq!(number_after(line_starting(&finished, "rayon::join: "), "= "), answer);
    assert_eq!(number_after(line_starting(&finished, "own pool of 2 threads: "), "threads: "), answer);
    // The speedup is the quotient of the two times printed (to 0.1 ms; the speedup to 0.01).
    let sequential_ms = number_after(line_starting(&finished, "sequential: "), " in ");
    let parallel_ms = number_after(line_starting(&finished, "par_iter: "), " in ");
    let speedup = number_after(line_starting(&finished, "speedup: "), "speedup: ");
    let lowest = (sequential_ms - 0.05) / (parallel_ms + 0.05) - 0.005;
    let highest =
        if parallel_ms > 0.05 { (sequential_ms + 0.05) / (parallel_ms - 0.05) + 0.005 } else { f64::MAX };
    assert!(
        speedup > 0.0 && (lowest..=highest).contains(&speedup),
        "speedup {speedup}x, but {sequential_ms} ms / {parallel_ms} ms\n{finished}"
    );
}

#[test]
fn rayon_cutoff_times_every_size_and_reports_a_cutoff() {
    let finished = run_quiet_example(Bin::Threads, "rayon-cutoff");
    for size in ["10", "100", "1000", "10000", "100000"] {
        line_starting(&finished, &format!("{size} numbers: sequential "));
    }
    assert!(
        finished.stdout.contains("parallel was slower below")
            || finished.stdout.contains("parallel was never faster"),
        "no cutoff reported\n{finished}"
    );
}

#[test]
fn cpu_vs_io_waiting_tasks_overlap_on_threads_whatever_the_cpus() {
    let finished = run_quiet_example(Bin::Threads, "cpu-vs-io");
    finished.assert_has("threads | CPU-bound ms | speedup | waiting ms | speedup");
    let row = |threads: usize| -> Vec<f64> {
        let row = line_starting(&finished, &format!("{threads} | "));
        let cells: Vec<f64> = row
            .split('|')
            .map(|cell| cell.trim().trim_end_matches('x').parse().unwrap_or_else(|_| panic!("{row}")))
            .collect();
        assert_eq!(cells.len(), 5, "{row}");
        cells
    };
    let one = row(1);
    for threads in [1, 2, 4, 8] {
        let cells = row(threads);
        // Each speedup is the one-thread time over this row's (times to 0.1 ms, speedups
        // to 0.01).
        for (time, speedup, base) in [(cells[1], cells[2], one[1]), (cells[3], cells[4], one[3])] {
            let (lowest, highest) =
                ((base - 0.05) / (time + 0.05) - 0.005, (base + 0.05) / (time - 0.05) + 0.005);
            assert!(
                (lowest..=highest).contains(&speedup),
                "{threads} threads: {speedup}x is not {base}/{time}"
            );
        }
    }
    // What the example teaches: 8 waiting tasks on 8 threads wait at the same time, on any
    // number of CPUs (a waiting thread uses none): far faster than one after another (8x at
    // best; 2x leaves room for a loaded machine). The CPU-bound speedup depends on the CPUs
    // free, so it is not asserted.
    let waiting_speedup = row(8)[4];
    assert!(waiting_speedup > 2.0, "8 waiting tasks on 8 threads: only {waiting_speedup}x\n{finished}");
}

#[test]
fn parallel_proof_shows_overlap_on_two_or_more_cpus() {
    let finished = run_quiet_example(Bin::Threads, "parallel-proof");
    // The last round's figure: the example tries again while the overlap is 0.
    let rounds = lines_with(&finished, "both ran at once, on different CPUs, for ");
    let last_round = rounds.last().unwrap_or_else(|| panic!("no round reported\n{finished}"));
    let overlap_ms = number_after(last_round, "for ");
    let cpus = std::thread::available_parallelism().map_or(1, |cpus| cpus.get());
    if cpus < 2 {
        eprintln!(
            "skipped: one CPU available, so two threads cannot overlap (the example printed {overlap_ms} ms)"
        );
        finished.assert_has("on one CPU threads can only take turns");
        return;
    }
    if overlap_ms == 0.0 {
        // A busy machine may never run both at once in all the rounds: the example then
        // says so after its last round, which is no failure of the code.
        assert_eq!(rounds.len(), 50, "the example stopped before its last round with no overlap\n{finished}");
        eprintln!("no overlap seen in 50 rounds on {cpus} CPUs: the machine was busy");
    }
}

/// Pinned to one CPU (`taskset -c 0`), the two threads can only take turns: the example
/// sees one CPU, and its timestamps must never claim an overlap.
#[test]
fn parallel_proof_finds_no_overlap_on_one_cpu() {
    let program = tests::binary(Bin::Threads);
    let program = program.to_str().expect("the binary's path is UTF-8");
    let finished = Runner::program("taskset").args(&["-c", "0", program, "parallel-proof"]).run();
    finished.assert_success();
    finished.assert_has("CPUs this process may use: 1; on one CPU threads can only take turns");
    let rounds = lines_with(&finished, "both ran at once, on different CPUs, for ");
    assert_eq!(rounds.len(), 1, "one round is enough on one CPU\n{finished}");
    assert_eq!(number_after(rounds[0], "for "), 0.0, "an overlap claimed on one CPU\n{finished}");
}

#[test]
fn affinity_reports_the_mask_and_a_parallelism_within_it() {
    let finished = run_quiet_example(Bin::Threads, "affinity");
    let parallelism = number_after(line_starting(&finished, "available_parallelism(): "), ": ");
    let mask = line_starting(&finished, "affinity mask: CPUs [");
    let allowed: Vec<usize> = mask["affinity mask: CPUs [".len()..]
        .trim_end_matches(']')
        .split(", ")
        .map(|cpu| cpu.parse().unwrap_or_else(|_| panic!("not a CPU list: {mask}")))
        .collect();
    // std takes the smaller of the mask and the cgroup quota (library/std/src/sys/thread/unix.rs).
    assert!(parallelism >= 1.0 && parallelism <= allowed.len() as f64, "{finished}");
    line_starting(&finished, "cgroup CPU quota: ");
}

#[test]
fn pinning_two_threads_to_one_cpu_leaves_them_never_at_once() {
    let finished = run_quiet_example(Bin::Threads, "pinning");
    line_starting(&finished, "unpinned: both at once for ");
    // Pinned: the kernel runs both threads on that CPU only, so they can only take turns.
    let pinned = line_starting(&finished, "pinned to CPU ");
    assert!(pinned.ends_with(": both at once for 0.0 ms of 200 ms"), "{finished}");
    assert!(!finished.stdout.contains("could not be pinned"), "{finished}");
}

#[test]
fn deadlock_is_detected_then_the_fix_completes() {
    let finished = run_quiet_example(Bin::Threads, "deadlock");
    let detected =
        position(&finished, "opposite lock orders: deadlock detected: 2 threads still blocked after 500 ms");
    let fixed = position(&finished, "one lock order: both transfers finished; balances (100, 100)");
    assert!(detected < fixed, "{finished}");
}

#[test]
fn torn_lines_println_never_tears_and_a_locked_block_stays_together() {
    let finished = run_quiet_example(Bin::Threads, "torn-lines");
    let lines = finished.stdout_lines();
    let whole = position(&finished, "== println!: every line whole ==");
    let pieces = position(&finished, "== print! in three pieces: lines may tear ==");
    let block = position(&finished, "== stdout().lock(): a block of 5 lines together ==");
    let done = position(&finished, "== done ==");
    assert!(whole < pieces && pieces < block && block < done, "{finished}");

    // Every `println!` line whole, and each thread's own lines in its order.
    for name in ["numbers", "letters"] {
        let own: Vec<&str> =
            lines[whole + 1..pieces].iter().copied().filter(|line| line.starts_with(name)).collect();
        let expected: Vec<String> =
            (0..200).map(|line| format!("{name} thread: line {line} of 200, whole")).collect();
        assert_eq!(own, expected, "{finished}");
    }
    assert_eq!(pieces - whole - 1, 400, "a line that is not one of the 400 whole ones\n{finished}");

    // Torn lines are allowed, but each `print!` call's text comes out in one piece.
    let torn_section = lines[pieces + 1..block].join("\n");
    assert_eq!(torn_section.matches("numbers thread:").count(), 200);
    assert_eq!(torn_section.matches("letters thread:").count(), 200);
    assert_eq!(torn_section.matches(", in pieces").count(), 400);

    // A block written under one lock is five adjacent lines.
    let block_lines = &lines[block + 1..done];
    assert_eq!(block_lines.len(), 10, "{finished}");
    for name in ["numbers", "letters"] {
        let first = block_lines.iter().position(|line| line.starts_with(name)).expect("the block");
        let expected: Vec<String> = (0..5).map(|line| format!("{name} block: line {line} of 5")).collect();
        assert_eq!(&block_lines[first..first + 5], &expected[..], "{finished}");
    }
}

/// Fails unless every panic reported on stderr is one the example makes on purpose.
#[track_caller]
fn assert_only_deliberate_panics(name: &str, finished: &Finished) {
    let lines: Vec<&str> = finished.stderr.lines().collect();
    for (index, line) in lines.iter().enumerate() {
        if line.starts_with("thread '") && line.contains("' panicked at ") {
            let message = lines.get(index + 1).copied().unwrap_or("");
            assert!(
                message.contains("(a panic on purpose)") || message == "a scoped thread panicked",
                "{name}: a panic that is not on purpose: {message:?}\n{finished}"
            );
        }
    }
}

#[test]
fn a_closed_stdout_ends_every_example_quietly() {
    for name in std::iter::once(&"seed").chain(EXAMPLES) {
        let finished = Runner::new(Bin::Threads).args(&[name]).close_stdout_after(1).run();
        finished.assert_no_strays();
        // Either it wrote everything before the pipe closed, or a write found it closed and
        // SIGPIPE ended the process, silently, as `head` expects.
        let ok = finished.status.success() || finished.status.signal() == Some(Signal::SIGPIPE as i32);
        assert!(ok, "{name}: neither exit 0 nor SIGPIPE\n{finished}");
        assert!(!finished.stderr.contains("failed printing"), "{name}\n{finished}");
        if ["panics", "poison"].contains(name) {
            assert_only_deliberate_panics(name, &finished);
        } else {
            finished.assert_no_panic();
        }
    }
}

#[test]
fn as_completed_reports_every_task_once_and_cancels_after_the_first_error() {
    let finished = run_quiet_example(Bin::Threads, "as-completed");
    let mut reported: Vec<u64> = lines_with(&finished, "task ")
        .iter()
        .filter(|line| line.starts_with("task "))
        .map(|line| number_after(line, "task ") as u64)
        .collect();
    reported.sort_unstable();
    assert_eq!(reported, (0..20).collect::<Vec<u64>>(), "each task reported exactly once\n{finished}");
    // Task 6 is the only one that fails, so it cannot have been cancelled: it ran and failed.
    finished.assert_has("task 6: failed: task 6: bad input");
    assert_eq!(lines_with(&finished, "first error").len(), 1, "{finished}");
    let summary = line_starting(&finished, "20 submitted: ");
    let (done, failed, cancelled) =
        (number_after(summary, ": "), number_after(summary, "done, "), number_after(summary, "failed, "));
    assert_eq!((done + failed + cancelled, failed), (20.0, 1.0), "{summary}");
    assert_eq!(cancelled as usize, lines_with(&finished, "cancelled before it started").len(), "{finished}");
}

#[test]
fn memory_ordering_edges_deliver() {
    let finished = run_quiet_example(Bin::Threads, "memory-ordering");
    finished.assert_has("edges: join gave 6, the mutex holds 6, recv got [6, 6]");
}

#[test]
fn store_buffering_seqcst_never_shows_both_zero() {
    let finished = run_quiet_example(Bin::Threads, "store-buffering");
    for ordering in ["Relaxed", "Release/Acquire", "SeqCst"] {
        let line = line_starting(&finished, &format!("{ordering}: "));
        let trials = number_after(line, ": ");
        let outcomes =
            number_after(line, "r1=r2=1 ") + number_after(line, "one 0 ") + number_after(line, "r1=r2=0 ");
        assert!(trials > 0.0 && outcomes == trials, "the outcomes add up to the trials: {line}");
    }
    // The one thing the hardware must never show: with SeqCst, both loads missing both stores.
    // (Relaxed and Release/Acquire may show it, or not: the test does not ask them to.)
    let seq_cst = line_starting(&finished, "SeqCst: ");
    assert_eq!(number_after(seq_cst, "r1=r2=0 "), 0.0, "SeqCst forbids r1 = r2 = 0\n{finished}");
}

#[test]
fn false_sharing_loses_no_increment_on_either_layout() {
    let finished = run_quiet_example(Bin::Threads, "false-sharing");
    let counts = lines_with(&finished, "counts: 20000000 and 20000000, none lost");
    assert_eq!(counts.len(), 2, "both layouts count exactly\n{finished}");
    finished.assert_has("SameLine: 64 bytes;");
    // The layouts do what their names say, by the counters' addresses: side by side in one
    // line, or in different lines (CachePadded: 128 bytes apart on x86-64 and aarch64).
    finished.assert_has("one line: counters 8 bytes apart, in one 64-byte line: true");
    let padded = line_starting(&finished, "padded: counters ");
    assert!(
        number_after(padded, "counters ") >= 64.0 && padded.ends_with("in one 64-byte line: false"),
        "{padded}"
    );
    // Timing is not asserted (shared machines); only that the ratio is reported.
    line_starting(&finished, "false sharing made it ");
}

#[test]
fn contention_counts_exactly_every_way_on_every_thread_count() {
    let finished = run_quiet_example(Bin::Threads, "contention");
    // The example checks each count and fails otherwise: exit 0 means all twelve were exact.
    finished.assert_has("1048576 increments in all, split over the threads; every count exact");
    finished.assert_has("threads | Mutex, ms | atomic, ms | sharded, ms");
    for threads in [1, 2, 4, 8] {
        let row = line_starting(&finished, &format!("{threads} | "));
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        assert_eq!(cells.len(), 4, "{row}");
        // Times only as numbers: which way is faster depends on the machine (not asserted).
        for cell in &cells[1..] {
            assert!(cell.parse::<f64>().is_ok_and(|ms| ms >= 0.0), "{row}");
        }
    }
}

#[test]
fn once_runs_each_initialiser_once_however_many_threads_race() {
    let finished = run_quiet_example(Bin::Threads, "once");
    finished.assert_has("8 threads raced; every one saw the same value: true");
    assert!(line_starting(&finished, "OnceLock: ").ends_with("initialiser ran 1 time(s)"), "{finished}");
    finished.assert_has("LazyLock: 303 primes below 2000, initialiser ran 1 time(s)");
}

#[test]
fn thread_per_wait_completes_every_wait() {
    let finished = run(Bin::Threads, &["thread-per-wait", "--waits", "200"]);
    finished.assert_success();
    let line = line_starting(&finished, "threads: ");
    assert!(line.starts_with("threads: 200 waits; all started after "), "{finished}");
    assert!(finished.stderr.is_empty(), "{finished}");
}

#[test]
fn async_vs_threads_completes_every_wait_both_ways() {
    let finished = run(Bin::Threads, &["async-vs-threads", "--waits", "500"]);
    finished.assert_success().assert_no_panic();
    finished.assert_has("500 concurrent waits of 1000 ms each");
    for way in ["tokio tasks: ", "threads: "] {
        let line = line_starting(&finished, way);
        assert_eq!(number_after(line, way), 500.0, "every wait completed: {line}");
        assert!(line.contains("memory +") || line.contains("memory not measured"), "{line}");
    }
}

#[test]
fn async_vs_threads_refuses_a_bad_count() {
    for (count, why) in [("0", "zero"), ("many", "invalid digit")] {
        let finished = run(Bin::Threads, &["async-vs-threads", "--waits", count]);
        finished.assert_code(1);
        assert!(finished.stderr.contains("--waits N, N > 0"), "{finished}");
        assert!(finished.stderr.contains(why), "{finished}");
    }
}
