//! Both seed programs, end to end, 20 runs each: whatever the interleaving, every run prints
//! all ten lines exactly once, each task's lines in order, `Done!` last, and exits 0.

#![cfg(unix)] // The harness needs Unix.

use tests::{Bin, assert_seed_output, run};

const RUNS: usize = 20;

fn check_seed(bin: Bin, args: &[&str]) {
    for _ in 0..RUNS {
        let finished = run(bin, args);
        finished.assert_success();
        assert_seed_output(&finished);
    }
}

#[test]
fn thread_seed_prints_every_line_with_done_last() {
    check_seed(Bin::Threads, &["seed"]);
}

#[test]
fn process_seed_spawn_way_prints_every_line_with_done_last() {
    check_seed(Bin::Processes, &["seed"]);
}

#[test]
fn process_seed_fork_way_prints_every_line_with_done_last() {
    check_seed(Bin::Processes, &["seed-fork"]);
}

#[test]
fn no_arguments_runs_the_seed_with_a_hint_on_stderr() {
    for bin in Bin::ALL {
        let finished = run(bin, &[]);
        finished.assert_success();
        assert_seed_output(&finished);
        assert!(finished.stderr.contains("--list"), "no hint on stderr\n{finished}");
    }
}
