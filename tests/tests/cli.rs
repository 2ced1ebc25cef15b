//! The command line both binaries share: no arguments, `--list`, `--help`, a known name, an
//! unknown name, extra arguments, a closed stdout, and the hidden task argument.

#![cfg(unix)] // The harness needs Unix.

use std::os::unix::process::ExitStatusExt;

use nix::sys::signal::Signal;
use tests::{Bin, Finished, Runner, listed_names, run};

#[test]
fn list_prints_one_line_per_example_with_seed_first() {
    for bin in Bin::ALL {
        let finished = run(bin, &["--list"]);
        finished.assert_success();
        assert!(finished.stderr.is_empty(), "--list wrote to stderr\n{finished}");
        let lines = finished.stdout_lines();
        assert!(lines.len() >= 2, "too few examples\n{finished}");
        assert!(lines[0].starts_with("seed "), "seed is not first\n{finished}");
        for line in &lines {
            let (name, summary) = line.split_once("  ").unwrap_or_else(|| panic!("no summary: {line:?}"));
            assert!(!name.trim().is_empty() && !summary.trim().is_empty(), "bad line {line:?}");
            assert!(!name.contains(' '), "names are one word: {line:?}");
        }
        let names = listed_names(bin);
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), names.len(), "a name is listed twice: {names:?}");
    }
}

#[test]
fn help_shows_usage_every_example_and_the_book() {
    for bin in Bin::ALL {
        for flag in ["--help", "-h"] {
            let finished = run(bin, &[flag]);
            finished.assert_success();
            assert!(finished.stdout.contains("Usage:"), "{finished}");
            assert!(finished.stdout.contains("mdbook serve book"), "{finished}");
            for name in listed_names(bin) {
                assert!(
                    finished.stdout.contains(&format!("  {name} ")),
                    "{name} missing from help\n{finished}"
                );
            }
        }
    }
}

#[test]
fn flags_take_no_arguments() {
    for bin in Bin::ALL {
        for flag in ["--list", "--help"] {
            let finished = run(bin, &[flag, "extra"]);
            finished.assert_code(2);
            assert!(finished.stderr.contains("takes no arguments"), "{finished}");
        }
    }
}

/// `NAME --help` and `NAME -h`, for every example of both binaries: its summary as `--list`
/// gives it, its options, its source file and its book page (a chapter of the book, and the
/// heading, if a `#fragment` names one), which exist. The example itself does not run.
#[test]
fn every_example_answers_help_with_its_summary_options_source_and_book_page() {
    let root = tests::workspace_root();
    let read = |path: &std::path::Path| {
        std::fs::read_to_string(path).unwrap_or_else(|error| panic!("reading {}: {error}", path.display()))
    };
    let chapters = read(&root.join("book/src/SUMMARY.md"));
    for bin in Bin::ALL {
        let listing = run(bin, &["--list"]);
        listing.assert_success();
        for line in listing.stdout_lines() {
            let (name, summary) = line.split_once("  ").expect("`--list` prints `name  summary`");
            let summary = summary.trim().trim_end_matches(" (Unix only)");
            for flag in ["--help", "-h"] {
                let finished = run(bin, &[name, flag]);
                finished.assert_success();
                let help = &finished.stdout;
                let first = format!("{} {name}: {summary}\n", bin.name());
                assert!(help.starts_with(&first), "{name}: the summary is not first\n{finished}");
                let options = help.lines().skip_while(|line| !line.starts_with("Options:")).nth(1);
                let listed =
                    help.contains("Options: none") || options.is_some_and(|line| line.starts_with("  "));
                assert!(listed, "{name}: no options, and no \"Options: none\"\n{finished}");
                let field = |label: &str| {
                    let line = help.lines().find_map(|line| line.strip_prefix(label));
                    line.unwrap_or_else(|| panic!("{name}: no {label:?} line\n{finished}")).trim().to_owned()
                };
                let source = field("Source:");
                assert!(root.join(&source).is_file(), "{name}: {source} is not a file\n{finished}");
                let book = field("Book:");
                let page = book.split(' ').next().and_then(|page| page.strip_prefix("book/src/"));
                let page = page.unwrap_or_else(|| panic!("{name}: no page under book/src/\n{finished}"));
                let (file, fragment) =
                    page.split_once('#').map_or((page, None), |(file, id)| (file, Some(id)));
                assert!(
                    chapters.contains(&format!("]({file})")),
                    "{name}: {file} is not a chapter\n{finished}"
                );
                if let Some(fragment) = fragment {
                    let text = read(&root.join("book/src").join(file));
                    assert!(text.contains(&format!("{{#{fragment}}}")), "{name}: no #{fragment} in {file}");
                }
            }
        }
    }
}

