//! The safe process layer (`examples_processes::sys`), tested where it forks.
//!
//! This target has `harness = false`: it is its own `main`, running every case on the main
//! thread, one after another. libtest would run each test on a thread of its own, and a
//! process that forks while it has several threads may hand its child a lock another thread
//! held at that instant (stdout's, the allocator's): the child then blocks forever. Forking
//! from a single-threaded process is the rule the examples teach; the tests keep it too.
//!
//! Linux only (the thread count comes from `/proc`); elsewhere this target is empty.

// An empty target still needs no `main`: this keeps it checkable on every platform.
#![cfg_attr(not(target_os = "linux"), no_main)]
#![cfg(target_os = "linux")]

use std::io::{Read, Write};
use std::os::unix::process::ExitStatusExt;
use std::panic;
use std::path::Path;
use std::process::ExitStatus;
use std::sync::atomic::Ordering;
use std::thread;
use std::time::Duration;

use examples_processes::status::describe;
use examples_processes::sys::{
    AtomicCells, ForkedChild, SharedBytes, Sharing, allow_fork_with_threads, become_child_subreaper,
    block_sigpipe_in_this_thread, blocked_in, catch_interrupt, catch_signal, crash_with_signal, current_pid,
    die_of_signal, disable_core_dumps, exit_immediately, fork_child, fork_child_with_code, parent_pid,
    private_dirty_kib, send_signal, set_parent_death_signal, set_pipe_capacity, signal_name,
    signal_process_group, spawn_all, thread_count, wait_readable, wait_timeout,
};
use nix::sys::signal::{Signal, raise};

/// How long any child may take before the test kills it and fails.
const DEADLINE: Duration = Duration::from_secs(10);

/// Joins `child` within [`DEADLINE`]; on overrun kills and reaps it, then fails the test.
fn join_within_deadline(child: &mut ForkedChild) -> ExitStatus {
    match child.join_timeout(DEADLINE).expect("join_timeout") {
        Some(status) => status,
        None => {
            child.kill().expect("kill");
            let status = child.join().expect("join after kill");
            panic!(
                "child {} outlived its deadline of {DEADLINE:?}; killed ({})",
                child.pid(),
                describe(status)
            );
        }
    }
}

fn exit_code_is_carried_through() {
    let mut child = fork_child_with_code(|| 3).expect("fork");
    let status = join_within_deadline(&mut child);
    assert_eq!(status.code(), Some(3));
    assert_eq!(describe(status), "exited with code 3");
}

fn a_target_returning_unit_exits_0() {
    let mut child = fork_child(|| {}).expect("fork");
    assert!(join_within_deadline(&mut child).success());
}

fn a_panicking_child_exits_101() {
    let mut child = fork_child(|| panic!("deliberate panic in a forked child")).expect("fork");
    let status = join_within_deadline(&mut child);
    assert_eq!(status.code(), Some(101), "{}", describe(status));
}

fn a_child_never_falls_through_into_the_parents_code() {
    let counter = AtomicCells::new(1, Sharing::Shared).expect("mmap");
    let mut child = fork_child(|| ()).expect("fork");
    // Only the parent must get here: a child that returned from `fork_child` would count too.
    counter[0].fetch_add(1, Ordering::SeqCst);
    assert!(join_within_deadline(&mut child).success());
    assert_eq!(counter[0].load(Ordering::SeqCst), 1);
}

fn exit_immediately_skips_the_rest() {
    let counter = AtomicCells::new(1, Sharing::Shared).expect("mmap");
    let mut child = fork_child(|| {
        exit_immediately(7);
        #[allow(unreachable_code)]
        counter[0].fetch_add(1, Ordering::SeqCst);
    })
    .expect("fork");
    assert_eq!(join_within_deadline(&mut child).code(), Some(7));
    assert_eq!(counter[0].load(Ordering::SeqCst), 0);
}

// --- SharedBytes: plain bytes between processes, only under their lock ---

/// How long a test waits for a `SharedBytes` lock that should be free.
const LOCK_DEADLINE: Duration = Duration::from_secs(10);

fn shared_bytes_a_child_wrote_under_the_lock_reach_the_parent() {
    let bytes = SharedBytes::new(4096).expect("mmap");
    let mut child = fork_child(|| {
        let mut held = bytes.lock(LOCK_DEADLINE).expect("the child locks");
        for (index, byte) in held.iter_mut().enumerate() {
            *byte = index as u8;
        }
    })
    .expect("fork");
    assert!(join_within_deadline(&mut child).success());
    let held = bytes.lock(LOCK_DEADLINE).expect("the parent locks after the child unlocked");
    assert!(held.iter().enumerate().all(|(index, &byte)| byte == index as u8), "the child's bytes");
}

