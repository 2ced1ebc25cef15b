//! A tiny JSON writer: the `measure` commands print one object, and nothing here needs more
//! than building a tree and printing it. (No serde: the output is a dozen keys, and a writer
//! this size keeps the default build free of a derive macro's compile time.)

use std::fmt::{self, Write};

/// A JSON value. Objects keep their keys in the order they were added.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number; printed with at most 6 significant digits, `null` if not finite.
    Number(f64),
    /// A string, escaped on output.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object: `(key, value)` pairs in order.
    Object(Vec<(String, Json)>),
}

impl Json {
    /// An object from `(key, value)` pairs.
    pub fn object<K: Into<String>>(pairs: impl IntoIterator<Item = (K, Json)>) -> Json {
        Json::Object(pairs.into_iter().map(|(key, value)| (key.into(), value)).collect())
    }

    /// An array of values.
    pub fn array(values: impl IntoIterator<Item = Json>) -> Json {
        Json::Array(values.into_iter().collect())
    }

    /// The value under `key`, if this is an object that has it.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(pairs) => pairs.iter().find(|(name, _)| name == key).map(|(_, value)| value),
            _ => None,
        }
    }

    /// Prints the value on one line, without spaces after `:` and `,`.
    pub fn to_compact(&self) -> String {
        let mut out = String::new();
        self.write_compact(&mut out);
        out
    }

    fn write_compact(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(value) => out.push_str(if *value { "true" } else { "false" }),
            Json::Number(value) => write_number(out, *value),
            Json::String(text) => write_string(out, text),
            Json::Array(values) => {
                out.push('[');
                for (index, value) in values.iter().enumerate() {
                    if index > 0 {
                        out.push_str(", ");
                    }
                    value.write_compact(out);
                }
                out.push(']');
            }
            Json::Object(pairs) => {
                out.push('{');
                for (index, (key, value)) in pairs.iter().enumerate() {
                    if index > 0 {
                        out.push_str(", ");
                    }
                    write_string(out, key);
                    out.push_str(": ");
                    value.write_compact(out);
                }
                out.push('}');
            }
        }
    }

    /// Prints the value indented by two spaces per level; anything that fits in 120
    /// characters (a row of a table, a median with its range) stays on one line.
    pub fn to_pretty(&self) -> String {
        let mut out = String::new();
        self.write_pretty(&mut out, 0);
        out
    }

    fn write_pretty(&self, out: &mut String, depth: usize) {
        let compact = self.to_compact();
        let is_container = matches!(self, Json::Array(_) | Json::Object(_));
        if !is_container || depth * 2 + compact.len() <= 120 {
            out.push_str(&compact);
            return;
        }
        let inner = "  ".repeat(depth + 1);
        let (open, close) = if matches!(self, Json::Array(_)) { ('[', ']') } else { ('{', '}') };
        out.push(open);
        out.push('\n');
        let mut first = true;
        let mut item = |out: &mut String, key: Option<&str>, value: &Json| {
            if !first {
                out.push_str(",\n");
            }
            first = false;
            out.push_str(&inner);
            if let Some(key) = key {
                write_string(out, key);
                out.push_str(": ");
            }
            value.write_pretty(out, depth + 1);
        };
        match self {
            Json::Array(values) => values.iter().for_each(|value| item(out, None, value)),
            Json::Object(pairs) => pairs.iter().for_each(|(key, value)| item(out, Some(key), value)),
            _ => unreachable!("only containers get here"),
        }
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
        out.push(close);
    }
}

impl fmt::Display for Json {
    /// The pretty form, as `measure --json` prints it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_pretty())
    }
}

/// A number with at most 6 significant digits (measurements have fewer), no exponent.
fn write_number(out: &mut String, value: f64) {
    if !value.is_finite() {
        out.push_str("null");
        return;
    }
    // Round through scientific notation, then let `Display` print the shortest exact form.
    let rounded: f64 = format!("{value:.5e}").parse().expect("a formatted f64 parses back");
    let rounded = if rounded == 0.0 { 0.0 } else { rounded }; // No "-0".
    write!(out, "{rounded}").expect("writing to a String cannot fail");
}

fn write_string(out: &mut String, text: &str) {
    out.push('"');
    for character in text.chars() {
        match character {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            control if u32::from(control) < 0x20 => {
                write!(out, "\\u{:04x}", u32::from(control)).expect("writing to a String cannot fail")
            }
            other => out.push(other),
        }
    }
    out.push('"');
}

impl From<f64> for Json {
    fn from(value: f64) -> Json {
        Json::Number(value)
    }
}

impl From<usize> for Json {
    fn from(value: usize) -> Json {
        Json::Number(value as f64)
    }
}

impl From<u64> for Json {
    fn from(value: u64) -> Json {
        Json::Number(value as f64)
    }
}

impl From<bool> for Json {
    fn from(value: bool) -> Json {
        Json::Bool(value)
    }
}

impl From<&str> for Json {
    fn from(value: &str) -> Json {
        Json::String(value.to_owned())
    }
}

impl From<String> for Json {
    fn from(value: String) -> Json {
        Json::String(value)
    }
}

impl<T: Into<Json>> From<Option<T>> for Json {
    fn from(value: Option<T>) -> Json {
        value.map_or(Json::Null, Into::into)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_finite() {
        let cases = [(64.0, "64"), (23.456789, "23.4568"), (0.999873, "0.999873"), (1e-9, "0.000000001")];
        for (value, printed) in cases {
            assert_eq!(Json::from(value).to_compact(), printed);
        }
        assert_eq!(Json::from(f64::NAN).to_compact(), "null");
        assert_eq!(Json::from(-0.0).to_compact(), "0");
    }

    #[test]
    fn strings_are_escaped() {
        assert_eq!(Json::from("a\"b\\c\nd\u{1}").to_compact(), r#""a\"b\\c\nd\u0001""#);
    }

    #[test]
    fn small_containers_stay_on_one_line() {
        let row = Json::object([("workers", Json::from(2usize)), ("speedup", Json::from(1.9))]);
        let long = Json::array((0..30).map(|_| row.clone()));
        let report = Json::object([("row", row.clone()), ("rows", long)]);
        let pretty = report.to_pretty();
        assert!(
            pretty.starts_with("{\n  \"row\": {\"workers\": 2, \"speedup\": 1.9},\n  \"rows\": [\n    {")
        );
        assert!(pretty.ends_with("\n  ]\n}"));
        assert_eq!(report.get("row"), Some(&row));
    }
}
