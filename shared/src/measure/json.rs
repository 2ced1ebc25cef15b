//! The JSON report: built with `serde_json`'s `json!`, printed pretty, with every number
//! rounded to 6 significant digits (measurements have fewer) and a whole number printed
//! without `.0`. A figure that is not finite is `null` (`serde_json` does that).

use serde_json::Value;

/// `value` as `measure --json` prints it.
pub fn to_pretty(value: &Value) -> String {
    serde_json::to_string_pretty(&rounded(value)).expect("a Value with string keys serialises")
}

fn rounded(value: &Value) -> Value {
    match value {
        Value::Number(number) if number.is_f64() => number.as_f64().map_or(Value::Null, round),
        Value::Array(values) => values.iter().map(rounded).collect(),
        Value::Object(pairs) => pairs.iter().map(|(key, value)| (key.clone(), rounded(value))).collect(),
        other => other.clone(),
    }
}

fn round(value: f64) -> Value {
    // Round through scientific notation; `serde_json` then prints the shortest exact form.
    let rounded: f64 = format!("{value:.5e}").parse().expect("a formatted f64 parses back");
    if rounded.fract() == 0.0 && rounded.abs() < 1e15 {
        Value::from(rounded as i64) // Also turns -0 into 0.
    } else {
        Value::from(rounded)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn numbers_are_short_and_finite() {
        let cases = [(64.0, "64"), (23.456789, "23.4568"), (0.999873, "0.999873"), (1e-9, "1e-9")];
        for (value, printed) in cases {
            assert_eq!(to_pretty(&json!(value)), printed);
        }
        assert_eq!(to_pretty(&json!(f64::NAN)), "null");
        assert_eq!(to_pretty(&json!(-0.0)), "0");
        assert_eq!(to_pretty(&json!(u64::MAX)), u64::MAX.to_string(), "integers are kept as they are");
    }

    #[test]
    fn keys_keep_their_order() {
        let report = json!({"date": "2026-11-28", "machine": {"cpus": 2}, "mode": "quick"});
        let pretty = to_pretty(&report);
        assert_eq!(
            pretty,
            "{\n  \"date\": \"2026-11-28\",\n  \"machine\": {\n    \"cpus\": 2\n  },\n  \"mode\": \"quick\"\n}"
        );
    }
}
