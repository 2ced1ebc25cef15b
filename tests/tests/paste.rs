//! Every thread example is a whole program: its file, pasted alone as `src/main.rs` of a
//! fresh project whose `Cargo.toml` names only the crates.io crates it uses, builds and runs.
//!
//! For each file in `examples-threads/src/examples/`, the test makes a scratch project in the
//! system's temporary directory (outside the workspace, so no workspace setting reaches it),
//! copies the workspace's `Cargo.lock` in (so `cargo build --offline` picks the versions the
//! workspace uses), builds it into one shared target directory (`target/paste/`: the crates
//! are compiled once for all examples), runs it under the harness's deadline, and checks that
//! it exits 0, leaves no process behind and prints its last line.

#![cfg(unix)] // The harness needs Unix.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use tests::{Bin, Runner, run_command, run_example, workspace_root};

/// The examples not yet formatted at 80 columns (`src/examples/rustfmt.toml`): none
/// now; an example added wider than that fails until it is listed here.
const NOT_YET_AT_80: &[&str] = &[];

/// The crates.io crates an example may use, as `[workspace.dependencies]` names them.
const CRATES: &[&str] = &["anyhow", "core_affinity", "crossbeam", "memory-stats", "rayon", "tokio"];

/// The examples whose last line is a verdict that depends on the machine's load, with the
/// start that every run's last line has: `rayon_cutoff` says from which size parallel won,
/// or that it never did.
const LAST_LINE_VARIES: &[(&str, &str)] = &[("rayon_cutoff", "parallel was ")];

/// How long building one scratch project may take (the first one compiles its crates).
const BUILD_DEADLINE: Duration = Duration::from_secs(600);

fn examples_dir() -> PathBuf {
    workspace_root().join("examples-threads/src/examples")
}

/// Every example's module name (its file's stem), sorted.
fn examples() -> Vec<String> {
    let entries = std::fs::read_dir(examples_dir()).expect("reading the examples' folder");
    let mut names: Vec<String> = entries
        .map(|entry| entry.expect("a folder entry").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "rs"))
        .filter_map(|path| path.file_stem()?.to_str().map(str::to_owned))
        .filter(|name| name != "mod")
        .collect();
    names.sort();
    names
}

/// Whether `source` uses anything of the project rather than only std and crates.io.
fn uses_the_project(source: &str) -> bool {
    ["shared::", "crate::", "super::", "examples_threads::"].iter().any(|path| source.contains(path))
}

/// The `[dependencies]` lines for the crates `source` uses, copied from the workspace's
/// `[workspace.dependencies]` so that versions and features are the workspace's.
fn dependencies(source: &str) -> String {
    let manifest = std::fs::read_to_string(workspace_root().join("Cargo.toml")).expect("reading Cargo.toml");
    let mut lines = String::new();
    for krate in CRATES {
        // A crate's path in Rust has `_` where its name has `-`: `memory_stats::`.
        if !source.contains(&format!("{}::", krate.replace('-', "_"))) {
            continue;
        }
        let prefix = format!("{krate} = ");
        let line = manifest
            .lines()
            .find(|line| line.starts_with(&prefix))
            .unwrap_or_else(|| panic!("no `{prefix}…` in [workspace.dependencies]"));
        lines.push_str(line);
        lines.push('\n');
    }
    lines
}

/// `line` with every number written `#` and every run of spaces made one (a table pads a
/// number to its column's width): what stays the same from run to run.
fn shape(line: &str) -> String {
    let mut shaped = String::new();
    for character in line.chars() {
        if character.is_ascii_digit() || (character == '.' && shaped.ends_with('#')) {
            if !shaped.ends_with('#') {
                shaped.push('#');
            }
        } else if character != ' ' || !shaped.ends_with(' ') {
            shaped.push(character);
        }
    }
    shaped
}