/// The lock is one lock for all processes: four children and the parent each add 1 to a plain
/// `u64` in the bytes (a load, then a store: the pattern that loses updates without a lock)
/// 5 000 times, under the lock; none is lost.
fn shared_bytes_lock_keeps_processes_apart() {
    const CHILDREN: u64 = 4;
    const ADDS: u64 = 5_000;
    let bytes = SharedBytes::new(8).expect("mmap");
    let add = || {
        for _ in 0..ADDS {
            let mut held = bytes.lock(LOCK_DEADLINE).expect("lock");
            let value = u64::from_ne_bytes(held[..8].try_into().expect("8 bytes"));
            held.copy_from_slice(&(value + 1).to_ne_bytes());
        }
    };
    let mut children: Vec<ForkedChild> = (0..CHILDREN).map(|_| fork_child(add).expect("fork")).collect();
    add();
    for child in &mut children {
        assert!(join_within_deadline(child).success());
    }
    let held = bytes.lock(LOCK_DEADLINE).expect("lock");
    let total = u64::from_ne_bytes(held[..8].try_into().expect("8 bytes"));
    assert_eq!(total, (CHILDREN + 1) * ADDS, "an add was lost: the lock let two holders in");
}

/// A fork while this process holds the lock would give the child a copy of the holder: refused.
fn a_fork_is_refused_while_a_shared_bytes_lock_is_held() {
    let bytes = SharedBytes::new(8).expect("mmap");
    let held = bytes.lock(LOCK_DEADLINE).expect("lock");
    let error = fork_child(|| ()).expect_err("a fork while holding the lock must be refused");
    assert_eq!(error.kind(), std::io::ErrorKind::ResourceBusy, "{error}");
    drop(held);
    let mut child = fork_child(|| ()).expect("once unlocked, forking works again");
    assert!(join_within_deadline(&mut child).success());
}

/// A lock another process holds is not taken: the wait ends with `TimedOut`, naming the holder.
fn a_shared_bytes_lock_held_by_a_child_times_out() {
    let bytes = SharedBytes::new(8).expect("mmap");
    let (mut locked_reader, mut locked_writer) = std::io::pipe().expect("pipe");
    let (mut release_reader, mut release_writer) = std::io::pipe().expect("pipe");
    let shared = &bytes;
    // `move`: the parent's copy of `locked_writer` goes, so a child that dies early means end of
    // file for the parent, not a hang.
    let mut child = fork_child(move || {
        let _held = shared.lock(LOCK_DEADLINE).expect("the child locks");
        locked_writer.write_all(b"L").expect("tell the parent");
        let mut release = [0u8; 1];
        release_reader.read_exact(&mut release).expect("wait for the parent's word");
    })
    .expect("fork");
    let mut locked = [0u8; 1];
    locked_reader.read_exact(&mut locked).expect("the child says it holds the lock");
    let timed_out = bytes.lock(Duration::from_millis(100)).map(drop);
    // Release the child before asserting, so that a failed assertion leaves no child behind.
    release_writer.write_all(b"R").expect("release the child");
    assert!(join_within_deadline(&mut child).success());
    let error = timed_out.expect_err("the child held the lock");
    assert_eq!(error.kind(), std::io::ErrorKind::TimedOut, "{error}");
    assert!(error.to_string().contains(&format!("process {}", child.pid())), "names the holder: {error}");
    drop(bytes.lock(LOCK_DEADLINE).expect("the child unlocked when it ended"));
}

/// A child forked while another thread runs would get only the forking thread, with whatever
/// the other held frozen in it: the safe functions refuse; `allow_fork_with_threads` (unsafe)
/// lets it through; once the thread is joined, forking works again.
fn a_fork_while_another_thread_runs_is_refused() {
    let (stop, stopped) = std::sync::mpsc::channel::<()>();
    let helper = thread::spawn(move || stopped.recv());
    let refused = fork_child(|| ()).map(|mut child| join_within_deadline(&mut child));
    // SAFETY: the child must touch nothing the helper may have been changing or holding at the
    // fork (it may be starting up, or inside `recv` with the channel's lock held): the child
    // runs an empty target, flushes stdout, whose lock only this thread ever takes (the helper
    // never prints), and `_exit`s. No allocation, no other lock: true on every libc.
    let allowed = unsafe { allow_fork_with_threads(|| fork_child(|| ())) };
    stop.send(()).expect("the helper waits");
    helper.join().expect("the helper ends").expect("the helper got the message");
    let allowed_status = allowed.map(|mut child| join_within_deadline(&mut child));
    let error = refused.expect_err("a fork while another thread runs must be refused");
    assert!(error.to_string().contains("fork: refused: 2 threads"), "{error}");
    assert!(allowed_status.expect("allowed inside allow_fork_with_threads").success());
    let mut child = fork_child(|| ()).expect("once the thread is joined, forking works");
    assert!(join_within_deadline(&mut child).success());
}

fn signals_are_reported_by_name() {
    for signal in [Signal::SIGKILL, Signal::SIGSEGV, Signal::SIGABRT] {
        let name = signal.as_str();
        // SIGKILL cannot be caught: raised as it is. The others through the layer's own crash,
        // which restores the default action first (Rust's runtime handles SIGSEGV itself).
        let mut child = fork_child(move || match signal {
            Signal::SIGKILL => raise(signal).expect("raise(SIGKILL)"),
            _ => crash_with_signal(signal as i32),
        })
        .expect("fork");
        let status = join_within_deadline(&mut child);
        assert_eq!(status.signal(), Some(signal as i32), "{}", describe(status));
        let words = describe(status);
        assert!(words.starts_with(&format!("killed by signal {} ({name})", signal as i32)), "{words}");
    }
}

fn an_abort_is_reported_as_sigabrt() {
    let mut child = fork_child(|| {
        std::process::abort();
    })
    .expect("fork");
    let status = join_within_deadline(&mut child);
    assert_eq!(status.signal(), Some(Signal::SIGABRT as i32), "{}", describe(status));
}

