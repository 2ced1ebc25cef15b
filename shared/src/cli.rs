//! The command-line dispatcher both binaries share.
//!
//! Each binary's `main.rs` is a table of [`Example`]s in book order and one call to [`main`].
//! The dispatcher knows nothing about any single example:
//!
//! - no arguments: run the first example (`seed`), with a one-line hint on stderr;
//! - `--list`: `name  summary`, one line per example, in book order;
//! - `--help` / `-h`: usage and the list;
//! - `NAME --help` / `NAME -h`: that example's summary, options, source file and book page,
//!   without running it ([`example_help`]);
//! - `NAME [ARGS…]`: run that example; the arguments after the name are the example's own.
//!
//! Exit codes: 0 when the example succeeded, 1 when it failed (the error is printed),
//! 2 for a usage error (unknown example, extra or bad arguments), as Unix tools do, and 77
//! when the example cannot run on this platform (a fork example on Windows): see
//! [`NOT_ON_THIS_PLATFORM_EXIT_CODE`]. A closed stdout (`| head -1`) ends the program quietly:
//! killed by SIGPIPE on Unix, exit code [`CLOSED_STDOUT_EXIT_CODE`] on Windows.

use std::fmt;
use std::io;
use std::process::ExitCode;

/// One row of a binary's example table: `(name, summary, run)`.
#[derive(Clone, Copy)]
pub struct Example {
    /// The command-line name; also the example's file, module and book section.
    pub name: &'static str,
    /// One line saying what the example shows.
    pub summary: &'static str,
    /// How to run it.
    pub run: Run,
    /// Where it runs; `--list` marks the examples that run on Unix only.
    pub platforms: Platforms,
    /// The options it takes, `(option, meaning)`, as `NAME --help` lists them; none for an
    /// example that takes no arguments.
    pub options: &'static [(&'static str, &'static str)],
    /// Its source file from the workspace root, when it is not the default
    /// `PROGRAM/src/examples/NAME.rs` (`-` becomes `_`).
    pub source: Option<&'static str>,
    /// Its book page under `book/src/`, with a `#fragment` if needed, when it is not the
    /// default `KIND/NAME.md` (`examples-threads` → `threads/NAME.md`).
    pub book: Option<&'static str>,
}

/// Where an example runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Platforms {
    /// Linux, macOS and Windows.
    Everywhere,
    /// Linux and macOS (any Unix): it forks. On Windows its `run` explains why it cannot run
    /// there and returns an [`io::ErrorKind::Unsupported`] error.
    UnixOnly,
}

/// How an example is run, and whether it takes arguments.
#[derive(Clone, Copy)]
pub enum Run {
    /// An example that takes no arguments; extra ones are a usage error (exit 2).
    NoArgs(fn() -> anyhow::Result<()>),
    /// An example that parses its own arguments (everything after its name). It reports bad
    /// ones by returning a [`UsageError`].
    WithArgs(fn(&[String]) -> anyhow::Result<()>),
}

impl Example {
    /// A table row for an example that takes no arguments.
    pub const fn new(name: &'static str, summary: &'static str, run: fn() -> anyhow::Result<()>) -> Self {
        Self {
            name,
            summary,
            run: Run::NoArgs(run),
            platforms: Platforms::Everywhere,
            options: &[],
            source: None,
            book: None,
        }
    }

    /// A table row for an example that parses its own arguments: `options` are the ones it
    /// takes, `(option, meaning)`.
    pub const fn with_args(
        name: &'static str,
        summary: &'static str,
        options: &'static [(&'static str, &'static str)],
        run: fn(&[String]) -> anyhow::Result<()>,
    ) -> Self {
        Self {
            name,
            summary,
            run: Run::WithArgs(run),
            platforms: Platforms::Everywhere,
            options,
            source: None,
            book: None,
        }
    }

    /// The same row, marked as running on Unix only.
    pub const fn unix_only(self) -> Self {
        Self { platforms: Platforms::UnixOnly, ..self }
    }

    /// The same row, with its source file (from the workspace root) where it is not the default.
    pub const fn source(self, path: &'static str) -> Self {
        Self { source: Some(path), ..self }
    }

    /// The same row, with its book page (under `book/src/`) where it is not the default.
    pub const fn book(self, page: &'static str) -> Self {
        Self { book: Some(page), ..self }
    }

    /// Its source file, from the workspace root: `examples-threads/src/examples/send_sync.rs`.
    pub fn source_path(&self, program: &str) -> String {
        match self.source {
            Some(path) => path.to_owned(),
            None => format!("{program}/src/examples/{}.rs", self.name.replace('-', "_")),
        }
    }

