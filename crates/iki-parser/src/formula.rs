//! The *rumus* cell as a [`Formula`]: ratio, average, count, or the text itself.
//!
//! ```text
//! formula  = average | ratio | count | text
//! average  = "Jumlah" "(" term *("+" term) ")" divide number [scale]
//! ratio    = ["("] operand divide operand [")"] [scale]
//! count    = "Jumlah" subject                      ; no division
//! divide   = "dibagi" | "/" (before "Jumlah" or between spaces) | ":" | "÷"
//! scale    = ("x" | "X" | "×" | "*" | "dikali" | "kali") number ["%"]
//! ```
//! The text is already plain (LaTeX `\frac{A}{B}` arrives as `A / B`). A slash inside a name
//! ("Instansi/Lembaga", "Bulanan/ Triwulanan") is not a division.

use std::sync::LazyLock;

use nom::branch::alt;
use nom::bytes::complete::{tag, tag_no_case};
use nom::character::complete::{char, space0};
use nom::combinator::opt;
use nom::number::complete::double;
use nom::{IResult, Parser};
use regex::Regex;

use crate::model::Formula;

/// Parse a rumus text into a formula; never fails (falls back to `Text`).
pub fn parse(rumus: &str) -> Formula {
    let (body, scale) = split_scale(rumus.trim());
    let body = strip_outer_parens(body.trim());
    if let Some(formula) = average(body) {
        return formula;
    }
    if let Some((numerator, denominator)) = split_division(body) {
        let (scale, unit) = match scale {
            Some((value, percent)) => (Some(value), percent.then(|| "%".to_string())),
            None => (None, None),
        };
        return Formula::Ratio {
            numerator: strip_outer_parens(numerator).to_string(),
            denominator: strip_outer_parens(denominator).to_string(),
            scale,
            unit,
        };
    }
    if let Some(subject) = count_subject(body) {
        if scale.is_none() {
            return Formula::Count {
                subject: subject.to_string(),
            };
        }
    }
    Formula::Text {
        text: rumus.trim().to_string(),
    }
}

/// Words that open a quantity: the numerator and denominator of a fraction typeset over two
/// lines both start with one ("Jumlah ... / Jumlah ...").
const QUANTITY_WORDS: &[&str] = &[
    "jumlah",
    "total",
    "banyaknya",
    "nilai",
    "realisasi",
    "target",
    "anggaran",
    "luas",
    "volume",
];

/// A rumus cell's lines joined into one text. A fraction typeset over lines — numerator, an
/// optional bar of dashes or underscores, denominator, with the scale ("x 100%") on either
/// line — becomes `numerator / denominator x 100%`; other lines join with a space.
///
/// Without a bar, two lines are a fraction only when neither holds an operator and both
/// open with a quantity word; a rumus merely wrapped over lines stays one phrase.
pub fn join_lines(lines: &[&str]) -> String {
    let lines: Vec<&str> = lines
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .collect();
    let is_bar = |l: &str| l.len() >= 3 && l.chars().all(|c| matches!(c, '-' | '_' | '—' | '–'));
    if let Some(bar) = lines.iter().position(|l| is_bar(l)) {
        if bar > 0 && bar + 1 < lines.len() {
            let numerator = lines[..bar].join(" ");
            let denominator = lines[bar + 1..].join(" ");
            return format!("{numerator} / {denominator}");
        }
    }
    if lines.len() == 2 {
        let opens_quantity = |l: &str| {
            l.split_whitespace()
                .next()
                .is_some_and(|w| QUANTITY_WORDS.contains(&w.to_lowercase().as_str()))
        };
        let has_operator = |l: &str| {
            let lower = l.to_lowercase();
            l.contains(['/', '÷', ':']) || lower.contains("dibagi") || lower.contains(" per ")
        };
        let (a, b) = (lines[0], lines[1]);
        let a_ends_open = a.ends_with([',', '/']) || a.ends_with(" dan") || a.ends_with(" yang");
        if opens_quantity(a)
            && opens_quantity(b)
            && !has_operator(a)
            && !has_operator(b)
            && !a_ends_open
        {
            return format!("{a} / {b}");
        }
    }
    lines.join(" ")
}

