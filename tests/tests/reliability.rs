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
//! | 8 | exit statuses: code, 101 on panic, SIGABRT, SIGSEGV, SIGKILL, SIGTERM, each named | processes_examples::exit_status_names_every_ending_and_the_parent_carries_on, fork_layer::exit_code_is_carried_through, fork_layer::a_panicking_child_exits_101, fork_layer::signals_are_reported_by_name, fork_layer::terminate_sends_sigterm |
//! | 9 | joining the same child twice is an error | fork_layer::joining_twice_is_an_error_not_a_hang |
//! | 10 | pipe deadlock beyond 64 KiB, detected; the fix completes | processes_examples::pipe_deadlock_is_detected_and_killed, processes_examples::pipe_writer_thread_gets_every_byte_back |
//! | 11 | `MAP_SHARED` counter exact, `MAP_PRIVATE` unchanged | processes_examples::shared_memory_is_exact_private_is_zero_and_load_then_store_is_short |
//! | 12 | a thread's panic: `join` gives the payload | threads_examples::panics_are_caught_reported_with_their_payload_and_exit_0 |
//! | 13 | mutex poisoning and recovery | threads_examples::poison_marks_the_mutex_and_into_inner_recovers_the_data |
//! | 14 | a panic inside `thread::scope` propagates | threads_examples::panics_are_caught_reported_with_their_payload_and_exit_0 |
//! | 15 | ABBA deadlock detected by the watchdog | threads_examples::deadlock_is_detected_then_the_fix_completes |
//! | 16 | a forgotten `drop(tx)` detected by `recv_timeout` | threads_examples::forgotten_drop_times_out_while_a_sender_lives_then_disconnects |
//! | 17 | `rayon::spawn` panic: a `panic_handler` gets it; without one the process aborts | reliability::a_rayon_spawn_panic_goes_to_the_pools_panic_handler, reliability::a_rayon_spawn_panic_without_a_handler_aborts_the_process |
//! | 18 | `std::process::abort` gives SIGABRT | processes_examples::exit_status_names_every_ending_and_the_parent_carries_on, fork_layer::an_abort_is_reported_as_sigabrt |
//! | 19 | unknown example name, unknown hidden task: message, exit 2 | cli::an_unknown_name_suggests_the_closest_and_lists_all, cli::an_unknown_hidden_task_is_refused_with_exit_2 |
//! | 20 | stdout closed early: a quiet end for every example | threads_examples::a_closed_stdout_ends_every_example_quietly, processes_examples::a_closed_stdout_never_panics_and_leaves_nothing_behind, cli::a_closed_stdout_ends_quietly |
//! | 21 | Ctrl-C during `pool-ctrl-c` and during a long thread example: all ends, nothing left | processes_examples::pool_ctrl_c_ends_the_pool_and_all_its_workers, reliability::ctrl_c_during_a_long_thread_example_ends_it_at_once_with_nothing_left |
//!
//! And the harness that all of them rely on is tested in `harness.rs`: a deadline kills the
//! whole tree; a process left behind is found and killed. The first test below checks that
//! every test this index names exists.

#![cfg(unix)] // The harness needs Unix.

use std::os::unix::process::ExitStatusExt;
use std::process::Command;
use std::sync::mpsc;
use std::time::Duration;

use nix::sys::resource::{Resource, setrlimit};
use nix::sys::signal::Signal;
use tests::{Bin, Runner, run_command, workspace_root};

/// How many classic failures the book's reliability chapter lists (rows 1 to 21).
const FAILURES: usize = 21;

#[test]
fn the_index_names_only_tests_that_exist_and_matches_the_book() {
    let index =
        std::fs::read_to_string(workspace_root().join("tests/tests/reliability.rs")).expect("this file");
    let rows: Vec<Vec<&str>> = index
        .lines()
        .filter_map(|line| line.strip_prefix("//! | "))
        .map(|row| row.trim_end_matches(" |").split(" | ").collect())
        .filter(|cells: &Vec<&str>| cells[0].parse::<usize>().is_ok())
        .collect();
    let numbers: Vec<usize> = rows.iter().map(|cells| cells[0].parse().unwrap()).collect();
    assert_eq!(numbers, (1..=FAILURES).collect::<Vec<_>>(), "the index's rows are not 1 to {FAILURES}");
    for cells in &rows {
        assert_eq!(cells.len(), 3, "a row of the index has not three cells: {cells:?}");
        for named in cells[2].split(", ") {
            let (file, test) = named.split_once("::").unwrap_or_else(|| panic!("not file::test: {named:?}"));
            let path = workspace_root().join(format!("tests/tests/{file}.rs"));
            let source = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{named}: {error}"));
            // A libtest test is a `#[test]` function; the fork layer's (no harness) are the
            // functions its `main` runs by name.
            let function = format!("fn {test}() {{");
            let exists = source.contains(&format!("#[test]\n{function}"))
                || (file == "fork_layer"
                    && source.contains(&function)
                    && source.contains(&format!("\"{test}\",")));
            assert!(exists, "row {}: no test {named}", cells[0]);
        }
    }
    // The book's table numbers the same failures (a row may cover a range, `12–14`).
    let book =
        std::fs::read_to_string(workspace_root().join("book/src/reliability.md")).expect("the chapter");
    let mut in_book = Vec::new();
    for first_cell in book.lines().filter_map(|line| line.strip_prefix("| ")?.split(" | ").next()) {
        match first_cell.split_once('–') {
            Some((from, to)) => in_book.extend(from.parse::<usize>().unwrap()..=to.parse().unwrap()),
            None => in_book.extend(first_cell.parse::<usize>().ok()),
        }
    }
    assert_eq!(
        in_book,
        (1..=FAILURES).collect::<Vec<_>>(),
        "book/src/reliability.md does not list failures 1 to {FAILURES}"
    );
}

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
        setrlimit(Resource::RLIMIT_CORE, 0, 0).expect("setrlimit(RLIMIT_CORE, 0)");
        let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("a rayon pool");
        pool.spawn(|| panic!("deliberate panic in a rayon::spawn task, no handler"));
        std::thread::sleep(Duration::from_secs(20));
        panic!("the process was not aborted");
    }
    let output = run_in_child_process("a_rayon_spawn_panic_without_a_handler_aborts_the_process");
    assert_eq!(
        output.status.signal(),
        Some(Signal::SIGABRT as i32),
        "{:?}\n{}",
        output.status,
        output.stderr
    );
    assert!(
        output.stderr.contains("deliberate panic in a rayon::spawn task, no handler"),
        "{}",
        output.stderr
    );
}

#[test]
fn ctrl_c_during_a_long_thread_example_ends_it_at_once_with_nothing_left() {
    // Ctrl-C once `cpu-vs-io` has printed its table's header: it is running, and its rows
    // still to come sleep more than a second in their waiting-bound rounds alone.
    let finished = Runner::new(Bin::Threads)
        .args(&["cpu-vs-io"])
        .interrupt_after_line("threads | CPU-bound ms | speedup")
        .run();
    let interrupted =
        finished.status.signal() == Some(Signal::SIGINT as i32) || finished.status.code() == Some(130);
    assert!(interrupted, "expected an end by SIGINT (or exit 130)\n{finished}");
    finished.assert_no_strays().assert_no_panic();
}
