//! The classic failures, each tested with a deadline and a real assertion.
//!
//! Most cases are shown by an example and tested with it; this file tests the rest and is
//! the index of all of them (`file::test`):
//!
//! | # | failure | tested by |
//! |---|---------|-----------|
//! | 1 | fork while another thread holds the stdout lock: the child blocks | processes_examples::fork_with_threads_child_deadlock_is_detected_and_killed |
//! | 2 | rayon's pool used after fork: the child hangs | processes_examples::rayon_after_fork_hang_is_detected_and_killed |
//! | 3 | an unflushed buffer before fork is printed twice | processes_examples::double_print_prints_unflushed_text_twice_then_flushed_text_once |
//! | 4 | a forked child without exit falls through into the parent's code | processes_examples::fall_through_runs_the_parents_line_in_both_processes, fork_layer::a_child_never_falls_through_into_the_parents_code |
//! | 5 | a zombie is visible before wait, gone after | processes_examples::zombie_is_seen_in_state_z_then_gone, fork_layer::an_exited_child_is_a_zombie_until_joined |
//! | 6 | killing a process group ends the grandchildren too | processes_examples::process_group_signal_ends_the_child_and_every_grandchild |
//! | 7 | `PR_SET_PDEATHSIG`: a child ends when its parent dies | processes_examples::orphan_is_ended_by_its_parent_death_signal |
//! | 8 | exit statuses: code, 101 on panic, SIGABRT, SIGSEGV, SIGKILL, SIGTERM, each named | processes_examples::exit_status_names_every_ending_and_the_parent_carries_on, fork_layer (exit code, panic, signals, terminate) |
//! | 9 | joining the same child twice is an error | fork_layer::joining_twice_is_an_error_not_a_hang |
//! | 10 | pipe deadlock beyond 64 KiB, detected; the fix completes | processes_examples::pipe_deadlock_is_detected_then_fixed |
//! | 11 | `MAP_SHARED` counter exact, `MAP_PRIVATE` unchanged | processes_examples::shared_memory_is_exact_private_is_zero_and_load_then_store_is_short |
//! | 12 | a thread's panic: `join` gives the payload | threads_examples::panics_are_caught_reported_with_their_payload_and_exit_0 |
//! | 13 | mutex poisoning and recovery | threads_examples::panics_are_caught_reported_with_their_payload_and_exit_0 |
//! | 14 | a panic inside `thread::scope` propagates | threads_examples::panics_are_caught_reported_with_their_payload_and_exit_0 |
//! | 15 | ABBA deadlock detected by the watchdog | threads_examples::deadlock_is_detected_then_the_fix_completes |
//! | 16 | a forgotten `drop(tx)` detected by `recv_timeout` | threads_examples::channels_receive_every_message_and_catch_the_forgotten_drop |
//! | 17 | `rayon::spawn` panic: a `panic_handler` gets it; without one the process aborts | here |
//! | 18 | `std::process::abort` gives SIGABRT | processes_examples::exit_status_…, fork_layer::an_abort_is_reported_as_sigabrt |
//! | 19 | unknown example name, unknown hidden task: message, exit 2 | cli::an_unknown_name_…, cli::an_unknown_hidden_task_is_refused_with_exit_2 |
//! | 20 | stdout closed early: a quiet end for every example | threads_examples::a_closed_stdout_ends_every_example_quietly, processes_examples::a_closed_stdout_never_panics_and_leaves_nothing_behind, cli |
//! | 21 | Ctrl-C during `pool-ctrl-c` and during a long thread example: all ends, nothing left | processes_examples::pool_ctrl_c_ends_the_pool_and_all_its_workers, here |
//!
//! And the harness that all of them rely on is tested in `harness.rs`: a deadline kills the
//! whole tree; a process left behind is found and killed.

use std::os::unix::process::ExitStatusExt;
use std::process::Command;
use std::sync::mpsc;
use std::time::Duration;

use tests::{Bin, Runner, run_command};

/// Set in the environment of a copy of this test binary started to be the child of a test.
const CHILD_MODE: &str = "RELIABILITY_TEST_CHILD";

/// Runs the test named `test` again in a fresh copy of this test binary, with [`CHILD_MODE`]
/// set, under a deadline, and returns how it ended. A test that must crash a whole process
/// (an abort) does it there, never in the test runner itself.
fn run_in_child_process(test: &str) -> tests::Output {
    let mut command = Command::new(std::env::current_exe().expect("this test binary"));
    command.args([test, "--exact", "--nocapture", "--test-threads=1"]).env(CHILD_MODE, "1");
    run_command(command, Duration::from_secs(30))
}

fn in_child_mode() -> bool {
    std::env::var_os(CHILD_MODE).is_some()
}

#[test]
fn a_rayon_spawn_panic_goes_to_the_pools_panic_handler() {
    let (payloads_tx, payloads_rx) = mpsc::channel();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .panic_handler(move |payload| {
            let message = shared::panic_message(&*payload).to_owned();
            payloads_tx.send(message).expect("the test waits for the payload");
        })
        .build()
        .expect("a rayon pool");
    pool.spawn(|| panic!("deliberate panic in a rayon::spawn task"));
    let payload = payloads_rx.recv_timeout(Duration::from_secs(10)).expect("the panic handler ran in time");
    assert_eq!(payload, "deliberate panic in a rayon::spawn task");
    // The pool survived the panic: it still runs work.
    assert_eq!(pool.install(|| 6 * 7), 42);
}

#[test]
fn a_rayon_spawn_panic_without_a_handler_aborts_the_process() {
    if in_child_mode() {
        // The child: no panic handler, so rayon aborts the whole process when the task
        // panics. The sleep only bounds the wait; the abort comes long before it ends.
        // An aborting process may dump core: not into the working tree.
        let no_core = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        // SAFETY: `setrlimit` reads the struct we pass, which lives across the call.
        let result = unsafe {
            libc::setrlimit(
                libc::RLIMIT_CORE, // The limit on core file size…
                &no_core,          // …set to 0.
            )
        };
        assert_eq!(result, 0, "setrlimit(RLIMIT_CORE)");
        let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("a rayon pool");
        pool.spawn(|| panic!("deliberate panic in a rayon::spawn task, no handler"));
        std::thread::sleep(Duration::from_secs(20));
        panic!("the process was not aborted");
    }
    let output = run_in_child_process("a_rayon_spawn_panic_without_a_handler_aborts_the_process");
    assert_eq!(output.status.signal(), Some(libc::SIGABRT), "{:?}\n{}", output.status, output.stderr);
    assert!(
        output.stderr.contains("deliberate panic in a rayon::spawn task, no handler"),
        "{}",
        output.stderr
    );
}

#[test]
fn ctrl_c_during_a_long_thread_example_ends_it_at_once_with_nothing_left() {
    // `cpu-vs-io` sleeps at least 375 ms in its waiting-bound rounds alone, so an interrupt
    // after 150 ms always comes while it runs.
    let finished =
        Runner::new(Bin::Threads).args(&["cpu-vs-io"]).interrupt_after(Duration::from_millis(150)).run();
    let interrupted = finished.status.signal() == Some(libc::SIGINT) || finished.status.code() == Some(130);
    assert!(interrupted, "expected an end by SIGINT (or exit 130)\n{finished}");
    finished.assert_no_strays().assert_no_panic();
}
