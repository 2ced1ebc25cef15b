//! Progress on stderr, numbers with three significant digits, and aligned tables.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use super::timing::Summary;

/// Progress on stderr: which section of how many, and which item of a section.
pub struct Progress {
    sections: usize,
    current: usize,
    started: Instant,
}

impl Progress {
    /// Progress through `sections` sections.
    pub fn new(sections: usize) -> Progress {
        Progress { sections, current: 0, started: Instant::now() }
    }

    /// Starts the next section: `measure [2 of 6] stack curve`.
    pub fn section(&mut self, what: &str) {
        self.current += 1;
        eprintln!(
            "measure [{} of {}] {what} ({:.1} s so far)",
            self.current,
            self.sections,
            self.started.elapsed().as_secs_f64()
        );
    }

    /// One item of the current section: `measure [2 of 6]   stack 1 MiB (3 of 11)`.
    pub fn item(&self, what: &str, index: usize, count: usize) {
        eprintln!("measure [{} of {}]   {what} ({} of {count})", self.current, self.sections, index + 1);
    }

    /// How long since the start.
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }
}

/// A number with three significant digits, the way the tables print it: `0.0123`, `1.23`,
/// `12.3`, `123`, `12345`.
pub fn number(value: f64) -> String {
    let magnitude = value.abs();
    if !value.is_finite() {
        "n/a".to_owned()
    } else if magnitude >= 100.0 || magnitude == 0.0 {
        format!("{value:.0}")
    } else if magnitude >= 10.0 {
        format!("{value:.1}")
    } else if magnitude >= 1.0 {
        format!("{value:.2}")
    } else {
        // Three significant digits below 1: 0.123, 0.0123, …
        let decimals = (2 - magnitude.log10().floor() as i32).clamp(3, 9) as usize;
        format!("{value:.decimals$}")
    }
}

/// A ratio the way the tables print it: `1.93x`.
pub fn times(ratio: f64) -> String {
    format!("{}x", number(ratio))
}

/// A table with a header row, printed with aligned columns: the first left-aligned, the
/// others right-aligned.
pub struct Table {
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column headings.
    pub fn new(header: &[&str]) -> Table {
        Table { rows: vec![header.iter().map(|cell| cell.to_string()).collect()] }
    }

    /// The table of `rows` under `header`, rendered.
    pub fn of(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
        let mut table = Table::new(header);
        table.rows.extend(rows);
        table.render()
    }

    /// A table of timings against one x: each row the x, then each timing's median and range.
    pub fn timings<const N: usize>(
        header: &[&str],
        rows: impl IntoIterator<Item = (String, [Summary; N])>,
    ) -> String {
        let cells = |(x, timings): (String, [Summary; N])| {
            [x].into_iter().chain(timings.iter().map(Summary::cell)).collect()
        };
        Table::of(header, rows.into_iter().map(cells))
    }

    /// Adds a row.
    pub fn row(&mut self, cells: Vec<String>) -> &mut Table {
        self.rows.push(cells);
        self
    }

    /// The table as text, a line of dashes under the header.
    pub fn render(&self) -> String {
        let columns = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> = (0..columns)
            .map(|column| {
                self.rows
                    .iter()
                    .filter_map(|row| row.get(column))
                    .map(|cell| cell.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = String::new();
        for (index, row) in self.rows.iter().enumerate() {
            let mut line = String::new();
            for (column, cell) in row.iter().enumerate() {
                let width = widths[column];
                let _ = if column == 0 {
                    write!(line, "{cell:<width$}")
                } else {
                    write!(line, "  {cell:>width$}")
                };
            }
            out.push_str("  ");
            out.push_str(line.trim_end());
            out.push('\n');
            if index == 0 {
                let total = widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1);
                out.push_str(&format!("  {}\n", "-".repeat(total)));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_three_significant_digits() {
        let cases =
            [(0.0, "0"), (0.012345, "0.0123"), (1.2345, "1.23"), (12.345, "12.3"), (12345.6, "12346")];
        for (value, printed) in cases {
            assert_eq!(number(value), printed);
        }
    }

    #[test]
    fn tables_align() {
        let mut table = Table::new(&["size", "time, µs"]);
        table.row(vec!["64 KiB".into(), "12.3".into()]).row(vec!["1 MiB".into(), "123".into()]);
        assert_eq!(
            table.render(),
            "  size    time, µs\n  ----------------\n  64 KiB      12.3\n  1 MiB        123\n"
        );
    }
}