fn join_timeout_returns_none_while_running_then_kill_and_join_reap() {
    let mut child = fork_child(|| thread::sleep(Duration::from_secs(60))).expect("fork");
    let waited = child.join_timeout(Duration::from_millis(50)).expect("join_timeout");
    assert!(waited.is_none(), "a sleeping child ended early: {waited:?}");
    assert!(!child.is_reaped());
    child.kill().expect("kill");
    let status = join_within_deadline(&mut child);
    assert_eq!(status.signal(), Some(Signal::SIGKILL as i32), "{}", describe(status));
    assert!(!Path::new(&format!("/proc/{}", child.pid())).exists(), "the child was not reaped");
}

fn terminate_sends_sigterm() {
    let mut child = fork_child(|| thread::sleep(Duration::from_secs(60))).expect("fork");
    child.terminate().expect("terminate");
    let status = join_within_deadline(&mut child);
    assert_eq!(status.signal(), Some(Signal::SIGTERM as i32), "{}", describe(status));
}

fn joining_twice_is_an_error_not_a_hang() {
    let mut child = fork_child_with_code(|| 0).expect("fork");
    assert!(join_within_deadline(&mut child).success());
    let again = child.join().expect_err("a second join must fail");
    assert!(again.to_string().contains("already joined"), "{again}");
    assert!(child.join_timeout(Duration::ZERO).is_err());
    assert!(child.kill().is_err(), "signalling a reaped child could hit a reused pid");
}

fn a_dropped_unjoined_handle_leaves_no_zombie() {
    let child = fork_child(|| thread::sleep(Duration::from_secs(60))).expect("fork");
    let proc_dir = format!("/proc/{}", child.pid());
    assert!(Path::new(&proc_dir).exists());
    drop(child); // Kills and reaps; says so on stderr.
    assert!(!Path::new(&proc_dir).exists(), "{proc_dir} still exists: a zombie or a stray was left");
}

fn an_exited_child_is_a_zombie_until_joined() {
    let mut child = fork_child_with_code(|| 0).expect("fork");
    let stat_path = format!("/proc/{}/stat", child.pid());
    // Wait (bounded) for the child to exit; unreaped, it stays as a zombie, state `Z`.
    let mut state = None;
    for _ in 0..1000 {
        let stat = std::fs::read_to_string(&stat_path).expect("an unreaped child keeps its /proc entry");
        state = stat.rsplit_once(')').and_then(|(_, rest)| rest.split_whitespace().next()).map(str::to_owned);
        if state.as_deref() == Some("Z") {
            break;
        }
        thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(state.as_deref(), Some("Z"), "the exited child never showed as a zombie");
    assert!(join_within_deadline(&mut child).success());
    assert!(!Path::new(&stat_path).exists(), "the zombie is gone once joined");
}

// --- Pids that must never reach kill ---

/// Asserts that `result` is the layer's refusal (`InvalidInput`, "refused"), not a call made.
fn assert_refused<T: std::fmt::Debug>(result: std::io::Result<T>, what: &str) {
    let error = result.expect_err(&format!("{what} must be refused"));
    assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput, "{what}: {error}");
    assert!(error.to_string().contains("refused"), "{what}: {error}");
}

/// `adopt(-1)` and `adopt(0)` are refused, so no handle exists whose drop could send SIGKILL
/// to every process (-1) or to this process's group (0); nor is a pid that is not a child of
/// this one, or a child already reaped, adopted.
fn adopt_refuses_what_is_not_an_unreaped_child() {
    assert_refused(ForkedChild::adopt(-1), "adopt(-1)");
    assert_refused(ForkedChild::adopt(0), "adopt(0)");
    assert_refused(ForkedChild::adopt(-current_pid()), "adopt(-pgid)");
    for (what, pid) in
        [("this process", current_pid()), ("its parent", parent_pid().expect("getppid")), ("init", 1)]
    {
        let error = ForkedChild::adopt(pid).expect_err(&format!("adopting {what} ({pid})"));
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput, "{error}");
        assert!(error.to_string().contains("not a child of this process"), "{what}: {error}");
    }
    let mut reaped = fork_child(|| ()).expect("fork");
    assert!(join_within_deadline(&mut reaped).success());
    assert!(ForkedChild::adopt(reaped.pid()).is_err(), "a reaped child's pid may be reused: refused");
}

/// A child of this process, running or ended, is adopted and joined. (The fork's own handle is
/// forgotten, so that only one handle owns the child.)
fn adopt_takes_an_unreaped_child_running_or_ended() {
    for target in [(|| ()) as fn(), || thread::sleep(Duration::from_millis(200))] {
        let child = fork_child(target).expect("fork");
        let pid = child.pid();
        std::mem::forget(child);
        let mut adopted = ForkedChild::adopt(pid).expect("an unreaped child is adopted");
        assert!(join_within_deadline(&mut adopted).success());
    }
}

/// `kill(-1 | 0, …)` and `killpg(0 | 1, …)` are refused before any call. Signal 0 delivers
/// nothing, so a regression here harms nobody: the call would succeed and the test fail.
fn signals_to_every_process_or_our_own_group_are_refused() {
    for pid in [-1, 0, -current_pid()] {
        assert_refused(send_signal(pid, 0), &format!("send_signal({pid})"));
    }
    for group in [-1, 0, 1] {
        assert_refused(signal_process_group(group, 0), &format!("signal_process_group({group})"));
    }
}