    /// Its book page, under `book/src/`: `threads/send-sync.md` (and a `#fragment` if any).
    pub fn book_page(&self, program: &str) -> String {
        match self.book {
            Some(page) => page.to_owned(),
            None => format!("{}/{}.md", program.strip_prefix("examples-").unwrap_or(program), self.name),
        }
    }
}

/// A failure the example has already explained on its own output: the dispatcher
/// exits with code 1 and adds nothing.
#[derive(Debug)]
pub struct Reported;

impl fmt::Display for Reported {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("reported above")
    }
}

impl std::error::Error for Reported {}

/// A mistake in how the program was called. The dispatcher prints it and exits with code 2;
/// any other error exits with code 1.
#[derive(Debug)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// The exit code of an example that cannot run on this platform: 77, which the test
/// harnesses of Automake and Meson read as "skipped". Not 0 (nothing was shown), not 1
/// (nothing failed), not 2 (the name was valid): a script that runs every example can count
/// it as skipped.
pub const NOT_ON_THIS_PLATFORM_EXIT_CODE: u8 = 77;

/// The exit code of a program whose stdout was closed under it (`| head -1`), on Windows:
/// 232, `ERROR_NO_DATA` ("The pipe is being closed"), the very error the write failed with.
///
/// Unix ends such a program by SIGPIPE (shells show 141); Windows has no signals, so an exit
/// code stands for it, and a Windows exit code is by convention a system error or status code
/// (a crash's is its exception code, as `examples-processes` reports it). Not 0: the output was
/// cut short. Not 1: that is an example that failed, and a parent must tell the two apart to
/// end quietly in turn (`examples-processes`' `status::check`). Not 101: that is a panic.
/// None of our programs exits with 232 for another reason.
///
/// CPython on Windows is not quiet here: the write raises `OSError` with `EINVAL` (errno 22,
/// not `BrokenPipeError`: the C runtime maps `ERROR_NO_DATA` to `EINVAL`, as CPython 3.11's
/// Lib/subprocess.py notes at bpo-19612), a traceback, exit code 1; when only the flush at
/// exit fails, "Exception ignored …" and exit code 120 (`Py_Exit`, Doc/c-api/sys.rst). The
/// recipe of its docs ("Note on SIGPIPE", Doc/library/signal.rst) catches the error and exits
/// with 1.
pub const CLOSED_STDOUT_EXIT_CODE: u8 = 232;

/// Whether `error` is an example's reason for not running on this platform (a fork example
/// on Windows): an [`io::Error`] of kind [`io::ErrorKind::Unsupported`], which an example
/// builds with std alone. The dispatcher prints it and exits with
/// [`NOT_ON_THIS_PLATFORM_EXIT_CODE`].
pub fn is_not_on_this_platform(error: &anyhow::Error) -> bool {
    error.downcast_ref::<io::Error>().is_some_and(|error| error.kind() == io::ErrorKind::Unsupported)
}

/// Returns a [`UsageError`] built from a format string: `return Err(usage_error!("…"))`.
#[macro_export]
macro_rules! usage_error {
    ($($arg:tt)*) => {
        ::anyhow::Error::new($crate::cli::UsageError(format!($($arg)*)))
    };
}

/// Restores SIGPIPE's default action (Unix only; a no-op on Windows, which has no signals):
/// see [`crate::sys::restore_default_sigpipe`].
pub use crate::sys::restore_default_sigpipe;

/// Makes a closed stdout end the process quietly, from any thread: SIGPIPE's default action
/// on Unix, a panic hook on Windows (exit code [`CLOSED_STDOUT_EXIT_CODE`]): see
/// [`crate::sys::end_quietly_on_closed_stdout`].
pub use crate::sys::end_quietly_on_closed_stdout;

/// Runs the binary called `program` with the given example table: the whole `main` of both
/// binaries. The first row is the one run when no example is named.
pub fn main(program: &str, about: &str, examples: &[Example]) -> ExitCode {
    // Process-wide and until the process ends (Unix: SIGPIPE's default action), also for a
    // thread still printing after `main` returns: see `end_quietly_on_closed_stdout`.
    end_quietly_on_closed_stdout();
    let args: Vec<String> = std::env::args().skip(1).collect();
    dispatch(program, about, examples, &args)
}