#[test]
fn a_known_name_runs_that_example() {
    for bin in Bin::ALL {
        let finished = run(bin, &["seed"]);
        finished.assert_success();
        assert_eq!(finished.stdout_lines().last(), Some(&"Done!"), "{finished}");
        assert!(finished.stderr.is_empty(), "a named example needs no hint\n{finished}");
    }
}

fn assert_lists_every_name(bin: Bin, finished: &Finished) {
    for name in listed_names(bin) {
        assert!(finished.stderr.contains(&format!("  {name} ")), "{name} not listed\n{finished}");
    }
}

#[test]
fn an_unknown_name_suggests_the_closest_and_lists_all() {
    for bin in Bin::ALL {
        let finished = run(bin, &["sed"]);
        finished.assert_code(2);
        assert!(finished.stdout.is_empty(), "{finished}");
        assert!(
            finished.stderr.starts_with("error: unknown example 'sed'\ndid you mean 'seed'?\n"),
            "{finished}"
        );
        assert_lists_every_name(bin, &finished);
    }
}

#[test]
fn an_unknown_name_far_from_all_gets_no_suggestion() {
    for bin in Bin::ALL {
        let finished = run(bin, &["no-such-example-at-all"]);
        finished.assert_code(2);
        assert!(finished.stderr.contains("error: unknown example 'no-such-example-at-all'"), "{finished}");
        assert!(!finished.stderr.contains("did you mean"), "{finished}");
        assert_lists_every_name(bin, &finished);
    }
}

#[test]
fn extra_arguments_to_an_example_without_arguments_are_refused() {
    for bin in Bin::ALL {
        let finished = run(bin, &["steps", "--fast"]);
        finished.assert_code(2);
        assert!(finished.stdout.is_empty(), "the example must not run\n{finished}");
        assert!(finished.stderr.contains("example 'steps' takes no arguments, got: --fast"), "{finished}");
        // `seed` takes options (`--runs N`), and refuses any other.
        let finished = run(bin, &["seed", "--fast"]);
        finished.assert_code(2);
        assert!(finished.stdout.is_empty(), "the example must not run\n{finished}");
        assert!(finished.stderr.contains("unknown option: --fast"), "{finished}");
    }
}

#[test]
fn a_closed_stdout_ends_quietly() {
    for bin in Bin::ALL {
        for args in [&[][..], &["seed"], &["--list"], &["--help"]] {
            let finished = Runner::new(bin).args(args).close_stdout_after(1).run();
            finished.assert_no_strays().assert_no_panic();
            let noise: Vec<&str> =
                finished.stderr.lines().filter(|line| !line.starts_with("hint: ")).collect();
            assert!(noise.is_empty(), "{bin:?} {args:?} was not quiet\n{finished}");
        }
    }
}

#[test]
fn a_stdout_closed_before_any_write_ends_the_program_by_sigpipe_quietly() {
    // Closed before the program writes anything, so its very first write fails: this run
    // always takes the SIGPIPE path, whereas a pipe closed after one byte may only be closed
    // once everything is written.
    let runs = [(Bin::Threads, "seed"), (Bin::Processes, "seed"), (Bin::Processes, "seed-fork")];
    for (bin, example) in runs {
        let finished = Runner::new(bin).args(&[example]).close_stdout_after(0).run();
        finished.assert_no_strays().assert_no_panic();
        assert_eq!(finished.status.signal(), Some(Signal::SIGPIPE as i32), "{bin:?} {example}\n{finished}");
        assert!(finished.stderr.is_empty(), "{bin:?} {example} was not quiet\n{finished}");
    }
}

#[test]
fn an_unknown_hidden_task_is_refused_with_exit_2() {
    let finished = run(Bin::Processes, &["__task", "rm-rf"]);
    finished.assert_code(2);
    assert!(finished.stdout.is_empty(), "{finished}");
    assert!(finished.stderr.contains("unknown hidden task 'rm-rf'"), "{finished}");
    assert!(finished.stderr.contains("numbers"), "the valid tasks are listed\n{finished}");
}

#[test]
fn a_hidden_task_runs_only_its_own_function() {
    let finished = run(Bin::Processes, &["__task", "numbers"]);
    finished.assert_success();
    assert_eq!(finished.stdout_lines(), shared::tasks::expected_numbers(), "{finished}");
    let finished = run(Bin::Processes, &["__task", "numbers", "extra"]);
    finished.assert_code(2);
    assert!(finished.stdout.is_empty(), "{finished}");
}
