//! The harness itself: a deadline kills the whole tree and fails the test; a process left
//! behind is found, reported and killed.

#![cfg(unix)] // The harness needs Unix.

use std::os::unix::process::ExitStatusExt;
use std::panic;
use std::time::{Duration, Instant};

use nix::sys::signal::Signal;
use tests::Runner;

/// Whether any process on the machine has `marker` in its command line.
#[cfg(target_os = "linux")]
fn process_with_marker_exists(marker: &str) -> bool {
    let Ok(entries) = std::fs::read_dir("/proc") else { return false };
    entries.filter_map(Result::ok).any(|entry| {
        std::fs::read(entry.path().join("cmdline"))
            .is_ok_and(|cmdline| String::from_utf8_lossy(&cmdline).contains(marker))
    })
}

/// Whether any process on the machine has `marker` in its command line (`ps`: no `/proc`).
#[cfg(not(target_os = "linux"))]
fn process_with_marker_exists(marker: &str) -> bool {
    let mut ps = std::process::Command::new("ps");
    ps.args(["-A", "-o", "args="]);
    tests::run_command(ps, Duration::from_secs(30)).stdout.lines().any(|line| line.contains(marker))
}

#[test]
fn a_program_past_its_deadline_is_killed_with_its_descendants_and_the_test_fails() {
    // A grandchild in a session (and so a process group) of its own: a kill of the group
    // alone would miss it. The sleep lengths are markers to find them by. (`setsid(1)` is
    // util-linux's; elsewhere the grandchild stays in the group.)
    let setsid = if cfg!(target_os = "linux") { "setsid " } else { "" };
    let script = format!("{setsid}sleep 41.2345 & sleep 41.2346");
    let outcome = panic::catch_unwind(|| {
        Runner::program("/bin/sh").args(&["-c", &script]).deadline(Duration::from_millis(300)).run()
    });
    let message = match outcome {
        Ok(finished) => panic!("the run should have failed its deadline:\n{finished}"),
        Err(payload) => shared::panic_message(&*payload).to_owned(),
    };
    assert!(message.contains("deadline of 300ms passed"), "{message}");
    // SIGKILL is asynchronous: give the kernel a moment to finish the processes off.
    let gone_by = Instant::now() + Duration::from_secs(5);
    while process_with_marker_exists("41.234") && Instant::now() < gone_by {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!process_with_marker_exists("41.2345"), "the grandchild outlived the deadline kill");
    assert!(!process_with_marker_exists("41.2346"), "the child outlived the deadline kill");
}

#[test]
fn a_process_left_behind_is_reported_and_killed() {
    let finished = Runner::program("/bin/sh").args(&["-c", "sleep 42.3456 & echo started"]).run();
    assert!(finished.status.success(), "{finished}");
    assert_eq!(finished.stdout, "started\n");
    assert_eq!(finished.strays.len(), 1, "{:?}", finished.strays);
    assert!(finished.strays[0].contains("(sleep)"), "{:?}", finished.strays);
    assert!(!process_with_marker_exists("42.3456"), "the stray was not killed");
    let caught = panic::catch_unwind(|| {
        finished.assert_success();
    });
    assert!(caught.is_err(), "assert_success must fail when a process was left behind");
}

#[test]
fn a_clean_run_reports_no_strays_and_passes_the_status_through() {
    let finished = Runner::program("/bin/sh").args(&["-c", "echo out; echo err >&2; exit 3"]).run();
    finished.assert_code(3);
    assert_eq!(finished.stdout, "out\n");
    assert_eq!(finished.stderr, "err\n");
}

#[test]
fn an_interrupt_reaches_the_program_and_not_the_reaper() {
    // The shell says it is ready, then becomes the sleep (exec), which SIGINT then ends.
    let finished = Runner::program("/bin/sh")
        .args(&["-c", "echo ready; exec sleep 43.4567"])
        .interrupt_after_line("ready")
        .run();
    assert_eq!(finished.status.signal(), Some(Signal::SIGINT as i32), "{finished}");
    finished.assert_no_strays();
}
