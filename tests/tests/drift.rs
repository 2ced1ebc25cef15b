//! The book's prose and samples cannot drift from the code unnoticed.
//!
//! - Every sample output the book shows is a file `book/src/samples/NAME.txt`, written by
//!   `book/samples` from a real run; its first line names the command (an example binary, or
//!   a Python program of `book/python/`). Each sample must still have the shape of what that
//!   command prints now: run it (the example's debug build, or the Python program with the
//!   interpreter the command names, under a deadline), and every line of the sample must have
//!   the shape of a line of the run, and (unless the sample is shortened) every line of the
//!   run the shape of a line of the sample. A line's shape is the line with every number (and
//!   a time's unit) replaced by `#` and runs of spaces made one; source locations
//!   (`panics.rs:18:9`, `fork_with_threads.py:15:`, a traceback's `File
//!   "book/python/NAME.py", line 26`) are kept exactly, so they must point where the code is
//!   now. A sample whose lines tear is compared word by word instead. A Python sample is compared only with a
//!   run of the CPython release its header names (tracebacks and messages differ from one
//!   release to the next): where the machine lacks it (`python3.12` on a machine with 3.11
//!   only, or a `python3` that is 3.12) the sample is skipped, and the test says so. Nothing here depends on timing: the figures are not compared, only
//!   what is printed; the note an example adds when the load average says the machine was
//!   too busy for its figures is neither required of a run nor of a sample.
//! - Every JSON key the prose names (`threads.false_sharing.ratio`, or a bare key in a
//!   paragraph about `measure`, its JSON or the snapshot) is a key of the committed snapshot,
//!   `book/src/measurements/*.json`. (`measure.rs` checks that `measure --json` emits the
//!   snapshot's keys.)
//!
//! The compiler's errors the book shows are not samples: they are the `.stderr` files of
//! `examples-threads/tests/compile-fail/`, which trybuild checks (`examples-threads`'s test
//! `compile_fail`).

#![cfg(target_os = "linux")] // The harness needs Linux.

use std::collections::BTreeSet;
use std::fs;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use nix::sys::signal::Signal;
use serde_json::Value;
use tests::{Bin, Runner, run_command, workspace_root};

/// Each run's deadline: the longest sample (a debug build of `rayon` or `cpu-vs-io`) takes a
/// few seconds idle; this leaves room for a machine busy with other tests.
const DEADLINE: Duration = Duration::from_secs(120);

/// Which output a sample shows.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Stream {
    Stdout,
    Stderr,
    /// Both, as a terminal shows them (the order of lines is not compared anyway).
    Both,
}

/// What a sample's command runs.
#[derive(Debug)]
enum Program {
    /// An example binary (its debug build).
    Example(Bin),
    /// A Python program of `book/python/`, with the interpreter the command names (`python3`,
    /// `python3.12`), the environment settings before it (`PYTHONUNBUFFERED=1`), and the
    /// CPython release that printed the sample (`3.11`, from the header's `CPython 3.11.7`):
    /// another release's tracebacks and messages differ, so only the same one is compared.
    Python { interpreter: String, settings: Vec<(String, String)>, release: String },
}

/// A sample file: its header, parsed, and the lines the book shows.
#[derive(Debug)]
struct Sample {
    path: PathBuf,
    command: String,
    /// What runs, and its arguments.
    program: Program,
    args: Vec<String>,
    stream: Stream,
    /// Sections (numbered from 1: a line `== … ==` starts one) whose lines tear.
    torn_sections: Vec<usize>,
    /// The starts of lines that read the timings and say different things from run to run:
    /// only their start is compared.
    varying_lines: Vec<String>,
    /// Text of lines a run may lack, depending on timing (how many tasks were cancelled).
    optional_lines: Vec<String>,
    /// Whether the lines tear (two threads' pieces in one line) in some runs: then the words
    /// printed are compared, which a tear does not change.
    lines_tear: bool,
    /// The program runs until Ctrl-C: SIGINT goes to its process group once it has printed a
    /// line containing this text, and it must end killed by SIGINT.
    interrupted_after: Option<String>,
    lines: Vec<String>,
}

