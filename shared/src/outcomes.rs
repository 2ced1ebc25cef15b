//! Outcome counts for the nondeterministic examples: `NAME --runs N [--json]`.
//!
//! An example's `--runs` mode runs a small trial of its lesson N times and counts what each
//! trial showed, in an [`Outcomes`] table: rows `(case, outcome, count)`, printed as a table
//! (outcome, count, share of its case) or, with `--json`, as one JSON object:
//!
//! ```json
//! {"example": "race", "runs": 1000, "cpus": 2,
//!  "outcomes": [{"case": "load + store", "outcome": "lost 0", "count": 312}, …],
//!  "figures": {"load + store: least lost": 0, …}}
//! ```
//!
//! Without `--runs` the example runs as the book shows it; the counting lives here and in each
//! example's `outcomes` trial, never in the lesson's file.

use std::io::{self, Read};
use std::process::{Command, Stdio};

use serde_json::{Map, Value, json};

use crate::usage_error;

/// The options of a counted example, as `NAME --help` lists them.
pub const OPTIONS: &[(&str, &str)] = &[
    ("--runs N", "run the example's trial N times and count its outcomes (N > 0)"),
    ("--json", "with --runs: print the counts as one JSON object"),
];

/// The options of an example whose outcome is what it prints: `--runs` runs it with `--raw`.
pub const OPTIONS_WITH_RAW: &[(&str, &str)] = &[
    ("--runs N", "run the example N times and count what it printed (N > 0)"),
    ("--json", "with --runs: print the counts as one JSON object"),
    ("--raw N", "run the example N times, a line `-- run --` after each (what --runs counts)"),
];

/// The options of a counted example that also takes `--bug NAME` (`condvar`).
pub const OPTIONS_WITH_BUG: &[(&str, &str)] = &[
    ("--runs N", "run the example's trial N times and count its outcomes (N > 0)"),
    ("--json", "with --runs: print the counts as one JSON object"),
    (
        "--bug check-outside-lock",
        "with --runs: put the lost wake-up back on purpose (the flag checked before taking the lock)",
    ),
];

/// The line printed after each run in `--raw` mode.
pub const RUN_END: &str = "-- run --";

/// What the command line asked of a counted example.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Request {
    /// `--runs N`: count N trials; `None`: run the example once, as the book shows it.
    pub runs: Option<u64>,
    /// `--json`: print the counts as JSON.
    pub json: bool,
    /// `--raw N`: run the example N times, a [`RUN_END`] line after each.
    pub raw: Option<u64>,
    /// `--bug NAME`: the bug put back on purpose, if the example takes one.
    pub bug: Option<String>,
}

/// Parses the `options` an example takes (of `--runs N`, `--json`, `--raw N`, `--bug NAME`);
/// `--bug` takes one of `bugs`.
pub fn parse(args: &[String], options: &[(&str, &str)], bugs: &[&str]) -> anyhow::Result<Request> {
    let mut request = Request::default();
    let mut args = args.iter();
    let number = |option: &str, value: Option<&String>| -> anyhow::Result<u64> {
        match value.map(|value| value.replace([',', '_'], "").parse::<u64>()) {
            Some(Ok(number)) if number > 0 => Ok(number),
            _ => {
                Err(usage_error!("{option} takes a number above 0, got: {}", value.map_or("nothing", |v| v)))
            }
        }
    };
    while let Some(arg) = args.next() {
        let taken = options.iter().any(|(option, _)| option.split(' ').next() == Some(arg.as_str()));
        match arg.as_str() {
            other if !taken => return Err(usage_error!("unknown option: {other} (see --help)")),
            "--runs" => request.runs = Some(number("--runs", args.next())?),
            "--raw" => request.raw = Some(number("--raw", args.next())?),
            "--json" => request.json = true,
            "--bug" => match args.next() {
                Some(bug) if bugs.contains(&bug.as_str()) => request.bug = Some(bug.clone()),
                other => {
                    return Err(usage_error!(
                        "--bug takes one of {}, got: {}",
                        bugs.join(", "),
                        other.map_or("nothing", |v| v)
                    ));
                }
            },
            other => return Err(usage_error!("unknown option: {other} (see --help)")),
        }
    }
    if request.runs.is_none() && (request.json || request.bug.is_some()) {
        return Err(usage_error!("--json and --bug go with --runs N"));
    }
    if request.runs.is_some() && request.raw.is_some() {
        return Err(usage_error!("--runs and --raw cannot go together"));
    }
    Ok(request)
}

/// A table of outcome counts: rows `(case, outcome, count)` in the order first added.
#[derive(Clone, Debug)]
pub struct Outcomes {
    example: String,
    runs: u64,
    rows: Vec<(String, String, u64)>,
    figures: Vec<(String, u64)>,
    note: Option<String>,
}

impl Outcomes {
    /// An empty table for `runs` trials of `example`.
    pub fn new(example: &str, runs: u64) -> Self {
        Self { example: example.to_owned(), runs, rows: Vec::new(), figures: Vec::new(), note: None }
    }