/// A handle moved into another child does nothing there: only the process that forked a child
/// signals or waits for it (the copy would otherwise signal the child's sibling).
fn a_handle_copied_into_another_child_does_not_act() {
    let mut sleeper = fork_child(|| thread::sleep(Duration::from_secs(60))).expect("fork");
    let shared = &sleeper;
    let mut sibling = fork_child_with_code(|| {
        let refused = shared.kill().is_err() && shared.terminate().is_err();
        i32::from(!refused)
    })
    .expect("fork");
    let sibling_status = join_within_deadline(&mut sibling);
    let still_running = sleeper.join_timeout(Duration::ZERO).expect("join_timeout");
    sleeper.kill().expect("the owner may kill it");
    join_within_deadline(&mut sleeper);
    assert_eq!(sibling_status.code(), Some(0), "the copy acted: {}", describe(sibling_status));
    assert!(still_running.is_none(), "the sleeper was ended by its sibling");
}

/// No slice may span more than `isize::MAX` bytes: a mapping that large is refused before
/// `mmap` (which on a 32-bit target could succeed), as `InvalidInput`, not as the kernel's
/// `ENOMEM`.
fn mappings_above_isize_max_are_refused() {
    let cells = isize::MAX as usize / 8 + 1;
    let error = AtomicCells::new(cells, Sharing::Shared).expect_err("too many cells");
    assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput, "{error}");
    assert!(error.to_string().contains("isize::MAX"), "{error}");
    let error = SharedBytes::new(isize::MAX as usize).expect_err("too many bytes with the header");
    assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput, "{error}");
    assert!(error.to_string().contains("isize::MAX"), "{error}");
}

// --- Cases that pin down what the mutation tests found unchecked (.ci/mutants) ---

/// A child whose stdout cannot take its last output (a pipe nobody reads) does not exit 0
/// as if all went well: it exits 1. A child that already failed keeps its own code.
fn a_child_whose_stdout_fails_at_the_end_does_not_exit_0() {
    for (code, expected) in [(0, 1), (7, 7)] {
        let mut child = fork_child_with_code(move || {
            let (reader, writer) = std::io::pipe().expect("pipe");
            drop(reader);
            nix::unistd::dup2_stdout(&writer).expect("dup2 onto stdout");
            // Buffered (no newline): only the flush at the child's end writes it, and fails
            // (EPIPE: Rust programs ignore SIGPIPE).
            print!("nobody reads this");
            code
        })
        .expect("fork");
        assert_eq!(join_within_deadline(&mut child).code(), Some(expected), "target returned {code}");
    }
}

/// A thread that is ending when the fork comes is waited for (up to 1 s), not refused at
/// once: the fork goes ahead once the thread is gone.
fn a_fork_waits_for_a_thread_that_is_ending() {
    let ending = thread::spawn(|| thread::sleep(Duration::from_millis(100)));
    let forked = fork_child(|| ()).map(|mut child| join_within_deadline(&mut child));
    ending.join().expect("the thread ends");
    assert!(forked.expect("the fork waits for the ending thread").success());
}

/// `parent_pid` is this process's parent, in a forked child too (where it is us).
fn parent_pid_is_the_parent() {
    assert_eq!(parent_pid().expect("getppid"), nix::unistd::getppid().as_raw());
    let me = std::process::id() as i32;
    let mut child = fork_child_with_code(move || i32::from(parent_pid().ok() != Some(me))).expect("fork");
    assert!(join_within_deadline(&mut child).success(), "the child's parent_pid is not this process");
}

/// `spawn_all` starts every command, in order; if one cannot start, the ones already started
/// are killed and reaped, and the error is returned.
fn spawn_all_starts_every_command_or_none() {
    let children = spawn_all([0, 3].map(|code| {
        let mut command = std::process::Command::new("sh");
        command.args(["-c", &format!("exit {code}")]);
        command
    }))
    .expect("both start");
    let codes: Vec<Option<i32>> =
        children.into_iter().map(|mut child| child.wait().expect("wait").code()).collect();
    assert_eq!(codes, [Some(0), Some(3)]);
    let mut sleeper = std::process::Command::new("sleep");
    sleeper.arg("30");
    let error = spawn_all([sleeper, std::process::Command::new("/nonexistent/program")])
        .expect_err("the second cannot start");
    assert_eq!(error.kind(), std::io::ErrorKind::NotFound, "{error}");
}

/// `is_reaped` says whether this handle has joined its child: not before, and after.
fn is_reaped_says_whether_the_child_was_joined() {
    let mut child = fork_child(|| ()).expect("fork");
    assert!(!child.is_reaped());
    join_within_deadline(&mut child);
    assert!(child.is_reaped());
}

/// Dropping a handle that was joined does nothing: no warning, no signal to a pid that may
/// already be another process's. (In a child, so that its stderr can be read.)
fn dropping_a_joined_handle_does_nothing() {
    let (mut reader, writer) = std::io::pipe().expect("pipe");
    let mut child = fork_child(move || {
        nix::unistd::dup2_stderr(&writer).expect("dup2 onto stderr");
        let mut grandchild = fork_child(|| ()).expect("fork");
        grandchild.join().expect("join");
        drop(grandchild);
    })
    .expect("fork");
    assert!(join_within_deadline(&mut child).success());
    let mut said = String::new();
    reader.read_to_string(&mut said).expect("read the child's stderr");
    assert_eq!(said, "", "dropping a joined handle said something");
}