fn samples_dir() -> PathBuf {
    workspace_root().join("book/src/samples")
}

/// Parses `# $ cargo run [--release] -p BIN [-- ARGS…] | STREAM | MACHINE | DATE [| OPTION…]`,
/// or `# $ [NAME=VALUE…] python3[.N] [OPTIONS…] book/python/NAME.py [ARGS…] | STREAM | …`.
fn parse_sample(path: &Path) -> Sample {
    let text = fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let (header, body) = text.split_once('\n').unwrap_or((&text, ""));
    let fields: Vec<&str> = header.trim_start_matches("# ").split(" | ").map(str::trim).collect();
    let command = fields[0].trim_start_matches("$ ").to_owned();
    let mut words: Vec<&str> = command.split_whitespace().collect();
    let settings_end = words.iter().position(|word| !word.contains('=')).unwrap_or(words.len());
    let python = words.get(settings_end).is_some_and(|word| {
        word.strip_prefix("python3").is_some_and(|version| {
            version.is_empty() || version.trim_start_matches('.').parse::<u32>().is_ok()
        })
    }) && words.iter().any(|word| word.starts_with("book/python/") && word.ends_with(".py"));
    assert!(
        (header.starts_with("# $ cargo run ") || python) && fields.len() >= 4,
        "{}: the first line is not `# $ cargo run … | STREAM | MACHINE | DATE` \
         or `# $ python3 book/python/NAME.py | STREAM | MACHINE | DATE`: {header}",
        path.display()
    );
    let (program, args) = if python {
        let settings = words
            .drain(..settings_end)
            .map(|word| word.split_once('=').map(|(key, value)| (key.to_owned(), value.to_owned())))
            .collect::<Option<_>>()
            .expect("NAME=VALUE");
        let interpreter = words.remove(0).to_owned();
        let release = fields[2]
            .split(", ")
            .find_map(|part| part.strip_prefix("CPython "))
            .and_then(|version| version.rsplit_once('.'))
            .map(|(release, _)| release.to_owned())
            .unwrap_or_else(|| {
                panic!("{}: the machine field names no `CPython X.Y.Z`: {header}", path.display())
            });
        let program = Program::Python { interpreter, settings, release };
        (program, words.iter().map(|word| (*word).to_owned()).collect())
    } else {
        let package = words.iter().position(|word| *word == "-p").and_then(|at| words.get(at + 1));
        let bin = match package {
            Some(&"examples-threads") => Bin::Threads,
            Some(&"examples-processes") => Bin::Processes,
            other => panic!("{}: not a command of an example binary ({other:?}): {command}", path.display()),
        };
        let args = match words.iter().position(|word| *word == "--") {
            Some(at) => words[at + 1..].iter().map(|word| (*word).to_owned()).collect(),
            None => Vec::new(),
        };
        (Program::Example(bin), args)
    };
    let stream = match fields[1] {
        "stdout" => Stream::Stdout,
        "stderr" => Stream::Stderr,
        "both" => Stream::Both,
        other => panic!("{}: unknown stream {other}", path.display()),
    };
    let mut torn_sections = Vec::new();
    let mut varying_lines = Vec::new();
    let mut optional_lines = Vec::new();
    let mut lines_tear = false;
    let mut interrupted_after = None;
    for option in &fields[4..] {
        if let Some(section) = option.strip_prefix("torn section ") {
            torn_sections.push(section.parse().expect("a section number"));
        } else if let Some(start) = option.strip_prefix("line varies: ") {
            varying_lines.push(start.to_owned());
        } else if let Some(text) = option.strip_prefix("optional: ") {
            optional_lines.push(text.to_owned());
        } else if option.starts_with("lines tear: ") {
            lines_tear = true;
        } else if let Some(text) = option.strip_prefix("interrupted after: ") {
            interrupted_after = Some(text.to_owned());
        } else {
            let known = *option == "quoted"
                || option.strip_prefix("first ").and_then(|rest| rest.strip_suffix(" per section")).is_some();
            assert!(known, "{}: unknown option {option}", path.display());
        }
    }
    let lines = body.lines().map(str::to_owned).collect();
    Sample {
        path: path.to_owned(),
        command,
        program,
        args,
        stream,
        torn_sections,
        varying_lines,
        optional_lines,
        lines_tear,
        interrupted_after,
        lines,
    }
}

