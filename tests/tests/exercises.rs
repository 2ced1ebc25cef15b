//! Every exercise, proved: its starter fails its check with the intended message (the
//! bug shows), its solution passes, and each wrong fix in `wrong/` (a diff applied to
//! a copy of the starter) is rejected with its own message. A check that cannot fail
//! teaches nothing.
//!
//! The reader's own files (`exercises/yours/`) are never read here: a half-done edit
//! cannot break this test.

#![cfg(unix)] // The process exercises need Unix; the checks' deadlines are tested here.

use std::collections::BTreeSet;
use std::path::Path;

use shared::exercise::{Exercise, Exercises, Verdict, apply_patch};

fn sets() -> Vec<&'static Exercises> {
    vec![&examples_threads::exercises::EXERCISES, &examples_processes::exercises::EXERCISES]
}

/// The exercises to check: all, or those named in `EXERCISES_ONLY` (`a,b`), to check
/// one while writing it.
fn selected(exercise: &Exercise) -> bool {
    std::env::var("EXERCISES_ONLY").map_or(true, |names| names.split(',').any(|name| name == exercise.name))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|error| panic!("reading {}: {error}", path.display()))
}

/// The wrong fixes' files of `exercise`: the stems of `wrong/*.patch`.
fn wrong_files(set: &Exercises, exercise: &Exercise) -> BTreeSet<String> {
    let folder = set.folder(exercise).join("wrong");
    let entries = std::fs::read_dir(&folder).unwrap_or_else(|error| panic!("{}: {error}", folder.display()));
    entries
        .map(|entry| entry.expect("a folder entry").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "patch"))
        .map(|path| path.file_stem().expect("a name").to_string_lossy().into_owned())
        .collect()
}

fn check(set: &Exercises, exercise: &Exercise, source: &str, label: &str) -> Verdict {
    set.check_source(exercise, source, label).unwrap_or_else(|error| panic!("{}: {error:#}", exercise.name))
}

#[test]
fn every_exercise_has_its_files_and_at_least_two_wrong_fixes() {
    for set in sets() {
        for exercise in set.list {
            for file in ["starter.rs", "solution.rs"] {
                assert!(set.folder(exercise).join(file).exists(), "{}: no {file}", exercise.name);
            }
            let listed: BTreeSet<String> = exercise.wrong.iter().map(|(stem, _)| stem.to_string()).collect();
            assert_eq!(
                listed,
                wrong_files(set, exercise),
                "{}: the table's wrong fixes and wrong/*.patch differ",
                exercise.name
            );
            assert!(listed.len() >= 2, "{}: fewer than two wrong fixes", exercise.name);
        }
    }
}

#[test]
fn every_starter_fails_every_solution_passes_and_every_wrong_fix_fails() {
    let mut failures = Vec::new();
    for set in sets() {
        for exercise in set.list.iter().filter(|exercise| selected(exercise)) {
            let folder = set.folder(exercise);
            let starter = read(&folder.join("starter.rs"));
            match check(set, exercise, &starter, "starter") {
                Verdict::Fail(why) if why.contains(exercise.starter_fails_with) => {
                    println!("{}: starter rejected: {}", exercise.name, why.lines().next().unwrap_or(""));
                }
                verdict => failures.push(format!(
                    "{}: the starter should fail with “{}”, got {verdict:?}",
                    exercise.name, exercise.starter_fails_with
                )),
            }
            match check(set, exercise, &read(&folder.join("solution.rs")), "solution") {
                Verdict::Pass(_) => {}
                verdict => {
                    failures.push(format!("{}: the solution should pass, got {verdict:?}", exercise.name))
                }
            }
            for (stem, expected) in exercise.wrong {
                let patch = read(&folder.join("wrong").join(format!("{stem}.patch")));
                let source = match apply_patch(&starter, &patch) {
                    Ok(source) => source,
                    Err(why) => {
                        failures.push(format!("{}: wrong/{stem}.patch: {why}", exercise.name));
                        continue;
                    }
                };
                match check(set, exercise, &source, &format!("wrong-{stem}")) {
                    Verdict::Fail(why) if why.contains(expected) => {
                        println!(
                            "{}: wrong fix {stem} rejected: {}",
                            exercise.name,
                            why.lines().next().unwrap_or("")
                        );
                    }
                    verdict => failures.push(format!(
                        "{}: the wrong fix {stem} should fail with “{expected}”, got {verdict:?}",
                        exercise.name
                    )),
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The files a reader reads and edits are formatted at 80 columns
/// (`exercises/rustfmt.toml`, which rustfmt finds itself), as the examples are.
#[test]
fn every_starter_and_solution_is_formatted_at_80_columns() {
    let rustfmt = std::env::var("RUSTFMT").unwrap_or_else(|_| "rustfmt".into());
    if !std::process::Command::new(&rustfmt)
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success())
    {
        eprintln!("skipped: no {rustfmt} here (rustup component add rustfmt)");
        return;
    }
    let mut unformatted = Vec::new();
    for set in sets() {
        for exercise in set.list {
            for file in ["starter.rs", "solution.rs"] {
                let path = set.folder(exercise).join(file);
                let mut command = std::process::Command::new(&rustfmt);
                command.args(["--edition", "2024", "--check"]).arg(&path);
                let output = tests::run_command(command, std::time::Duration::from_secs(60));
                if !output.status.success() {
                    unformatted.push(format!("{}:\n{}", path.display(), output.stdout));
                }
            }
        }
    }
    assert!(unformatted.is_empty(), "run `rustfmt --edition 2024` on:\n{}", unformatted.join("\n"));
}
