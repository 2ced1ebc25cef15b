//! `--runs N`: the process examples whose outcome is what they print, run N times in a child
//! (this program with `NAME --raw N`, its stdout a pipe) and counted: `seed` (the orders of
//! its lines) and `double-print` (how often each line came out). The lessons stay whole in
//! `src/examples/`; the table of counts is `shared::outcomes`.

use shared::outcomes::{self, OPTIONS_WITH_RAW, Outcomes};

use crate::examples::{double_print, seed};

/// `seed [--runs N [--json] | --raw N]`.
pub fn seed(args: &[String]) -> anyhow::Result<()> {
    let request = outcomes::parse(args, OPTIONS_WITH_RAW, &[])?;
    if let Some(raw) = request.raw {
        return outcomes::print_raw(raw, seed::run);
    }
    let Some(runs) = request.runs else { return seed::run() };
    let outputs = outcomes::raw_runs("seed", runs)?;
    outcomes::seed_orders("seed", &outputs).print(request.json);
    Ok(())
}

/// Counts, in each run of `double-print`, how often its unflushed and its flushed text came
/// out.
pub fn count_double_print(outputs: &[String]) -> Outcomes {
    let mut table = Outcomes::new("double-print", outputs.len() as u64);
    let cases = [
        ("no flush before fork", "unflushed text;"),
        ("flush before fork", "flushed text;"),
    ];
    for (case, _) in cases {
        for outcome in ["printed once", "printed twice", "printed 0 or 3+ times"] {
            table.expect(case, outcome);
        }
    }
    for output in outputs {
        let words: Vec<&str> = output.split_whitespace().collect();
        for (case, text) in cases {
            let first = text.split(' ').next().expect("a first word");
            let times = words
                .windows(2)
                .filter(|pair| pair[0] == first && pair[1] == "text;")
                .count();
            let outcome = match times {
                1 => "printed once",
                2 => "printed twice",
                _ => "printed 0 or 3+ times",
            };
            table.count(case, outcome);
        }
    }
    table.note("stdout is a pipe here, as with `| cat` or `> file`");
    table
}

/// `double-print [--runs N [--json] | --raw N]` (Unix: it forks).
pub fn double_print(args: &[String]) -> anyhow::Result<()> {
    if cfg!(not(unix)) {
        return double_print::run(); // Explains why it cannot run here.
    }
    let request = outcomes::parse(args, OPTIONS_WITH_RAW, &[])?;
    if let Some(raw) = request.raw {
        return outcomes::print_raw(raw, double_print::run);
    }
    let Some(runs) = request.runs else { return double_print::run() };
    count_double_print(&outcomes::raw_runs("double-print", runs)?)
        .print(request.json);
    Ok(())
}