fn all_samples() -> Vec<Sample> {
    let mut paths: Vec<PathBuf> = fs::read_dir(samples_dir())
        .expect("book/src/samples")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "txt"))
        .collect();
    paths.sort();
    assert!(paths.len() > 20, "too few samples in book/src/samples: {}", paths.len());
    paths.iter().map(|path| parse_sample(path)).collect()
}

/// A line's shape: numbers (and the unit of a time) replaced by `#`, runs of whitespace made
/// one space; a source location `FILE.rs:LINE:COLUMN` or `FILE.py:LINE:`, and a traceback's
/// line in a file of the repository (`File "book/python/NAME.py", line 26, in <module>`),
/// kept as they are.
fn shape(line: &str) -> String {
    if line.trim_start().starts_with("File \"book/python/") {
        return line.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    let words: Vec<String> = line
        .split_whitespace()
        .map(|word| {
            if word.contains(".rs:") || word.contains(".py:") {
                word.to_owned()
            } else {
                numbers_to_hash(word)
            }
        })
        .collect();
    // A list of numbers, whatever its length (`[1, 3, 5]`, `{0, 1}`), is one shape.
    let mut shaped = words.join(" ");
    while shaped.contains("#, #") {
        shaped = shaped.replace("#, #", "#");
    }
    shaped
}

fn numbers_to_hash(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    let mut shaped = String::new();
    let mut at = 0;
    while at < chars.len() {
        if !chars[at].is_ascii_digit() {
            shaped.push(chars[at]);
            at += 1;
            continue;
        }
        while at < chars.len()
            && (chars[at].is_ascii_digit()
                || (chars[at] == '.' && chars.get(at + 1).is_some_and(char::is_ascii_digit)))
        {
            at += 1;
        }
        shaped.push('#');
        // `1.13ms` and `250.58µs` are the same shape: Duration's Debug picks the unit.
        let rest: String = chars[at..].iter().collect();
        for unit in ["ns", "µs", "us", "ms", "s"] {
            let after = rest.strip_prefix(unit).and_then(|after| after.chars().next());
            if rest.starts_with(unit) && !after.is_some_and(char::is_alphabetic) {
                at += unit.chars().count();
                break;
            }
        }
    }
    shaped
}

/// The shapes of `lines` outside the torn sections; blank lines and `…` (a cut) left out, a
/// varying line cut to its start.
fn shapes<'a>(lines: impl Iterator<Item = &'a str>, sample: &Sample) -> BTreeSet<String> {
    let mut section = 0;
    let mut found = BTreeSet::new();
    for line in lines {
        let trimmed = line.trim();
        let heading = trimmed.starts_with("== ") && trimmed.ends_with(" ==");
        if heading {
            section += 1;
        }
        if trimmed.is_empty() || trimmed == "…" || (!heading && sample.torn_sections.contains(&section)) {
            continue;
        }
        match sample.varying_lines.iter().find(|start| trimmed.starts_with(start.as_str())) {
            Some(start) => found.insert(format!("{start}…")),
            None => found.insert(shape(trimmed)),
        };
    }
    found
}

/// Whether `line` is the note an example that prints timings adds when the load average says
/// the machine was too busy for them, or that it could not read one: it depends on the
/// machine's load at the start of the run, so a sample may have it and a run not, or the
/// other way round (`busy_machine.rs` checks the note itself).
fn load_note(line: &str) -> bool {
    ["note: busy machine: ", "note: no load average read here"].iter().any(|start| line.starts_with(start))
}