/// Dispatches `args` (without the program name) to an example; returns the exit code.
pub fn dispatch(program: &str, about: &str, examples: &[Example], args: &[String]) -> ExitCode {
    let Some((first, rest)) = args.split_first() else {
        let default = &examples[0];
        eprintln!("hint: running '{}'; `{program} --list` shows every example", default.name);
        return run_example(program, default, &[]);
    };
    match first.as_str() {
        "--list" | "--help" | "-h" if !rest.is_empty() => {
            eprintln!("error: {first} takes no arguments, got: {}", rest.join(" "));
            ExitCode::from(2)
        }
        "--list" => {
            print!("{}", list(examples));
            ExitCode::SUCCESS
        }
        "--help" | "-h" => {
            print!("{}", help(program, about, examples));
            ExitCode::SUCCESS
        }
        name => match examples.iter().find(|example| example.name == name) {
            Some(example) if matches!(rest, [flag] if flag == "--help" || flag == "-h") => {
                print!("{}", example_help(program, example));
                ExitCode::SUCCESS
            }
            Some(example) => run_example(program, example, rest),
            None => {
                eprint!("{}", unknown_example(program, name, examples));
                ExitCode::from(2)
            }
        },
    }
}

fn run_example(program: &str, example: &Example, args: &[String]) -> ExitCode {
    let result = match example.run {
        Run::NoArgs(run) if args.is_empty() => run(),
        Run::NoArgs(_) => {
            Err(usage_error!("example '{}' takes no arguments, got: {}", example.name, args.join(" ")))
        }
        Run::WithArgs(run) => run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.is::<UsageError>() => {
            eprintln!("error: {error}");
            let arguments = match example.run {
                Run::NoArgs(_) => "",
                Run::WithArgs(_) => " [ARGS…]",
            };
            eprintln!(
                "usage: {program} {}{arguments} (see `{program} {} --help`)",
                example.name, example.name
            );
            ExitCode::from(2)
        }
        // The example said why itself (an exercise that does not pass yet).
        Err(error) if error.is::<Reported>() => ExitCode::FAILURE,
        Err(error) if is_not_on_this_platform(&error) => {
            eprintln!("example '{}' does not run on this platform: {error}", example.name);
            ExitCode::from(NOT_ON_THIS_PLATFORM_EXIT_CODE)
        }
        Err(error) => {
            // `{:#}` prints the whole chain of contexts: "joining thread 'numbers': …".
            eprintln!("error: example '{}' failed: {error:#}", example.name);
            ExitCode::FAILURE
        }
    }
}

/// `name  summary`, one line per example, names padded to one column; `(Unix only)` after
/// the summary of an example that does not run on Windows.
pub fn list(examples: &[Example]) -> String {
    let width = examples.iter().map(|example| example.name.len()).max().unwrap_or(0);
    let mark = |example: &Example| match example.platforms {
        Platforms::Everywhere => "",
        Platforms::UnixOnly => " (Unix only)",
    };
    examples
        .iter()
        .map(|example| format!("{:width$}  {}{}\n", example.name, example.summary, mark(example)))
        .collect()
}

/// The text `--help` prints.
pub fn help(program: &str, about: &str, examples: &[Example]) -> String {
    format!(
        "{program}: {about}

Usage:
  {program}                 run '{default}', the seed article's program
  {program} NAME [ARGS…]    run one example; arguments after NAME are the example's own
  {program} NAME --help     what NAME shows, its options, its source file, its book page
  {program} --list          list the examples, in book order
  {program} --help          show this help

Examples, in book order:
{list}
Each example is one file, src/examples/NAME.rs, and one section of the book.
{READ_THE_BOOK}",
        default = examples[0].name,
        list = indent(&list(examples)),
    )
}

/// How to read the book, as `--help` says it: its pages as they are, or built with the pinned
/// mdBook (the English edition needs nothing more; `book/build` also builds the Chinese one).
const READ_THE_BOOK: &str = "\
Read the book: its pages are Markdown in book/src/; or install mdBook once
(cargo install mdbook --version 0.5.4 --locked) and run `mdbook serve book`
for the English edition at http://localhost:3000 (the README's \"Read the book\"
builds both editions).
";