/// A join that a signal interrupts (its handler installed without `SA_RESTART`, so
/// `waitpid` fails with EINTR) waits on: the signal is no error.
fn a_join_interrupted_by_a_signal_waits_on() {
    let usr1 = Signal::SIGUSR1 as i32;
    let caught = catch_signal(usr1).expect("catch SIGUSR1");
    let parent = std::process::id() as i32;
    let mut child = fork_child(move || {
        // Several, so that at least one comes while the parent is inside `waitpid`.
        for _ in 0..5 {
            thread::sleep(Duration::from_millis(100));
            send_signal(parent, usr1).expect("signal the parent");
        }
    })
    .expect("fork");
    let status = child.join().expect("a join interrupted by a signal goes on waiting");
    assert!(status.success(), "{}", describe(status));
    assert!(caught.load(Ordering::SeqCst), "the parent caught SIGUSR1");
}

/// `wait_timeout` for a `Command` child: the status once it ended (the exit code its own),
/// `None` while it runs.
fn wait_timeout_gives_a_commands_status_or_none() {
    let mut quick = std::process::Command::new("sh").args(["-c", "exit 3"]).spawn().expect("spawn sh");
    let status = wait_timeout(&mut quick, DEADLINE).expect("wait").expect("sh ended within the deadline");
    assert_eq!(status.code(), Some(3));
    let mut slow = std::process::Command::new("sleep").arg("30").spawn().expect("spawn sleep");
    assert!(wait_timeout(&mut slow, Duration::from_millis(50)).expect("wait").is_none());
    slow.kill().expect("kill");
    slow.wait().expect("reap");
}

/// Joins `child` and returns its exit code, failing the test on a signal.
fn exit_code_of(mut child: ForkedChild) -> i32 {
    let status = join_within_deadline(&mut child);
    status.code().unwrap_or_else(|| panic!("expected an exit code: {}", describe(status)))
}

/// Every signal this platform has is named (nix's names are the reference); other numbers
/// are "unknown signal".
fn signal_name_names_every_signal() {
    for signal in Signal::iterator() {
        // Linux-only signals the layer does not name (no example meets them).
        if matches!(signal, Signal::SIGSTKFLT | Signal::SIGPWR) {
            continue;
        }
        assert_eq!(signal_name(signal as i32), signal.as_str());
    }
    assert_eq!(signal_name(0), "unknown signal");
    assert_eq!(signal_name(1000), "unknown signal");
}

/// A signal whose default action is to do nothing (SIGWINCH) cannot end the process:
/// `die_of_signal` and `crash_with_signal` then exit with 128 + its number, as a shell
/// reports a death by that signal.
fn dying_of_a_harmless_signal_exits_128_plus_its_number() {
    let winch = Signal::SIGWINCH as i32;
    let died = fork_child(move || die_of_signal(winch)).expect("fork");
    assert_eq!(exit_code_of(died), 128 + winch);
    let crashed = fork_child(move || crash_with_signal(winch)).expect("fork");
    assert_eq!(exit_code_of(crashed), 128 + winch);
}

/// `catch_interrupt` really catches SIGINT: a child that sends itself one lives on, with
/// its flag set.
fn catch_interrupt_turns_sigint_into_a_flag() {
    let child = fork_child_with_code(|| {
        let interrupted = catch_interrupt().expect("catch SIGINT");
        send_signal(std::process::id() as i32, Signal::SIGINT as i32).expect("signal myself");
        let deadline = std::time::Instant::now() + DEADLINE;
        while !interrupted.load(Ordering::SeqCst) && std::time::Instant::now() < deadline {
            thread::yield_now();
        }
        i32::from(!interrupted.load(Ordering::SeqCst))
    })
    .expect("fork");
    assert_eq!(exit_code_of(child), 0);
}

/// With SIGPIPE's default action back (as in the example binaries), a thread that blocked
/// SIGPIPE gets `BrokenPipe` from a write nobody reads, instead of the process's death.
fn a_thread_that_blocks_sigpipe_gets_broken_pipe() {
    let child = fork_child_with_code(|| {
        shared::cli::restore_default_sigpipe();
        block_sigpipe_in_this_thread().expect("pthread_sigmask");
        let (reader, mut writer) = std::io::pipe().expect("pipe");
        drop(reader);
        match writer.write_all(b"nobody reads this") {
            Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => 0,
            other => panic!("expected BrokenPipe, got {other:?}"),
        }
    })
    .expect("fork");
    assert_eq!(exit_code_of(child), 0);
}

/// `disable_core_dumps` sets the core size limit to 0, soft and hard, and makes the
/// process not dumpable (Linux), so a crashing child writes no core anywhere.
fn disable_core_dumps_sets_the_limit_to_0() {
    disable_core_dumps().expect("disable core dumps");
    let limits = nix::sys::resource::getrlimit(nix::sys::resource::Resource::RLIMIT_CORE).expect("getrlimit");
    assert_eq!(limits, (0, 0));
    assert!(!nix::sys::prctl::get_dumpable().expect("PR_GET_DUMPABLE"), "still dumpable");
}