/// `scale = op number ["%"]` at the end of the text.
fn scale_suffix(input: &str) -> IResult<&str, (f64, bool)> {
    let (input, (_, _, value, _, percent, _)) = (
        alt((
            tag_no_case("dikali"),
            tag_no_case("kali"),
            tag("x"),
            tag("X"),
            tag("×"),
            tag("*"),
        )),
        space0,
        double,
        space0,
        opt(char('%')),
        space0,
    )
        .parse(input)?;
    Ok((input, (value, percent.is_some())))
}

/// Split "body x 100 %" into ("body", Some((100, true))).
fn split_scale(text: &str) -> (&str, Option<(f64, bool)>) {
    // Try each operator occurrence from the right; the suffix must consume the rest.
    for (i, _) in text.char_indices().rev() {
        let tail = &text[i..];
        // Only an operator can start the suffix (cheap test before the grammar).
        let operator = tail.starts_with(['d', 'D', 'k', 'K', 'x', 'X', '×', '*']);
        if let Some(Ok((rest, scale))) = operator.then(|| scale_suffix(tail)) {
            if rest.trim().is_empty() {
                let before = &text[..i];
                // A word operator must stand alone: "dikali", not the "kali" inside it.
                let glued = before.chars().last().is_some_and(char::is_alphanumeric)
                    && tail.starts_with(char::is_alphabetic);
                if !glued {
                    return (before.trim_end(), Some(scale));
                }
            }
        }
        if text.len() - i > 24 {
            break;
        }
    }
    (text, None)
}

/// Remove one pair of parentheses enclosing the whole text.
fn strip_outer_parens(text: &str) -> &str {
    let t = text.trim();
    if t.starts_with('(') && t.ends_with(')') && closing_paren(t) == Some(t.len() - 1) {
        return t[1..t.len() - 1].trim();
    }
    t
}

/// Byte index of the parenthesis closing the one at index 0.
fn closing_paren(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

static DIVIDE_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\s+dibagi(?:\s+dengan)?\s+").expect("valid regex"));
static DIVIDE_SLASH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*/\s*(?:jumlah|total|banyaknya)\b|\s+[/:÷]\s+").expect("valid regex")
});

/// Split at the division: "dibagi" first, else a slash before "Jumlah" or between spaces.
fn split_division(body: &str) -> Option<(&str, &str)> {
    if let Some(m) = DIVIDE_WORD.find(body) {
        return Some((body[..m.start()].trim(), body[m.end()..].trim()));
    }
    let m = DIVIDE_SLASH.find(body)?;
    let op = body[m.start()..m.end()].find(['/', ':', '÷'])? + m.start();
    let op_len = body[op..].chars().next()?.len_utf8();
    let (a, b) = (body[..op].trim(), body[op + op_len..].trim());
    (!a.is_empty() && !b.is_empty()).then_some((a, b))
}

static AVERAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?is)^(?:jumlah|total)?\s*\((.+)\)\s*(?:dibagi(?:\s+dengan)?|/|:|÷)\s*(\d+(?:[.,]\d+)?)$",
    )
    .expect("valid regex")
});

/// "Jumlah (a+b+c+d) dibagi 4".
fn average(body: &str) -> Option<Formula> {
    let caps = AVERAGE.captures(body)?;
    let inner = caps.get(1)?.as_str();
    if !inner.contains('+') {
        return None;
    }
    let terms: Vec<String> = inner
        .split('+')
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    let divisor = caps.get(2)?.as_str().replace(',', ".").parse().ok()?;
    Some(Formula::Average { terms, divisor })
}