    /// Declares an outcome, so that it is listed with 0 when no trial showed it.
    pub fn expect(&mut self, case: &str, outcome: &str) {
        self.add(case, outcome, 0);
    }

    /// Adds `count` to the row `(case, outcome)`, making it if needed.
    pub fn add(&mut self, case: &str, outcome: &str, count: u64) {
        match self.rows.iter_mut().find(|(c, o, _)| c == case && o == outcome) {
            Some(row) => row.2 += count,
            None => self.rows.push((case.to_owned(), outcome.to_owned(), count)),
        }
    }

    /// Counts one trial of `case` that showed `outcome`.
    pub fn count(&mut self, case: &str, outcome: &str) {
        self.add(case, outcome, 1);
    }

    /// The count of `(case, outcome)`; 0 if no such row.
    pub fn get(&self, case: &str, outcome: &str) -> u64 {
        self.rows.iter().find(|(c, o, _)| c == case && o == outcome).map_or(0, |row| row.2)
    }

    /// A figure shown under the table: `distinct orders 7`, `median lost 12`.
    pub fn figure(&mut self, name: &str, value: u64) {
        self.figures.push((name.to_owned(), value));
    }

    /// One line said under the table (what the trial is, when the table alone cannot say).
    pub fn note(&mut self, note: &str) {
        self.note = Some(note.to_owned());
    }

    /// Sorts each case's rows by count, largest first, and keeps the `keep` largest of `case`,
    /// summing the others into one row `other_name`.
    pub fn keep_most_common(&mut self, case: &str, keep: usize, other_name: &str) {
        let (mut mine, others): (Vec<_>, Vec<_>) = self.rows.drain(..).partition(|row| row.0 == case);
        mine.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.1.cmp(&b.1)));
        let rest: u64 = mine.iter().skip(keep).map(|row| row.2).sum();
        mine.truncate(keep);
        mine.push((case.to_owned(), other_name.to_owned(), rest));
        self.rows = mine.into_iter().chain(others).collect();
    }

    /// The share of a row: its count over its case's total.
    fn share(&self, case: &str, count: u64) -> f64 {
        let total: u64 = self.rows.iter().filter(|row| row.0 == case).map(|row| row.2).sum();
        if total == 0 { 0.0 } else { 100.0 * count as f64 / total as f64 }
    }

    /// The table as text: a title line, `case  outcome  count  share` rows, the figures.
    pub fn text(&self) -> String {
        let cpus = cpus();
        let mut text = format!("{}: {} runs, {cpus} CPUs\n", self.example, self.runs);
        let case_width = self.rows.iter().map(|row| row.0.chars().count()).max().unwrap_or(0).max(4);
        let outcome_width = self.rows.iter().map(|row| row.1.chars().count()).max().unwrap_or(0).max(7);
        text.push_str(&format!(
            "{:case_width$}  {:outcome_width$}  {:>7}  {:>7}\n",
            "case", "outcome", "count", "share"
        ));
        for (case, outcome, count) in &self.rows {
            let share = self.share(case, *count);
            text.push_str(&format!(
                "{case:case_width$}  {outcome:outcome_width$}  {count:>7}  {share:>6.2}%\n"
            ));
        }
        for (name, value) in &self.figures {
            text.push_str(&format!("{name}: {value}\n"));
        }
        if let Some(note) = &self.note {
            text.push_str(&format!("note: {note}\n"));
        }
        text
    }

    /// The table as one JSON object: `example`, `runs`, `cpus`, `outcomes` (a list of
    /// `{case, outcome, count}`), `figures` (name to number).
    pub fn json(&self) -> Value {
        let outcomes: Vec<Value> = self
            .rows
            .iter()
            .map(|(case, outcome, count)| json!({"case": case, "outcome": outcome, "count": count}))
            .collect();
        let figures: Map<String, Value> =
            self.figures.iter().map(|(name, value)| (name.clone(), json!(value))).collect();
        json!({
            "example": self.example,
            "runs": self.runs,
            "cpus": cpus(),
            "outcomes": outcomes,
            "figures": figures,
        })
    }

    /// Prints the table, as text or (`json`) as JSON.
    pub fn print(&self, json: bool) {
        if json {
            println!("{}", self.json());
        } else {
            print!("{}", self.text());
        }
    }
}

/// The CPUs this process may use (`available_parallelism`), 1 if unknown.
pub fn cpus() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// The median of `values` (the lower of the middle two), 0 if empty.
pub fn median(values: &mut [u64]) -> u64 {
    values.sort_unstable();
    if values.is_empty() { 0 } else { values[(values.len() - 1) / 2] }
}