/// `wait_readable`: a pipe with data, or whose writers all closed, is ready; an empty one
/// is not, at the timeout; a caught signal ends the wait early with nothing ready; a
/// failing `poll` is an error, not "nothing ready".
fn wait_readable_says_which_pipes_are_ready() {
    let (empty, _empty_writer) = std::io::pipe().expect("pipe");
    let (full, mut full_writer) = std::io::pipe().expect("pipe");
    full_writer.write_all(b"x").expect("write");
    let (closed, closed_writer) = std::io::pipe().expect("pipe");
    drop(closed_writer);
    let ready = wait_readable(&[&empty, &full, &closed], DEADLINE).expect("poll");
    assert_eq!(ready, [false, true, true]);
    assert_eq!(wait_readable(&[&empty], Duration::from_millis(20)).expect("poll"), [false]);

    let usr1 = Signal::SIGUSR1 as i32;
    // Caught until the guard drops at the end of this test.
    let _caught = catch_signal(usr1).expect("catch SIGUSR1");
    let parent = std::process::id() as i32;
    let mut signaller = fork_child(move || {
        for _ in 0..5 {
            thread::sleep(Duration::from_millis(100));
            send_signal(parent, usr1).expect("signal the parent");
        }
    })
    .expect("fork");
    let started = std::time::Instant::now();
    let interrupted = wait_readable(&[&empty], DEADLINE).expect("a caught signal is no error");
    assert_eq!(interrupted, [false]);
    assert!(started.elapsed() < DEADLINE, "the signal did not end the wait");
    join_within_deadline(&mut signaller);

    // poll fails with EINVAL when asked about more descriptors than RLIMIT_NOFILE allows.
    let child = fork_child_with_code(move || {
        let limit = nix::sys::resource::Resource::RLIMIT_NOFILE;
        let (_, hard) = nix::sys::resource::getrlimit(limit).expect("getrlimit");
        nix::sys::resource::setrlimit(limit, 1, hard).expect("setrlimit");
        i32::from(wait_readable(&[&empty, &empty], Duration::from_millis(10)).is_ok())
    })
    .expect("fork");
    assert_eq!(exit_code_of(child), 0, "poll's EINVAL came back as Ok");
}

/// A mapping is unmapped when its owner is dropped: its address leaves /proc/self/maps.
/// `SharedBytes::len` and `is_empty` are the length asked for.
fn a_dropped_mapping_is_unmapped() {
    let cells = AtomicCells::new(3 * 4096 / 8, Sharing::Shared).expect("mmap");
    let start = format!("{:x}-", std::ptr::from_ref(&cells[0]) as usize);
    let mapped = || {
        std::fs::read_to_string("/proc/self/maps").expect("maps").lines().any(|line| line.starts_with(&start))
    };
    assert!(mapped(), "the mapping at {start} is not in /proc/self/maps");
    drop(cells);
    assert!(!mapped(), "the mapping at {start} is still there after the drop");

    let bytes = SharedBytes::new(5000).expect("mmap");
    assert_eq!((bytes.len(), bytes.is_empty()), (5000, false));
    let none = SharedBytes::new(0).expect("mmap");
    assert_eq!((none.len(), none.is_empty()), (0, true));
}

/// A `SharedBytes` lock another process holds for a moment is waited for, not refused:
/// `TimedOut` comes only at the deadline.
fn a_shared_bytes_lock_held_for_a_moment_is_waited_for() {
    let bytes = SharedBytes::new(64).expect("mmap");
    let (mut locked, mut locked_writer) = std::io::pipe().expect("pipe");
    let mut holder = fork_child(|| {
        let guard = bytes.lock(LOCK_DEADLINE).expect("the child locks");
        locked_writer.write_all(b"L").expect("tell the parent");
        thread::sleep(Duration::from_millis(200));
        drop(guard);
    })
    .expect("fork");
    let mut byte = [0];
    locked.read_exact(&mut byte).expect("the child says it holds the lock");
    let guard = bytes.lock(LOCK_DEADLINE).expect("the lock is waited for until the child lets go");
    drop(guard);
    assert!(join_within_deadline(&mut holder).success());
}

/// A join whose child was already reaped behind the handle's back (`waitpid` says ECHILD) is
/// an error at once, not a wait that retries for ever.
fn a_join_after_someone_else_reaped_the_child_is_an_error() {
    let mut child = fork_child(|| ()).expect("fork");
    let pid = nix::unistd::Pid::from_raw(child.pid());
    nix::sys::wait::waitpid(pid, None).expect("reaped here, not by the handle");
    let error = child.join().expect_err("the handle's waitpid finds no child");
    let echild = format!("(os error {})", nix::errno::Errno::ECHILD as i32);
    assert!(error.to_string().starts_with("waitpid(") && error.to_string().ends_with(&echild), "{error}");
    // The handle, never joined, kills and reaps on drop: it says so, and finds nothing.
    drop(child);
}

// --- Linux's process attributes and /proc readers ---

