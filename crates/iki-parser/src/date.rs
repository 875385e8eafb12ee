//! Place-and-date lines of signature blocks: "Lumajang, 02 Februari 2023".
//!
//! ```text
//! date_line = place "," day month year
//! place     = letters and spaces (e.g. "Lumajang", "Kota Malang")
//! day       = 1*2 digit          (OCR "O" read as 0)
//! month     = Indonesian or English month name, any case, old spellings ("Pebruari"), OCR slips
//! year      = 4 digit
//! ```

use nom::bytes::complete::{take_while1, take_while_m_n};
use nom::character::complete::{char, space0, space1};
use nom::combinator::opt;
use nom::{IResult, Parser};

use crate::nip::valid_date;
use crate::vocab::{close, similar};

/// A parsed place-and-date line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceDate {
    pub place: Option<String>,
    /// ISO "YYYY-MM-DD"; `None` when the day was left blank to be written by hand
    /// ("Lumajang,      Januari 2023").
    pub date: Option<String>,
}

const MONTHS: &[(&str, u32)] = &[
    ("januari", 1),
    ("january", 1),
    ("februari", 2),
    ("pebruari", 2),
    ("february", 2),
    ("maret", 3),
    ("march", 3),
    ("april", 4),
    ("mei", 5),
    ("may", 5),
    ("juni", 6),
    ("june", 6),
    ("juli", 7),
    ("july", 7),
    ("agustus", 8),
    ("august", 8),
    ("september", 9),
    ("oktober", 10),
    ("october", 10),
    ("november", 11),
    ("nopember", 11),
    ("desember", 12),
    ("december", 12),
];

/// Month number of a (possibly misspelt) month name.
pub fn month(word: &str) -> Option<u32> {
    let w: String = word
        .to_lowercase()
        .chars()
        .map(|c| if c == '0' { 'o' } else { c })
        .filter(|c| c.is_alphabetic())
        .collect();
    if w.len() < 3 {
        return None;
    }
    if let Some(&(_, m)) = MONTHS.iter().find(|(name, _)| *name == w) {
        return Some(m);
    }
    // The most similar name, of those within the threshold (cheap to rule out).
    let (best, score) = MONTHS
        .iter()
        .filter(|(name, _)| close(&w, name, 0.7))
        .map(|&(name, m)| (m, similar(&w, name)))
        .fold((0, 0.0), |acc, x| if x.1 > acc.1 { x } else { acc });
    (score >= 0.7).then_some(best)
}

fn digits_ocr(input: &str) -> IResult<&str, &str> {
    take_while_m_n(1, 2, |c: char| c.is_ascii_digit() || c == 'O' || c == 'o').parse(input)
}

fn year(input: &str) -> IResult<&str, &str> {
    take_while_m_n(4, 4, |c: char| c.is_ascii_digit()).parse(input)
}

fn month_word(input: &str) -> IResult<&str, &str> {
    take_while1(|c: char| c.is_alphanumeric()).parse(input)
}

/// `day month year` with the month as a word (or two pieces of one, "Janua ri").
fn day_month_year(input: &str) -> IResult<&str, (&str, String, &str)> {
    let (input, (day, _)) = (digits_ocr, space1).parse(input)?;
    if let Ok((rest, (month, _, year))) = (month_word, space1, year).parse(input) {
        return Ok((rest, (day, month.to_string(), year)));
    }
    let (rest, (a, _, b, _, year)) = (month_word, space1, month_word, space1, year).parse(input)?;
    Ok((rest, (day, format!("{a}{b}"), year)))
}

/// `place ","` before the date.
fn place(input: &str) -> IResult<&str, &str> {
    let (input, (place, _, _, _)) = (
        take_while1(|c: char| c.is_alphabetic() || c == ' ' || c == '.' || c == '-'),
        space0,
        char(','),
        space0,
    )
        .parse(input)?;
    Ok((input, place))
}