/// The text `NAME --help` prints: what the example shows, how to run it, its options, its
/// source file and its book page.
pub fn example_help(program: &str, example: &Example) -> String {
    let name = example.name;
    let mut text = format!("{program} {name}: {}\n\n", example.summary);
    let arguments = if example.options.is_empty() { "" } else { " [OPTIONS]" };
    text += &format!("Usage: {program} {name}{arguments}\n");
    text += &format!("  (from the repository: cargo run -p {program} -- {name}{arguments})\n\n");
    if example.options.is_empty() {
        text += "Options: none; it takes no arguments.\n";
    } else {
        text += "Options:\n";
        text += &options_text(example.options);
    }
    if example.platforms == Platforms::UnixOnly {
        text += "\nRuns on Unix only (Linux, macOS): on Windows it says why it cannot.\n";
    }
    let page = example.book_page(program);
    let html = match page.split_once('#') {
        Some((file, fragment)) => format!("{}.html#{fragment}", file.trim_end_matches(".md")),
        None => format!("{}.html", page.trim_end_matches(".md")),
    };
    text += &format!("\nSource: {}\n", example.source_path(program));
    text += &format!("Book:   book/src/{page} (built: book/book/{html})\n");
    text
}

/// Options as `--help` lists them: `  --option VALUE  meaning`, meanings in one column and
/// wrapped at 80 columns.
pub fn options_text(options: &[(&str, &str)]) -> String {
    let width = options.iter().map(|(option, _)| option.chars().count()).max().unwrap_or(0);
    let mut text = String::new();
    for (option, meaning) in options {
        let mut line = format!("  {option:width$} ");
        let start = line.chars().count();
        let mut length = start;
        for word in meaning.split_whitespace() {
            if length > start && length + 1 + word.chars().count() > 80 {
                text += line.trim_end();
                text.push('\n');
                line = " ".repeat(start);
                length = start;
            }
            line += " ";
            line += word;
            length += 1 + word.chars().count();
        }
        text += line.trim_end();
        text.push('\n');
    }
    text
}

fn indent(text: &str) -> String {
    text.lines().map(|line| format!("  {line}\n")).collect()
}

/// The message for an unknown example name: what was wrong, the closest name, the valid ones.
pub fn unknown_example(program: &str, name: &str, examples: &[Example]) -> String {
    let mut message = format!("error: unknown example '{name}'\n");
    if let Some(closest) = closest_name(name, examples.iter().map(|example| example.name)) {
        message += &format!("did you mean '{closest}'?\n");
    }
    message += &format!("the examples are:\n{}", indent(&list(examples)));
    message += &format!("run `{program} --help` for usage\n");
    message
}