/// Makes the scratch project for example `name` under `root` and returns its directory.
fn scratch_project(root: &Path, name: &str, source: &str) -> PathBuf {
    let package = format!("paste-{}", name.replace('_', "-"));
    let dir = root.join(&package);
    std::fs::create_dir_all(dir.join("src")).expect("creating the scratch project");
    // `[workspace]`: a project of its own, even if the temporary directory is inside another.
    let manifest = format!(
        "[package]\nname = \"{package}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n\
         [dependencies]\n{}\n[workspace]\n",
        dependencies(source)
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("writing Cargo.toml");
    std::fs::copy(workspace_root().join("Cargo.lock"), dir.join("Cargo.lock")).expect("copying Cargo.lock");
    std::fs::write(dir.join("src/main.rs"), source).expect("writing src/main.rs");
    dir
}

/// Builds the project in `dir` offline into `target_dir`; returns the compiler's output on an
/// error or a warning.
fn build(dir: &Path, target_dir: &Path) -> Result<(), String> {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command
        .args(["build", "--offline", "--quiet"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir)
        // The workspace's flags are not the reader's.
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS");
    let output = run_command(command, BUILD_DEADLINE);
    // A reader's first build shows no warning either (cargo replays them when cached).
    if output.status.success() && !output.stderr.contains("warning") { Ok(()) } else { Err(output.stderr) }
}

/// `cargo fmt` leaves the examples' folder to its own `rustfmt.toml` (80 columns, so the
/// book's listings never scroll): rustfmt, run on one example, finds that file itself.
#[test]
fn every_example_is_formatted_at_80_columns() {
    let rustfmt = std::env::var("RUSTFMT").unwrap_or_else(|_| "rustfmt".into());
    // A toolchain installed with `--profile minimal` (the hosted macOS runners) has none
    // (rustup's proxy is there, and fails); Linux CI, which runs `cargo fmt`, has it.
    let version = Command::new(&rustfmt).arg("--version").output();
    if !version.is_ok_and(|output| output.status.success()) {
        eprintln!("skipped: no {rustfmt} here (rustup component add rustfmt)");
        return;
    }
    let mut unformatted = Vec::new();
    for name in examples() {
        if NOT_YET_AT_80.contains(&name.as_str()) {
            continue;
        }
        let mut command = Command::new(&rustfmt);
        command.args(["--edition", "2024", "--check"]).arg(examples_dir().join(format!("{name}.rs")));
        let output = run_command(command, Duration::from_secs(60));
        if !output.status.success() {
            unformatted.push(format!("{name}:\n{}{}", output.stdout, output.stderr));
        }
    }
    assert!(
        unformatted.is_empty(),
        "not formatted at 80 columns (run `rustfmt --edition 2024` on the file):\n{}",
        unformatted.join("\n")
    );
}

#[test]
fn every_thread_example_builds_and_runs_alone() {
    let scratch = std::env::temp_dir().join(format!("threads-paste-{}", std::process::id()));
    let target_dir = workspace_root().join("target/paste");
    let mut failures = Vec::new();
    let mut ran = 0;
    for name in examples() {
        let source = std::fs::read_to_string(examples_dir().join(format!("{name}.rs"))).expect("reading");
        if uses_the_project(&source) {
            failures.push(format!("{name}: uses the project's code (shared::, crate:: or super::)"));
            continue;
        }
        let dir = scratch_project(&scratch, &name, &source);
        if let Err(errors) = build(&dir, &target_dir) {
            failures.push(format!("{name}: does not build alone without a warning:\n{errors}"));
            continue;
        }
        let program = target_dir.join("debug").join(format!("paste-{}", name.replace('_', "-")));
        let pasted = Runner::program(program).run();
        pasted.assert_success();
        // The same program as the dispatcher runs it: its last line (`Done!`, a summary) has
        // the same shape, figures aside.
        let dispatched = run_example(Bin::Threads, &name.replace('_', "-"));
        let varies = LAST_LINE_VARIES.iter().find(|(listed, _)| *listed == name);
        let last_line = |stdout: &str| {
            let line = stdout.lines().last().unwrap_or("");
            match varies {
                Some((_, start)) if line.starts_with(start) => format!("{start}…"),
                _ => shape(line),
            }
        };
        assert!(!last_line(&pasted.stdout).trim().is_empty(), "{name}: printed no last line\n{pasted}");
        assert_eq!(
            last_line(&pasted.stdout),
            last_line(&dispatched.stdout),
            "{name}: pasted, it ends otherwise than the dispatcher's run\n{pasted}\n{dispatched}"
        );
        ran += 1;
    }
    // Best effort: the scratch projects are small, and a leftover does no harm.
    let _ = std::fs::remove_dir_all(&scratch);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    println!("{ran} examples built and ran alone");
}