/// What is wrong with `sample` against the lines its command prints now (`run` describes the
/// run, for the message), if anything.
fn compare(sample: &Sample, printed: &[&str], run: &str) -> Option<String> {
    if sample.lines_tear {
        return compare_characters(sample, printed, run);
    }
    // The test runs the debug build; a sample of `--release` lacks its note saying so.
    let release = sample.command.split_whitespace().any(|word| word == "--release");
    let debug_note = |line: &&str| release && line.starts_with("note: a debug build;");
    let shown = shapes(sample.lines.iter().map(String::as_str).filter(|line| !load_note(line)), sample);
    let now = shapes(printed.iter().copied().filter(|line| !debug_note(line) && !load_note(line)), sample);
    let optional = |shape: &&String| sample.optional_lines.iter().any(|text| shape.contains(text.as_str()));
    let only_in_sample: Vec<&String> = shown.difference(&now).filter(|shape| !optional(shape)).collect();
    // A shortened sample (`…` where lines were cut) may have cut every line of a shape.
    let shortened = sample.lines.iter().any(|line| line.trim() == "…");
    let only_now: Vec<&String> = if shortened { Vec::new() } else { now.difference(&shown).collect() };
    if only_in_sample.is_empty() && only_now.is_empty() {
        return None;
    }
    Some(format!(
        "{}: the sample no longer has the shape of what `{}` prints\n  \
         shapes in the sample that the program no longer prints: {only_in_sample:#?}\n  \
         shapes the program prints that the sample lacks: {only_now:#?}\n\
         (re-take it: book/samples {})\n{run}",
        sample.path.display(),
        sample.command,
        sample.path.file_stem().and_then(|stem| stem.to_str()).unwrap_or("NAME"),
    ))
}

/// For a sample whose lines tear: what is wrong if the characters printed, spaces aside (all
/// of them, in any order), are not the sample's. Not words: a tear can join two threads'
/// pieces with no space between them (`2Letter:`, `ANumber:`).
fn compare_characters(sample: &Sample, printed: &[&str], run: &str) -> Option<String> {
    let characters = |lines: &mut dyn Iterator<Item = &str>| {
        let mut characters: Vec<char> = lines.flat_map(str::chars).filter(|c| !c.is_whitespace()).collect();
        characters.sort();
        characters
    };
    let shown = characters(&mut sample.lines.iter().map(String::as_str));
    let now = characters(&mut printed.iter().copied());
    (shown != now).then(|| {
        format!(
            "{}: the characters of the sample (its lines tear, so only characters are compared) are \
             not those `{}` prints\n  sample: {shown:?}\n  now:    {now:?}\n{run}",
            sample.path.display(),
            sample.command,
        )
    })
}

/// The interpreter a Python sample's command names (`python3`, `python3.12`), if it is the
/// CPython `release` (`3.11`) that printed the sample: on the PATH where it runs, else in
/// pyenv's versions (`~/.pyenv/versions/3.12.*/bin/python3.12`); or why there is none.
fn find_python(name: &str, release: &str) -> Result<PathBuf, String> {
    let python = find_interpreter(name)?;
    let mut version = std::process::Command::new(&python);
    version.arg("--version");
    let said = run_command(version, Duration::from_secs(60)).stdout;
    let said = said.trim();
    match said.strip_prefix("Python ").and_then(|version| version.strip_prefix(release)) {
        Some(rest) if rest.is_empty() || rest.starts_with('.') => Ok(python),
        _ => Err(format!("the sample is CPython {release}'s, and `{name}` here is {said}")),
    }
}

/// The interpreter `name` names: on the PATH where it runs, else in pyenv's versions.
fn find_interpreter(name: &str) -> Result<PathBuf, String> {
    let on_path = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).map(|directory| directory.join(name)).collect::<Vec<_>>())
        .unwrap_or_default();
    for candidate in on_path.into_iter().filter(|candidate| candidate.is_file()) {
        let mut version = std::process::Command::new(&candidate);
        version.arg("--version");
        // A pyenv shim is on the PATH even when no selected version has the interpreter.
        if run_command(version, Duration::from_secs(60)).status.success() {
            return Ok(candidate);
        }
    }
    let pyenv = std::env::var_os("PYENV_ROOT")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".pyenv")));
    let version = name.trim_start_matches("python");
    let mut found: Vec<PathBuf> = pyenv
        .and_then(|root| fs::read_dir(root.join("versions")).ok())
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|directory| {
            let release = directory.file_name().and_then(|name| name.to_str()).unwrap_or("");
            release.starts_with(&format!("{version}."))
        })
        .map(|directory| directory.join("bin").join(name))
        .filter(|candidate| candidate.is_file())
        .collect();
    found.sort();
    found.pop().ok_or_else(|| format!("`{name}` is neither on the PATH nor in pyenv's versions"))
}