/// The candidate closest to `name` by edit distance (Levenshtein's: the fewest insertions,
/// deletions and substitutions, from `strsim`), if it is close enough to be a likely typo.
pub fn closest_name<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // Allow about one edit in three characters, and at least two: "sed" → "seed".
    let allowed = (name.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|candidate| (strsim::levenshtein(name, candidate), candidate))
        .filter(|&(distance, _)| distance <= allowed)
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok() -> anyhow::Result<()> {
        Ok(())
    }

    fn not_here() -> anyhow::Result<()> {
        Err(io::Error::new(io::ErrorKind::Unsupported, "no fork here").into())
    }

    fn with_args(_: &[String]) -> anyhow::Result<()> {
        Ok(())
    }

    fn fails() -> anyhow::Result<()> {
        anyhow::bail!("an example that fails")
    }

    const TABLE: &[Example] = &[
        Example::new("seed", "the seed program", ok),
        Example::new("seed-fork", "the seed program, forked", not_here).unix_only(),
        Example::new("shared-state", "Arc<Mutex<T>>", ok),
        Example::with_args("measure", "measure things", &[("--quick", "fewer samples")], with_args)
            .source("prog/src/measure/mod.rs")
            .book("measurements.md#the-figures"),
        Example::new("failing", "fails", fails),
    ];

    fn run(args: &[&str]) -> ExitCode {
        let args: Vec<String> = args.iter().map(|arg| arg.to_string()).collect();
        dispatch("prog", "about", TABLE, &args)
    }

    /// Each way a run ends has its own exit code: 0, 2 for a usage error (arguments where
    /// none are taken), 77 for another platform's example, 1 for any other failure.
    #[test]
    fn dispatch_exit_codes() {
        assert_eq!(run(&["--list"]), ExitCode::SUCCESS);
        assert_eq!(run(&["--help"]), ExitCode::SUCCESS);
        assert_eq!(run(&["-h"]), ExitCode::SUCCESS);
        assert_eq!(run(&["--list", "extra"]), ExitCode::from(2));
        assert_eq!(run(&["--help", "extra"]), ExitCode::from(2));
        assert_eq!(run(&["seed"]), ExitCode::SUCCESS);
        assert_eq!(run(&["seed", "extra"]), ExitCode::from(2));
        assert_eq!(run(&["failing"]), ExitCode::FAILURE);
        assert_eq!(run(&["no-such-example"]), ExitCode::from(2));
    }

    #[test]
    fn only_an_unsupported_io_error_is_not_on_this_platform() {
        let error = not_here().unwrap_err();
        assert!(is_not_on_this_platform(&error));
        assert_eq!(error.to_string(), "no fork here");
        let other = io::Error::other("no fork here");
        assert!(!is_not_on_this_platform(&anyhow::Error::new(other)));
    }

    #[test]
    fn help_names_the_program_the_default_and_every_example() {
        let text = help("prog", "what it is about", TABLE);
        assert!(text.starts_with("prog: what it is about\n"), "{text}");
        assert!(text.contains("run 'seed', the seed article's program"), "{text}");
        for example in TABLE {
            assert!(text.contains(&format!("  {}", example.name)), "{text}");
        }
    }

    #[test]
    fn example_help_has_the_summary_options_source_and_book_page() {
        let help = example_help("examples-threads", &TABLE[0]);
        assert!(help.starts_with("examples-threads seed: the seed program\n"), "{help}");
        assert!(help.contains("Options: none"), "{help}");
        assert!(help.contains("Source: examples-threads/src/examples/seed.rs\n"), "{help}");
        assert!(
            help.contains("Book:   book/src/threads/seed.md (built: book/book/threads/seed.html)"),
            "{help}"
        );
        let help = example_help("examples-processes", &TABLE[1]);
        assert!(help.contains("Source: examples-processes/src/examples/seed_fork.rs\n"), "{help}");
        assert!(help.contains("Runs on Unix only"), "{help}");
        let help = example_help("prog", &TABLE[3]);
        assert!(help.contains("Usage: prog measure [OPTIONS]\n"), "{help}");
        assert!(help.contains("  --quick  fewer samples\n"), "{help}");
        assert!(help.contains("Source: prog/src/measure/mod.rs\n"), "{help}");
        assert!(help.contains(
            "book/src/measurements.md#the-figures (built: book/book/measurements.html#the-figures)"
        ));
    }

    #[test]
    fn name_dash_help_answers_for_every_example_and_runs_nothing() {
        for example in TABLE {
            for flag in ["--help", "-h"] {
                let args = [example.name.to_owned(), flag.to_owned()];
                // `seed-fork` would exit 77 if it ran.
                assert_eq!(dispatch("prog", "about", TABLE, &args), ExitCode::SUCCESS, "{}", example.name);
            }
        }
    }

    #[test]
    fn options_wrap_at_80_columns_in_one_column() {
        let long = "word ".repeat(30);
        let text = options_text(&[("--a", "short"), ("--long X", long.trim())]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "  --a       short");
        assert!(lines.len() > 2 && lines.iter().all(|line| line.chars().count() <= 80), "{text}");
        assert!(lines[2].starts_with("            word"), "{text}");
    }

    #[test]
    fn closest_name_suggests_only_likely_typos() {
        let names = TABLE.iter().map(|example| example.name);
        assert_eq!(closest_name("sed", names.clone()), Some("seed"));
        assert_eq!(closest_name("seedfork", names.clone()), Some("seed-fork"));
        assert_eq!(closest_name("shared-stat", names.clone()), Some("shared-state"));
        // Nine characters allow three edits (one in three), not just the minimum two.
        assert_eq!(closest_name("shredstat", names.clone()), Some("shared-state"));
        assert_eq!(closest_name("pool-of-workers", names), None);
    }

    #[test]
    fn list_pads_names_to_one_column() {
        assert_eq!(
            list(&TABLE[..3]),
            "seed          the seed program\n\
             seed-fork     the seed program, forked (Unix only)\n\
             shared-state  Arc<Mutex<T>>\n"
        );
    }

    #[test]
    fn an_example_not_on_this_platform_exits_77() {
        let args = ["seed-fork".to_owned()];
        let code = dispatch("prog", "about", TABLE, &args);
        assert_eq!(code, ExitCode::from(NOT_ON_THIS_PLATFORM_EXIT_CODE));
        assert_eq!(dispatch("prog", "about", TABLE, &["seed".to_owned()]), ExitCode::SUCCESS);
    }

    #[test]
    fn unknown_example_message_suggests_and_lists() {
        let message = unknown_example("prog", "sed", TABLE);
        assert!(message.starts_with("error: unknown example 'sed'\ndid you mean 'seed'?\n"));
        for example in TABLE {
            assert!(message.contains(example.name));
        }
    }
}