/// Parse a place-and-date line; `None` when the line is something else.
pub fn parse_date_line(line: &str) -> Option<PlaceDate> {
    let line = line.trim();
    let (rest, place) = opt(place).parse(line).ok()?;
    let place = place
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty());
    if let Ok((rest, (day, month_name, year))) = day_month_year(rest) {
        // Allow only trailing punctuation after the year.
        if rest.trim().chars().any(char::is_alphanumeric) {
            return None;
        }
        let d: u32 = day.replace(['O', 'o'], "0").parse().ok()?;
        let m = month(&month_name)?;
        let y: u32 = year.parse().ok()?;
        if !valid_date(y, m, d) {
            return None;
        }
        return Some(PlaceDate {
            place,
            date: Some(format!("{y:04}-{m:02}-{d:02}")),
        });
    }
    // "Lumajang,      Januari 2023", "Lumajang, ....... 2023": the day (and month) left
    // blank, dotted or not, for hand writing; only with a place, so that a "Januari 2023"
    // inside text is not taken for a date line.
    let filled = rest.trim_start_matches(|c: char| c.is_whitespace() || "._…-".contains(c));
    let blanked = filled.len() < rest.trim_start().len();
    if place.is_some() && blanked {
        let year_only = filled.trim_end_matches(['.', ',']);
        if year_only.len() == 4 && year_only.bytes().all(|b| b.is_ascii_digit()) {
            return Some(PlaceDate { place, date: None });
        }
    }
    let (rest, (month_name, _, year)) = (month_word, space1, year).parse(filled).ok()?;
    if place.is_none() || rest.trim().chars().any(char::is_alphanumeric) {
        return None;
    }
    month(month_name)?;
    year.parse::<u32>().ok()?;
    Some(PlaceDate { place, date: None })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_days_and_months_for_hand_writing() {
        for line in [
            "Sumberwaru, ............ 2023",
            "Sumberwaru, ........ Januari 2023",
            "Sumberwaru,      Januari 2023",
        ] {
            let pd = parse_date_line(line).expect(line);
            assert_eq!(pd.place.as_deref(), Some("Sumberwaru"), "{line}");
            assert_eq!(pd.date, None, "{line}");
        }
        assert!(parse_date_line("............ 2023").is_none());
        assert!(parse_date_line("Target tahun 2023").is_none());
    }

    #[test]
    fn known_answers() {
        let cases = [
            ("Lumajang, 02 Februari 2023", Some("Lumajang"), "2023-02-02"),
            ("Lumajang, 12 OKTOBER 2023", Some("Lumajang"), "2023-10-12"),
            ("Lumajang,  5 Pebruari 2024", Some("Lumajang"), "2024-02-05"),
            ("Kota Batu, 1 0ktober 2022", Some("Kota Batu"), "2022-10-01"),
            ("10 Januari 2024", None, "2024-01-10"),
            ("Malang, 3O Nopember 2021", Some("Malang"), "2021-11-30"),
            ("Lumajang, 10 Janua ri 2024", Some("Lumajang"), "2024-01-10"),
            ("Lumajang, 10 Jannari 2024", Some("Lumajang"), "2024-01-10"),
        ];
        for (line, place, date) in cases {
            let pd = parse_date_line(line).unwrap_or_else(|| panic!("{line}"));
            assert_eq!(pd.place.as_deref(), place, "{line}");
            assert_eq!(pd.date.as_deref(), Some(date), "{line}");
        }
        assert!(parse_date_line("Jabatan : Kepala").is_none());
        let blank_day = parse_date_line("Lumajang,        Januari 2023").unwrap();
        assert_eq!(
            (blank_day.place.as_deref(), blank_day.date),
            (Some("Lumajang"), None)
        );
        assert!(parse_date_line("Januari 2023").is_none());
        assert!(parse_date_line("Lumajang, 31 Februari 2023").is_none());
        assert!(parse_date_line("NIP. 19690303 199303 1 009").is_none());
    }
}