/// What differs between machines in a Python program's output: the repository's path, and
/// where the interpreter's library is (`File "…/lib/python3.11/…"`; its version stays), as
/// `book/samples` writes them.
fn normalise(output: &str) -> String {
    let root = format!("{}/", workspace_root().display());
    output
        .replace(&root, "")
        .lines()
        .map(|line| match (line.find("File \"/"), line.find("/lib/python3.")) {
            (Some(file), Some(library)) if file < library => {
                let start = file + "File \"".len();
                format!("{}…{}", &line[..start], &line[library..])
            }
            _ => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs a sample's command (the example's debug build, or the Python program) and compares
/// what it printed with the sample. `Err` says why it could not run here (a missing
/// interpreter): skipped, not failed.
fn check(sample: &Sample) -> Result<Option<String>, String> {
    let mut runner = match &sample.program {
        Program::Example(bin) => {
            let args: Vec<&str> = sample.args.iter().map(String::as_str).collect();
            // The default panic message, as the book shows it, whatever the caller's
            // environment asks for.
            Runner::new(*bin).args(&args).env("RUST_BACKTRACE", "0")
        }
        Program::Python { interpreter, settings, release } => {
            let args: Vec<String> = sample
                .args
                .iter()
                .map(|arg| match arg.starts_with("book/python/") {
                    true => workspace_root().join(arg).display().to_string(),
                    false => arg.clone(),
                })
                .collect();
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let mut runner = Runner::program(find_python(interpreter, release)?).args(&args);
            // Settings of the caller's that would change the output are emptied (an empty
            // value is unset for CPython), unless the command makes them.
            for key in ["PYTHONUNBUFFERED", "PYTHONWARNINGS", "PYTHONDEVMODE"] {
                if !settings.iter().any(|(set, _)| set == key) {
                    runner = runner.env(key, "");
                }
            }
            for (key, value) in settings {
                runner = runner.env(key, value);
            }
            runner
        }
    };
    if let Some(text) = &sample.interrupted_after {
        runner = runner.interrupt_after_line(text);
    }
    let finished = runner.deadline(DEADLINE).run();
    let ended_as_expected = match sample.interrupted_after {
        Some(_) => finished.status.signal() == Some(Signal::SIGINT as i32),
        None => finished.status.success(),
    };
    if !ended_as_expected || !finished.strays.is_empty() {
        return Ok(Some(format!("`{}` did not end as its sample did, cleanly\n{finished}", sample.command)));
    }
    let (stdout, stderr) = match sample.program {
        Program::Python { .. } => (normalise(&finished.stdout), normalise(&finished.stderr)),
        Program::Example(_) => (finished.stdout.clone(), finished.stderr.clone()),
    };
    let printed: Vec<&str> = match sample.stream {
        Stream::Stdout => stdout.lines().collect(),
        Stream::Stderr => stderr.lines().collect(),
        Stream::Both => stdout.lines().chain(stderr.lines()).collect(),
    };
    Ok(compare(sample, &printed, &finished.to_string()))
}

#[test]
fn every_sample_has_the_shape_of_what_the_program_prints_now() {
    let mut problems = Vec::new();
    // One at a time: several examples (`parallel-proof`, `shared-memory`) need the cores to
    // run two of their threads or processes at once, and samples run side by side would take
    // them.
    for sample in all_samples() {
        match check(&sample) {
            Ok(problem) => problems.extend(problem),
            Err(reason) => println!("skipped {}: {reason}", sample.path.display()),
        }
    }
    assert!(problems.is_empty(), "{} samples drifted:\n\n{}", problems.len(), problems.join("\n\n"));
}

/// Every sample is shown by a page, from its second line on (the header is for the script),
/// in a ```text block marked `<!-- i18n:skip -->` (program output, which the Chinese edition
/// shows as it is: without the mark, mdbook-xgettext takes a block with a `"` in it for a
/// message, and every re-take would leave it fuzzy); and every include of a sample names an
/// existing one.
#[test]
fn every_sample_is_shown_and_every_shown_sample_exists() {
    let names: BTreeSet<String> = all_samples()
        .iter()
        .map(|sample| sample.path.file_name().and_then(|name| name.to_str()).expect("a name").to_owned())
        .collect();
    let mut shown = BTreeSet::new();
    for (page, text) in book_pages() {
        let lines: Vec<&str> = text.lines().collect();
        for (number, line) in lines.iter().enumerate() {
            if let Some(at) = line.find("samples/")
                && line.trim_start().starts_with("{{#include ")
            {
                let target = &line[at + "samples/".len()..];
                let (name, selector) = target.split_once(':').expect("an include of a sample has :2:");
                assert_eq!(
                    selector.trim_end_matches("}}"),
                    "2:",
                    "{}: {line}: a sample is shown from its second line (`:2:`), without its header",
                    page.display()
                );
                let before = |back: usize| number.checked_sub(back).map_or("", |at| lines[at].trim());
                assert!(
                    before(1) == "```text" && before(2) == "<!-- i18n:skip -->",
                    "{}: {line}: a sample goes in a ```text block after a line `<!-- i18n:skip -->`",
                    page.display()
                );
                assert!(
                    names.contains(name),
                    "{}: includes samples/{name}, which does not exist",
                    page.display()
                );
                shown.insert(name.to_owned());
            }
        }
    }
    let unshown: Vec<&String> = names.difference(&shown).collect();
    assert!(unshown.is_empty(), "samples no page shows: {unshown:?}");
}

/// Every Markdown page under book/src, with its text.
fn book_pages() -> Vec<(PathBuf, String)> {
    let mut pages = Vec::new();
    let mut directories = vec![workspace_root().join("book/src")];
    while let Some(directory) = directories.pop() {
        for entry in fs::read_dir(&directory).expect("a book directory") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                directories.push(path);
            } else if path.extension().is_some_and(|extension| extension == "md") {
                let text = fs::read_to_string(&path).expect("a readable page");
                pages.push((path, text));
            }
        }
    }
    pages.sort();
    pages
}

