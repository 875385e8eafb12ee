//! Value comparison in the two matching modes (exact and soft).

use serde::Serialize;
use serde_json::Value;

/// How two values are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// JSON value equality; numbers compare numerically (`100` equals `100.0`).
    Exact,
    /// Scalars as text, whitespace collapsed, case folded, trailing `,;.:` trimmed.
    Soft,
}

impl Mode {
    pub const ALL: [Mode; 2] = [Mode::Exact, Mode::Soft];
}

/// Whether `gold` and `pred` match in `mode`.
pub fn values_match(mode: Mode, gold: &Value, pred: &Value) -> bool {
    match mode {
        Mode::Exact => exact_eq(gold, pred),
        Mode::Soft => soft_eq(gold, pred),
    }
}

fn exact_eq(gold: &Value, pred: &Value) -> bool {
    match (gold, pred) {
        (Value::Number(a), Value::Number(b)) => a == b || a.as_f64() == b.as_f64(),
        _ => gold == pred,
    }
}

fn soft_eq(gold: &Value, pred: &Value) -> bool {
    match (scalar_text(gold), scalar_text(pred)) {
        (Some(a), Some(b)) => soft_normalize(&a) == soft_normalize(&b),
        _ => exact_eq(gold, pred),
    }
}

/// The text of a scalar (string, number, bool); `None` for null, arrays and objects.
pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(number_text(n)),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `100.0` and `100` both read "100".
fn number_text(n: &serde_json::Number) -> String {
    match n.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
        _ => n.to_string(),
    }
}

/// Whitespace runs collapsed, lower-cased, trailing punctuation `,;.:` and spaces trimmed.
pub fn soft_normalize(text: &str) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed
        .to_lowercase()
        .trim_end_matches(|c: char| c.is_whitespace() || ",;.:".contains(c))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn exact_compares_numbers_numerically() {
        assert!(values_match(Mode::Exact, &json!(100), &json!(100.0)));
        assert!(!values_match(Mode::Exact, &json!(2023), &json!("2023")));
        assert!(!values_match(Mode::Exact, &json!("Abc"), &json!("abc")));
    }

    #[test]
    fn soft_ignores_case_spacing_and_trailing_punctuation() {
        assert!(values_match(
            Mode::Soft,
            &json!("Sekretaris  Kecamatan;"),
            &json!(" sekretaris kecamatan ")
        ));
        assert!(values_match(Mode::Soft, &json!(2023), &json!("2023")));
        assert!(values_match(Mode::Soft, &json!(true), &json!(true)));
        assert!(!values_match(Mode::Soft, &json!("a b"), &json!("ab")));
    }

    #[test]
    fn odd_types_do_not_panic() {
        assert!(!values_match(Mode::Soft, &json!([1]), &json!("1")));
        assert!(values_match(Mode::Soft, &json!({"a": 1}), &json!({"a": 1})));
    }
}
