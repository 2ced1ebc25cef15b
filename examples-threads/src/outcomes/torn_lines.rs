//! `torn-lines --runs N`: the example run N times in a child, its lines counted: whole or
//! torn, for `println!`, for `print!` in pieces, and blocks under `stdout().lock()`.

use shared::outcomes::{self, OPTIONS_WITH_RAW, Outcomes};

use crate::examples::torn_lines;

/// Whether `line` is one a thread of the example writes whole in section `section`.
fn whole(section: usize, line: &str) -> bool {
    let Some(rest) =
        line.strip_prefix("numbers ").or_else(|| line.strip_prefix("letters "))
    else {
        return false;
    };
    let number =
        |text: &str| !text.is_empty() && text.chars().all(|c| c.is_ascii_digit());
    let (start, end) = match section {
        1 => ("thread: line ", ", whole"),
        2 => ("thread: line ", ", in pieces"),
        _ => ("block: line ", ""),
    };
    let Some(middle) = rest.strip_prefix(start) else { return false };
    match section {
        1 => middle
            .strip_suffix(end)
            .and_then(|m| m.split_once(" of "))
            .is_some_and(|(a, b)| number(a) && number(b)),
        2 => middle.strip_suffix(end).is_some_and(number),
        _ => middle.split_once(" of ").is_some_and(|(a, b)| number(a) && number(b)),
    }
}

/// Counts the lines of `outputs`, one per run of the example.
pub fn count(outputs: &[String]) -> Outcomes {
    let mut table = Outcomes::new("torn-lines", outputs.len() as u64);
    let cases = ["println!", "print! in pieces", "stdout().lock() block"];
    for case in &cases[..2] {
        table.expect(case, "whole line");
        table.expect(case, "torn line");
    }
    table.expect(cases[2], "whole block");
    table.expect(cases[2], "mixed block");
    for output in outputs {
        let mut section = 0;
        let mut block: Vec<&str> = Vec::new();
        for line in output.lines() {
            if line.starts_with("== ") && line.ends_with(" ==") {
                section += 1;
                continue;
            }
            match section {
                1 | 2 => table.count(
                    cases[section - 1],
                    if whole(section, line) { "whole line" } else { "torn line" },
                ),
                3 => block.push(line),
                _ => {}
            }
        }
        // The lock section: blocks of 5 lines, each all one thread's, in its order.
        for lines in block.chunks(5) {
            let one_thread =
                lines.iter().all(|line| whole(3, line) && line[..7] == lines[0][..7]);
            table.count(
                cases[2],
                if one_thread && lines.len() == 5 {
                    "whole block"
                } else {
                    "mixed block"
                },
            );
        }
    }
    table.note("counted per line (per block of 5 lines for the lock); a tear can make 2 lines of 1");
    table
}

/// `torn-lines [--runs N [--json] | --raw N]`.
pub fn run(args: &[String]) -> anyhow::Result<()> {
    let request = outcomes::parse(args, OPTIONS_WITH_RAW, &[])?;
    if let Some(raw) = request.raw {
        return outcomes::print_raw(raw, torn_lines::main);
    }
    let Some(runs) = request.runs else { return torn_lines::main() };
    count(&outcomes::raw_runs("torn-lines", runs)?).print(request.json);
    Ok(())
}