/// `set_parent_death_signal` and `become_child_subreaper` set what the kernel then reports
/// (`PR_GET_PDEATHSIG`, `PR_GET_CHILD_SUBREAPER`); in a child, so that this process keeps
/// its own.
fn the_prctl_settings_take_effect() {
    let child = fork_child_with_code(|| {
        set_parent_death_signal(Signal::SIGUSR2 as i32).expect("PR_SET_PDEATHSIG");
        become_child_subreaper().expect("PR_SET_CHILD_SUBREAPER");
        let death_signal = nix::sys::prctl::get_pdeathsig().expect("PR_GET_PDEATHSIG");
        let subreaper = nix::sys::prctl::get_child_subreaper().expect("PR_GET_CHILD_SUBREAPER");
        i32::from(death_signal != Some(Signal::SIGUSR2)) + 2 * i32::from(!subreaper)
    })
    .expect("fork");
    assert_eq!(exit_code_of(child), 0, "1: no death signal, 2: no subreaper, 3: neither");
}

/// `blocked_in` names the kernel function a blocked process waits in, and is `None` for a
/// running one (this process, reading its own record).
fn blocked_in_names_where_a_child_waits() {
    let (reader, _writer) = std::io::pipe().expect("pipe");
    let mut child = fork_child(|| {
        // Blocks: this pipe's writers (ours and the parent's) never write.
        let _ = (&reader).read(&mut [0]);
    })
    .expect("fork");
    let deadline = std::time::Instant::now() + DEADLINE;
    let mut waits_in = None;
    while waits_in.is_none() && std::time::Instant::now() < deadline {
        waits_in = blocked_in(child.pid());
        thread::sleep(Duration::from_millis(5));
    }
    child.kill().expect("kill");
    join_within_deadline(&mut child);
    let waits_in = waits_in.expect("the blocked child's wchan");
    assert!(!waits_in.is_empty() && waits_in != "0", "{waits_in:?}");
    assert_eq!(blocked_in(std::process::id() as i32), None, "this process is running");
}

/// `private_dirty_kib` grows by what this process writes into new memory.
fn private_dirty_memory_grows_by_what_is_written() {
    let before = private_dirty_kib().expect("smaps_rollup");
    let written = std::hint::black_box(vec![1u8; 16 << 20]);
    let after = private_dirty_kib().expect("smaps_rollup");
    drop(written);
    assert!(after >= before + 15 * 1024, "{before} KiB, then {after} KiB after writing 16 MiB");
}

/// `thread_count` counts the threads that run, here three.
fn thread_count_counts_the_threads() {
    assert_eq!(thread_count().expect("count"), 1);
    let (stop, stopped) = std::sync::mpsc::channel::<()>();
    let stopped = std::sync::Arc::new(std::sync::Mutex::new(stopped));
    let helpers: Vec<_> = (0..2)
        .map(|_| {
            let stopped = std::sync::Arc::clone(&stopped);
            thread::spawn(move || stopped.lock().expect("lock").recv_timeout(DEADLINE))
        })
        .collect();
    let counted = thread_count().expect("count");
    drop(stop);
    for helper in helpers {
        let _ = helper.join().expect("a helper ends");
    }
    assert_eq!(counted, 3);
    // The next case starts single-threaded: the kernel drops joined threads a moment later.
    let deadline = std::time::Instant::now() + DEADLINE;
    while threads_in_this_process() > 1 && std::time::Instant::now() < deadline {
        thread::sleep(Duration::from_millis(1));
    }
}

/// `set_pipe_capacity` returns the capacity the kernel set: at least what was asked, a
/// power of two.
fn set_pipe_capacity_returns_what_the_kernel_set() {
    use std::os::fd::AsFd;
    let (_reader, writer) = std::io::pipe().expect("pipe");
    let capacity = set_pipe_capacity(writer.as_fd(), 100_000).expect("F_SETPIPE_SZ");
    assert!(capacity >= 100_000 && capacity.is_power_of_two(), "{capacity}");
}

fn threads_in_this_process() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|line| line.strip_prefix("Threads:"))
        .and_then(|count| count.trim().parse().ok())
        .expect("a Threads: line")
}