/// Runs this program's example `name` with `--raw runs`, its stdout a pipe, and returns each
/// run's output (the text before each [`RUN_END`] line): how `--runs` counts an example whose
/// outcome is what it prints.
pub fn raw_runs(name: &str, runs: u64) -> anyhow::Result<Vec<String>> {
    let program = std::env::current_exe()?;
    let mut child = Command::new(&program)
        .args([name, "--raw", &runs.to_string()])
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|error| anyhow::anyhow!("starting {} {name} --raw: {error}", program.display()))?;
    let mut printed = String::new();
    let read = child.stdout.take().expect("stdout is piped").read_to_string(&mut printed);
    let status = child.wait()?;
    read?;
    anyhow::ensure!(status.success(), "{name} --raw {runs}: {status}");
    let mut outputs = Vec::new();
    let mut current = String::new();
    for line in printed.split_inclusive('\n') {
        if line.trim_end() == RUN_END {
            outputs.push(std::mem::take(&mut current));
        } else {
            current.push_str(line);
        }
    }
    anyhow::ensure!(outputs.len() as u64 == runs, "{name} --raw {runs}: {} runs ended", outputs.len());
    Ok(outputs)
}

/// Runs `run` `runs` times, a [`RUN_END`] line after each: the `--raw` mode.
pub fn print_raw(runs: u64, run: impl Fn() -> anyhow::Result<()>) -> anyhow::Result<()> {
    use std::io::Write;
    for _ in 0..runs {
        run()?;
        let mut stdout = io::stdout().lock();
        writeln!(stdout, "{RUN_END}")?;
        stdout.flush()?;
    }
    Ok(())
}

/// Counts the seed program's runs (threads or processes): the order of its `Number:` (N) and
/// `Letter:` (L) lines, the five most common of them, whether each task kept its own order,
/// and whether `Done!` came last.
pub fn seed_orders(example: &str, outputs: &[String]) -> Outcomes {
    let mut table = Outcomes::new(example, outputs.len() as u64);
    let mut orders = std::collections::BTreeSet::new();
    for output in outputs {
        let lines: Vec<&str> = output.lines().collect();
        let order: String = lines
            .iter()
            .filter_map(|line| match line {
                _ if line.starts_with("Number:") => Some('N'),
                _ if line.starts_with("Letter:") => Some('L'),
                _ => None,
            })
            .collect();
        orders.insert(order.clone());
        table.count("order", &order);
        let numbers: Vec<&str> = lines.iter().filter_map(|line| line.strip_prefix("Number:")).collect();
        let letters: Vec<&str> = lines.iter().filter_map(|line| line.strip_prefix("Letter:")).collect();
        let kept = numbers.iter().map(|n| n.trim()).eq(["0", "1", "2", "3", "4"])
            && letters.iter().map(|l| l.trim()).eq(["A", "B", "C", "D", "E"]);
        table.expect("each task's own order", "kept");
        table.count("each task's own order", if kept { "kept" } else { "broken" });
        table.expect("Done!", "last");
        table.count("Done!", if lines.last() == Some(&"Done!") { "last" } else { "not last" });
    }
    table.keep_most_common("order", 5, "any other order");
    table.figure("distinct orders of N and L", orders.len() as u64);
    table.note("N: a `Number:` line, L: a `Letter:` line, in the order printed");
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn parses_runs_json_raw_and_bug() {
        assert_eq!(parse(&[], OPTIONS, &[]).unwrap(), Request::default());
        let request = parse(&args("--runs 10,000 --json"), OPTIONS, &[]).unwrap();
        assert_eq!((request.runs, request.json), (Some(10_000), true));
        assert_eq!(parse(&args("--raw 3"), OPTIONS_WITH_RAW, &[]).unwrap().raw, Some(3));
        assert!(parse(&args("--raw 3"), OPTIONS, &[]).is_err());
        let bugs = ["check-outside-lock"];
        let request = parse(&args("--runs 5 --bug check-outside-lock"), OPTIONS_WITH_BUG, &bugs).unwrap();
        assert_eq!(request.bug.as_deref(), Some("check-outside-lock"));
        for bad in ["--runs 0", "--runs", "--json", "--bug x", "--runs 2 --raw 2", "--what"] {
            let all = [OPTIONS_WITH_RAW, OPTIONS_WITH_BUG].concat();
            assert!(parse(&args(bad), &all, &bugs).is_err(), "{bad}");
        }
    }

    #[test]
    fn counts_shares_and_json() {
        let mut outcomes = Outcomes::new("demo", 4);
        outcomes.expect("case", "never");
        outcomes.count("case", "often");
        outcomes.add("case", "often", 2);
        outcomes.count("case", "once");
        assert_eq!(outcomes.get("case", "often"), 3);
        let text = outcomes.text();
        assert!(text.contains("often") && text.contains(" 75.00%") && text.contains("  0.00%"), "{text}");
        let json = outcomes.json();
        assert_eq!(json["runs"], 4);
        assert_eq!(json["outcomes"][1]["count"], 3);
        outcomes.keep_most_common("case", 1, "others");
        assert_eq!(outcomes.get("case", "others"), 1);
    }

    #[test]
    fn median_is_the_lower_middle() {
        assert_eq!(median(&mut [5, 1, 3]), 3);
        assert_eq!(median(&mut [4, 1, 3, 2]), 2);
        assert_eq!(median(&mut []), 0);
    }
}