/// The subject of "Jumlah X" (no division anywhere).
fn count_subject(body: &str) -> Option<&str> {
    let (rest, _) = (
        space0::<_, nom::error::Error<&str>>,
        alt((tag_no_case("jumlah"), tag_no_case("banyaknya"))),
    )
        .parse(body)
        .ok()?;
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let subject = rest.trim();
    (!subject.is_empty()).then_some(subject)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fractions_over_lines() {
        assert_eq!(
            join_lines(&["Jumlah desa yang tepat waktu", "Jumlah desa x 100%"]),
            "Jumlah desa yang tepat waktu / Jumlah desa x 100%"
        );
        assert_eq!(
            join_lines(&["Jumlah A yang dipenuhi", "-------------------", "Jumlah A"]),
            "Jumlah A yang dipenuhi / Jumlah A"
        );
        assert_eq!(
            join_lines(&["Jumlah desa dibagi", "jumlah desa x 100 %"]),
            "Jumlah desa dibagi jumlah desa x 100 %"
        );
        assert_eq!(
            join_lines(&["Jumlah Dokumen Hasil Pelaksanaan", "Pimpinan Tinggi"]),
            "Jumlah Dokumen Hasil Pelaksanaan Pimpinan Tinggi"
        );
    }

    fn ratio(n: &str, d: &str, scale: Option<f64>, unit: Option<&str>) -> Formula {
        Formula::Ratio {
            numerator: n.into(),
            denominator: d.into(),
            scale,
            unit: unit.map(Into::into),
        }
    }

    #[test]
    fn known_answers() {
        let cases = [
            (
                "A dibagi B dikali 100%",
                ratio("A", "B", Some(100.0), Some("%")),
            ),
            (
                "Jumlah A dibagi Jumlah B x 100 %",
                ratio("Jumlah A", "Jumlah B", Some(100.0), Some("%")),
            ),
            (
                "(Jumlah A yang terpenuhi/Jumlah B)*100%",
                ratio(
                    "Jumlah A yang terpenuhi",
                    "Jumlah B",
                    Some(100.0),
                    Some("%"),
                ),
            ),
            (
                "(Jumlah A/Jumlah B)x 100",
                ratio("Jumlah A", "Jumlah B", Some(100.0), None),
            ),
            (
                "Jumlah A / Jumlah B x 100%",
                ratio("Jumlah A", "Jumlah B", Some(100.0), Some("%")),
            ),
            (
                "jumlah desa dibagi jumlah desa x100",
                ratio("jumlah desa", "jumlah desa", Some(100.0), None),
            ),
            (
                "(Jumlah Desa/ Kelurahan terfasilitasi dibagi Jumlah Desa/ Kelurahan) dikali 100%",
                ratio(
                    "Jumlah Desa/ Kelurahan terfasilitasi",
                    "Jumlah Desa/ Kelurahan",
                    Some(100.0),
                    Some("%"),
                ),
            ),
            (
                "Jumlah A Instansi/Lembaga dibagi B",
                ratio("Jumlah A Instansi/Lembaga", "B", None, None),
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(parse(input), expected, "{input}");
        }
    }

    #[test]
    fn average_count_text() {
        assert_eq!(
            parse("Jumlah (persentase a+persentase b+c+d) dibagi 4"),
            Formula::Average {
                terms: vec![
                    "persentase a".into(),
                    "persentase b".into(),
                    "c".into(),
                    "d".into()
                ],
                divisor: 4.0
            }
        );
        assert_eq!(
            parse("Jumlah (a + b) / 2 x 100"),
            Formula::Average {
                terms: vec!["a".into(), "b".into()],
                divisor: 2.0
            }
        );
        assert_eq!(
            parse("Jumlah Laporan Keuangan Bulanan/ Triwulanan SKPD"),
            Formula::Count {
                subject: "Laporan Keuangan Bulanan/ Triwulanan SKPD".into()
            }
        );
        assert_eq!(
            parse("Persentase ASN yang menerima SK pensiun"),
            Formula::Text {
                text: "Persentase ASN yang menerima SK pensiun".into()
            }
        );
        assert_eq!(
            parse("Jumlahnya"),
            Formula::Text {
                text: "Jumlahnya".into()
            }
        );
    }
}