fn main() {
    // Crashing children must not write core files into the working tree.
    // No core files, for us and the children we fork.
    disable_core_dumps().expect("setrlimit(RLIMIT_CORE, 0)");

    let cases: &[(&str, fn())] = &[
        ("exit_code_is_carried_through", exit_code_is_carried_through),
        ("a_target_returning_unit_exits_0", a_target_returning_unit_exits_0),
        ("a_panicking_child_exits_101", a_panicking_child_exits_101),
        (
            "a_child_never_falls_through_into_the_parents_code",
            a_child_never_falls_through_into_the_parents_code,
        ),
        ("exit_immediately_skips_the_rest", exit_immediately_skips_the_rest),
        (
            "shared_bytes_a_child_wrote_under_the_lock_reach_the_parent",
            shared_bytes_a_child_wrote_under_the_lock_reach_the_parent,
        ),
        ("shared_bytes_lock_keeps_processes_apart", shared_bytes_lock_keeps_processes_apart),
        (
            "a_fork_is_refused_while_a_shared_bytes_lock_is_held",
            a_fork_is_refused_while_a_shared_bytes_lock_is_held,
        ),
        ("a_shared_bytes_lock_held_by_a_child_times_out", a_shared_bytes_lock_held_by_a_child_times_out),
        ("a_fork_while_another_thread_runs_is_refused", a_fork_while_another_thread_runs_is_refused),
        ("signals_are_reported_by_name", signals_are_reported_by_name),
        ("an_abort_is_reported_as_sigabrt", an_abort_is_reported_as_sigabrt),
        (
            "join_timeout_returns_none_while_running_then_kill_and_join_reap",
            join_timeout_returns_none_while_running_then_kill_and_join_reap,
        ),
        ("terminate_sends_sigterm", terminate_sends_sigterm),
        ("joining_twice_is_an_error_not_a_hang", joining_twice_is_an_error_not_a_hang),
        ("a_dropped_unjoined_handle_leaves_no_zombie", a_dropped_unjoined_handle_leaves_no_zombie),
        ("an_exited_child_is_a_zombie_until_joined", an_exited_child_is_a_zombie_until_joined),
        ("adopt_refuses_what_is_not_an_unreaped_child", adopt_refuses_what_is_not_an_unreaped_child),
        ("adopt_takes_an_unreaped_child_running_or_ended", adopt_takes_an_unreaped_child_running_or_ended),
        (
            "signals_to_every_process_or_our_own_group_are_refused",
            signals_to_every_process_or_our_own_group_are_refused,
        ),
        ("a_handle_copied_into_another_child_does_not_act", a_handle_copied_into_another_child_does_not_act),
        ("mappings_above_isize_max_are_refused", mappings_above_isize_max_are_refused),
        (
            "a_child_whose_stdout_fails_at_the_end_does_not_exit_0",
            a_child_whose_stdout_fails_at_the_end_does_not_exit_0,
        ),
        ("a_fork_waits_for_a_thread_that_is_ending", a_fork_waits_for_a_thread_that_is_ending),
        ("parent_pid_is_the_parent", parent_pid_is_the_parent),
        ("spawn_all_starts_every_command_or_none", spawn_all_starts_every_command_or_none),
        ("is_reaped_says_whether_the_child_was_joined", is_reaped_says_whether_the_child_was_joined),
        ("dropping_a_joined_handle_does_nothing", dropping_a_joined_handle_does_nothing),
        ("a_join_interrupted_by_a_signal_waits_on", a_join_interrupted_by_a_signal_waits_on),
        ("wait_timeout_gives_a_commands_status_or_none", wait_timeout_gives_a_commands_status_or_none),
        ("signal_name_names_every_signal", signal_name_names_every_signal),
        (
            "dying_of_a_harmless_signal_exits_128_plus_its_number",
            dying_of_a_harmless_signal_exits_128_plus_its_number,
        ),
        ("catch_interrupt_turns_sigint_into_a_flag", catch_interrupt_turns_sigint_into_a_flag),
        ("a_thread_that_blocks_sigpipe_gets_broken_pipe", a_thread_that_blocks_sigpipe_gets_broken_pipe),
        ("disable_core_dumps_sets_the_limit_to_0", disable_core_dumps_sets_the_limit_to_0),
        ("wait_readable_says_which_pipes_are_ready", wait_readable_says_which_pipes_are_ready),
        ("a_dropped_mapping_is_unmapped", a_dropped_mapping_is_unmapped),
        (
            "a_shared_bytes_lock_held_for_a_moment_is_waited_for",
            a_shared_bytes_lock_held_for_a_moment_is_waited_for,
        ),
        (
            "a_join_after_someone_else_reaped_the_child_is_an_error",
            a_join_after_someone_else_reaped_the_child_is_an_error,
        ),
        ("the_prctl_settings_take_effect", the_prctl_settings_take_effect),
        ("blocked_in_names_where_a_child_waits", blocked_in_names_where_a_child_waits),
        ("private_dirty_memory_grows_by_what_is_written", private_dirty_memory_grows_by_what_is_written),
        ("thread_count_counts_the_threads", thread_count_counts_the_threads),
        ("set_pipe_capacity_returns_what_the_kernel_set", set_pipe_capacity_returns_what_the_kernel_set),
    ];
    // The few libtest options that `cargo test` and `cargo nextest` pass: `--list` (nextest
    // asks for the test names, `--ignored` for the ignored ones: there are none), a name
    // filter, and `--exact` to match the whole name.
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|arg| arg == "--list") {
        if !args.iter().any(|arg| arg == "--ignored") {
            for (name, _) in cases {
                println!("{name}: test");
            }
        }
        return;
    }
    let exact = args.iter().any(|arg| arg == "--exact");
    let filter = args.iter().find(|arg| !arg.starts_with('-'));
    let selected = |name: &str| match filter {
        None => true,
        Some(filter) if exact => name == filter,
        Some(filter) => name.contains(filter.as_str()),
    };
    let (mut passed, mut failed) = (0, 0);
    println!("\nrunning {} fork-layer tests, one at a time on the main thread", cases.len());
    for (name, case) in cases {
        if !selected(name) {
            continue;
        }
        let threads = threads_in_this_process();
        assert_eq!(threads, 1, "the test process must be single-threaded when it forks");
        match panic::catch_unwind(case) {
            Ok(()) => {
                println!("test {name} ... ok");
                passed += 1;
            }
            Err(_) => {
                println!("test {name} ... FAILED");
                failed += 1;
            }
        }
    }
    println!("\nfork_layer: {passed} passed, {failed} failed");
    if failed > 0 {
        std::process::exit(101);
    }
}