/// The committed snapshot of one binary's `measure --json`.
fn snapshot(name: &str) -> Value {
    let path = workspace_root().join(format!("book/src/measurements/{name}.json"));
    let text = fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// Every key at every depth of `value` (the rows of an array count as one).
fn all_keys(value: &Value, keys: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                keys.insert(key.clone());
                all_keys(inner, keys);
            }
        }
        Value::Array(rows) => rows.iter().for_each(|row| all_keys(row, keys)),
        _ => {}
    }
}

/// Whether the path `a.b[0].c` names something in `value`; an index may be left out
/// (`a.b.c`: the rows of `b` have a key `c`).
fn resolves(value: &Value, path: &str) -> bool {
    let Some((first, rest)) = path.split_once('.').map_or(Some((path, "")), Some) else { return false };
    let (key, index) = match first.split_once('[') {
        Some((key, index)) => (key, index.trim_end_matches(']').parse::<usize>().ok()),
        None => (first, None),
    };
    let Some(mut inner) = value.get(key) else { return false };
    if let Some(index) = index {
        let Some(row) = inner.get(index) else { return false };
        inner = row;
    }
    if rest.is_empty() {
        return true;
    }
    match inner {
        Value::Array(rows) if index.is_none() => rows.iter().any(|row| resolves(row, rest)),
        _ => resolves(inner, rest),
    }
}

