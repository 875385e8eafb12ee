//! Target cells: "100 %", "3 dokumen", "12 bulan", "596 barang", "1.250 orang".
//!
//! ```text
//! target = number [unit]
//! number = digits [("." | ",") digits]     ; "1.250" with a 3-digit group is a thousands separator
//! unit   = the rest of the cell ("%", "dokumen", "laporan")
//! ```

use nom::bytes::complete::take_while1;
use nom::character::complete::space0;
use nom::combinator::{opt, recognize};
use nom::{IResult, Parser};

use crate::model::Target;

fn number(input: &str) -> IResult<&str, &str> {
    recognize((
        take_while1(|c: char| c.is_ascii_digit()),
        opt((
            take_while1(|c: char| c == '.' || c == ','),
            take_while1(|c: char| c.is_ascii_digit()),
        )),
    ))
    .parse(input)
}

/// Parse a target cell; `None` for an empty cell. A cell without a leading number keeps its raw
/// text with no value.
pub fn parse(cell: &str) -> Option<Target> {
    let raw = cell.trim();
    if raw.is_empty() {
        return None;
    }
    let parsed = (number, space0::<&str, nom::error::Error<&str>>).parse(raw);
    let Ok((rest, (num, _))) = parsed else {
        return Some(Target {
            raw: raw.to_string(),
            value: None,
            unit: None,
        });
    };
    let unit = rest.trim();
    Some(Target {
        raw: raw.to_string(),
        value: number_value(num),
        unit: (!unit.is_empty()).then(|| unit.to_string()),
    })
}

/// "1.250" → 1250 (thousands group), "2,5" / "2.5" → 2.5.
fn number_value(num: &str) -> Option<f64> {
    if let Some((int, frac)) = num.split_once(['.', ',']) {
        if frac.len() == 3 && num.starts_with(|c: char| c != '0') && num.contains('.') {
            return format!("{int}{frac}").parse().ok();
        }
        return format!("{int}.{frac}").parse().ok();
    }
    num.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_answers() {
        let cases = [
            ("100 %", Some(100.0), Some("%")),
            ("100%", Some(100.0), Some("%")),
            ("3 dokumen", Some(3.0), Some("dokumen")),
            ("596 barang", Some(596.0), Some("barang")),
            ("2,5 jam", Some(2.5), Some("jam")),
            ("1.250 orang", Some(1250.0), Some("orang")),
            ("12", Some(12.0), None),
            ("Tersedia", None, None),
        ];
        for (cell, value, unit) in cases {
            let t = parse(cell).unwrap();
            assert_eq!(t.raw, cell);
            assert_eq!(t.value, value, "{cell}");
            assert_eq!(t.unit.as_deref(), unit, "{cell}");
        }
        assert!(parse("  ").is_none());
    }
}
