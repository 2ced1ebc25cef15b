//! The report as JSON, numbers to 6 significant digits (measurements have fewer), or as text:
//! the same keys to three digits under their headings, so that no figure has text code of its own.

use serde_json::{Map, Value};

/// `value` as `measure --json` prints it.
pub fn to_pretty(value: &Value) -> String {
    serde_json::to_string_pretty(&rounded(value)).expect("a Value with string keys serialises")
}

fn rounded(value: &Value) -> Value {
    match value {
        Value::Number(number) if number.is_f64() => {
            // Round through scientific notation; `serde_json` then prints the shortest form, and
            // `null` for a figure that is not finite.
            let rounded: f64 = format!("{:.5e}", number.as_f64().unwrap_or(f64::NAN)).parse().unwrap();
            let whole = rounded.fract() == 0.0 && rounded.abs() < 1e15; // Printed without `.0`, -0 as 0.
            if whole { Value::from(rounded as i64) } else { Value::from(rounded) }
        }
        Value::Array(values) => values.iter().map(rounded).collect(),
        Value::Object(pairs) => pairs.iter().map(|(key, value)| (key.clone(), rounded(value))).collect(),
        other => other.clone(),
    }
}

/// A number to three significant digits, as the tables print it: `0.0123`, `1.23`, `123`, `12345`.
pub fn number(value: f64) -> String {
    if !value.is_finite() {
        return "n/a".to_owned();
    }
    // No decimals from 100 up, 1 from 10, 2 from 1, 3 from 0.1, 4 from 0.01, … (at most 9).
    let decimals = if value == 0.0 { 0 } else { (2 - value.abs().log10().floor() as i32).clamp(0, 9) };
    format!("{value:.*}", decimals as usize)
}

/// A table, its first row the header, underlined; the first column left-aligned, the others right.
pub fn table(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let width =
        |column: usize| rows.iter().filter_map(|row| row.get(column)).map(|cell| cell.chars().count()).max();
    let widths: Vec<usize> = (0..columns).map(|column| width(column).unwrap_or(0)).collect();
    let mut out = String::new();
    for (index, row) in rows.iter().enumerate() {
        let mut line = String::new();
        for (column, (cell, width)) in row.iter().zip(&widths).enumerate() {
            line += &if column == 0 { format!("{cell:<width$}") } else { format!("  {cell:>width$}") };
        }
        out += &format!("  {}\n", line.trim_end());
        if index == 0 {
            out += &format!("  {}\n", "-".repeat(line.chars().count()));
        }
    }
    out
}

/// The text of a report: each key of `report`, after its heading in `headings` (`(key, heading)`)
/// if it has one; a summary as its median and range, a list of objects as a table.
pub fn text(report: &Map<String, Value>, headings: &[(String, String)]) -> String {
    let mut out = String::new();
    for (key, value) in report {
        if let Some((_, heading)) = headings.iter().find(|(name, _)| name == key) {
            out += &format!("\n{heading}\n");
        }
        entry(&mut out, 1, key, value);
    }
    out
}

fn entry(out: &mut String, depth: usize, key: &str, value: &Value) {
    let indent = "  ".repeat(depth);
    match value {
        Value::Array(rows) if rows.iter().all(Value::is_object) && !rows.is_empty() => {
            let header = Vec::from_iter(rows[0].as_object().into_iter().flat_map(Map::keys).cloned());
            let mut table = vec![header.clone()];
            table.extend(rows.iter().map(|row| header.iter().map(|column| cell(&row[column])).collect()));
            *out += &format!("{indent}{key}:\n");
            self::table(&table).lines().for_each(|line| *out += &format!("{indent}{line}\n"));
        }
        Value::Object(fields) if !is_summary(value) && !fields.contains_key("skipped") => {
            *out += &format!("{indent}{key}:\n");
            fields.iter().for_each(|(key, value)| entry(out, depth + 1, key, value));
        }
        _ => *out += &format!("{indent}{key}: {}\n", cell(value)),
    }
}

fn is_summary(value: &Value) -> bool {
    value.get("median").is_some() && value.get("samples").is_some()
}

/// One value as a line or a table shows it: `31.2 (28.9–55.0)` for a summary, a whole number as it is.
fn cell(value: &Value) -> String {
    let figure = |key: &str| number(value[key].as_f64().unwrap_or(f64::NAN));
    match value {
        _ if is_summary(value) => format!("{} ({}–{})", figure("median"), figure("min"), figure("max")),
        Value::Object(fields) if fields.contains_key("skipped") => match cell(&value["skipped"]) {
            reason if reason.starts_with("skipped") => reason,
            reason => format!("skipped ({reason})"),
        },
        Value::Number(figure) if figure.is_f64() => number(figure.as_f64().unwrap_or(f64::NAN)),
        Value::String(text) => text.clone(),
        Value::Array(values) => values.iter().map(cell).collect::<Vec<_>>().join(" "),
        Value::Null => "n/a".to_owned(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn json_numbers_are_short_and_finite_and_keys_keep_their_order() {
        let cases = [(64.0, "64"), (23.456789, "23.4568"), (0.999873, "0.999873"), (1e-9, "1e-9")];
        for (value, printed) in cases {
            assert_eq!(to_pretty(&json!(value)), printed);
        }
        assert_eq!(to_pretty(&json!(f64::NAN)), "null");
        assert_eq!(to_pretty(&json!(-0.0)), "0");
        assert_eq!(to_pretty(&json!(u64::MAX)), u64::MAX.to_string(), "integers are kept as they are");
        let report = json!({"date": "2026-11-28", "machine": {"cpus": 2}, "mode": "quick"});
        assert_eq!(
            to_pretty(&report),
            "{\n  \"date\": \"2026-11-28\",\n  \"machine\": {\n    \"cpus\": 2\n  },\n  \"mode\": \"quick\"\n}"
        );
    }

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
        let rows = [["size", "time, µs"], ["64 KiB", "12.3"], ["1 MiB", "123"]];
        assert_eq!(
            table(&rows.map(|row| row.map(String::from).to_vec())),
            "  size    time, µs\n  ----------------\n  64 KiB      12.3\n  1 MiB        123\n"
        );
    }

    #[test]
    fn the_text_reads_out_the_keys() {
        let report = json!({
            "spawn_us": {"median": 2.0, "p10": 1.0, "p90": 3.0, "min": 1.0, "max": 3.0, "samples": 5},
            "rows": [{"workers": 1, "speedup": 0.5}],
            "python": {"skipped": "no python3"},
        });
        let headings = [("rows".to_owned(), "Speedup".to_owned())];
        assert_eq!(
            text(report.as_object().unwrap(), &headings),
            "  spawn_us: 2.00 (1.00–3.00)\n\nSpeedup\n  rows:\n    workers  speedup\n    ----------------\n    1          0.500\n  python: skipped (no python3)\n"
        );
    }
}