/// Every word (identifier) of the workspace's Rust, Python and shell sources, so that a
/// code span naming a function or a variable of the code is not taken for a JSON key.
fn source_words() -> BTreeSet<String> {
    let mut words = BTreeSet::new();
    let mut directories: Vec<PathBuf> = ["shared", "examples-threads", "examples-processes", "tests", "book"]
        .iter()
        .map(|directory| workspace_root().join(directory))
        .collect();
    while let Some(directory) = directories.pop() {
        for entry in fs::read_dir(&directory).expect("a source directory") {
            let path = entry.expect("an entry").path();
            let name = path.file_name().and_then(|name| name.to_str()).unwrap_or("");
            if path.is_dir() {
                if !["target", "node_modules", "book", "po"].contains(&name) {
                    directories.push(path);
                }
            } else if path
                .extension()
                .is_some_and(|extension| ["rs", "py", "sh"].contains(&extension.to_str().unwrap_or("")))
            {
                let text = fs::read_to_string(&path).unwrap_or_default();
                for word in text.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
                    words.insert(word.to_owned());
                }
            }
        }
    }
    words
}

/// Names of functions and variables outside this workspace that pages about `measure` name in
/// code spans: not keys, and not in the sources.
const OUTSIDE_NAMES: [&str; 5] = [
    "pre_exec",
    "warn_about_fork_with_threads",
    "pipe_wait_writable",
    "terminate_broken",
    "pending_work_items",
];

/// A code span that is a snake_case name (`fork_slope_ms_per_gib`) or a dotted path of them
/// (`python.pool`, `threads.false_sharing.ratio`, `processes.wrapper_overhead[0].ratio`).
fn is_key_like(span: &str) -> bool {
    let bare = span.replace(['[', ']'], "");
    !bare.is_empty()
        && bare.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && bare.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.')
        && (bare.contains('_') || bare.contains('.'))
        && ![".rs", ".json", ".md", ".txt", ".py", ".svg"].iter().any(|file| bare.ends_with(file))
}

#[test]
fn every_json_key_the_prose_names_is_in_the_snapshot() {
    let snapshots = [("threads", snapshot("threads")), ("processes", snapshot("processes"))];
    let mut keys = BTreeSet::new();
    for (_, snapshot) in &snapshots {
        all_keys(snapshot, &mut keys);
    }
    let words = source_words();
    let mut unknown = Vec::new();
    for (page, text) in book_pages() {
        // Prose only: code blocks are the programs' and their output's.
        let mut prose = String::new();
        let mut in_code = false;
        for line in text.lines() {
            if line.trim_start().starts_with("```") {
                in_code = !in_code;
            } else if !in_code {
                prose.push_str(line);
                prose.push('\n');
            }
        }
        // Measurements documents the keys; elsewhere a paragraph (or one table row: a table
        // is a page of facts, one to a row) is about them when it names `measure` or its JSON.
        let measurements_page = page.ends_with("measurements.md");
        let units = prose.split("\n\n").flat_map(|paragraph| {
            if paragraph.trim_start().starts_with('|') {
                paragraph.lines().map(str::to_owned).collect::<Vec<_>>()
            } else {
                vec![paragraph.to_owned()]
            }
        });
        for paragraph in units {
            let about_measure = measurements_page
                || ["`measure", "JSON", "--json"].iter().any(|word| paragraph.contains(word));
            for span in paragraph.split('`').skip(1).step_by(2) {
                if !is_key_like(span) {
                    continue;
                }
                // `threads.…` and `processes.…`: a path in that binary's snapshot.
                let rooted = snapshots.iter().find_map(|(name, snapshot)| {
                    span.strip_prefix(name)
                        .and_then(|rest| rest.strip_prefix('.'))
                        .map(|rest| (snapshot, rest))
                });
                let known = match rooted {
                    Some((snapshot, path)) => resolves(snapshot, path),
                    None if span.contains('.') && about_measure => {
                        snapshots.iter().any(|(_, snapshot)| resolves(snapshot, span))
                            || span.split('.').all(|part| words.contains(part))
                    }
                    None if about_measure => {
                        keys.contains(span) || words.contains(span) || OUTSIDE_NAMES.contains(&span)
                    }
                    None => true,
                };
                if !known {
                    unknown.push(format!("{}: `{span}`", page.display()));
                }
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "the prose names JSON keys that the snapshot (book/src/measurements/*.json) does not have, \
         and that are no name in the sources either:\n{}",
        unknown.join("\n")
    );
}
