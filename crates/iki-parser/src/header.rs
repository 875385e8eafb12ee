//! Header fields of a form: the title block ("INDIKATOR KINERJA INDIVIDU (IKI) TAHUN 2023" and
//! the heading under it), labelled fields ("Jabatan : ... (Eselon III)"), the letterhead.
//!
//! ```text
//! label_line = [bullet] [field_no] label ["."] [":" value]    ; value may be empty
//! field_no   = digits ("." | ")") | roman "."                 ; "1.", "2)", "IV."
//! label      = 1*4 words matching the label vocabulary up to OCR noise
//! eselon     = ["("] "Eselon" ["."] roman ["." letter] [")"]
//! ```

use std::sync::LazyLock;

use nom::bytes::complete::{tag_no_case, take_while1};
use nom::character::complete::{char, one_of, satisfy, space0};
use nom::combinator::{opt, recognize};
use nom::{IResult, Parser};
use regex::Regex;

use crate::items::item_line;
use crate::vocab::{close, fold, head, label, Label};

/// A line that opens a header field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelLine<'a> {
    pub label: Label,
    /// The text after the colon (may be empty: the value follows on the next lines).
    pub value: &'a str,
}

fn roman_field_no(input: &str) -> IResult<&str, &str> {
    let (input, (n, _, _)) =
        (take_while1(|c| "IVX".contains(c)), char('.'), space0).parse(input)?;
    Ok((input, n))
}

/// Parse a label line; `None` when the line is not one.
pub fn label_line(text: &str) -> Option<LabelLine<'_>> {
    // A label name is at most four words after at most three markers (bullet, number,
    // roman numeral): text with eight words before its first colon is no label line.
    let before_colon = text.split(':').next().unwrap_or("");
    if before_colon.split_whitespace().nth(7).is_some() {
        return None;
    }
    let item = item_line(text);
    let mut rest = item.text;
    if item.label.is_none() {
        if let Ok((r, _)) = roman_field_no(rest) {
            rest = r;
        }
    } else {
        // `item_line` already removed a "1." / "a." field number.
    }
    let (name, value) = match rest.find(':') {
        Some(i) => (&rest[..i], rest[i + 1..].trim()),
        None => (rest, ""),
    };
    // Labels are at most four words: skip folding sentences.
    if name.split_whitespace().nth(4).is_some() {
        return None;
    }
    let label = label(&fold(name))?;
    // Without a colon only the bare label counts ("- Fungsi"), never a sentence.
    if !rest.contains(':') && name.split_whitespace().count() > 3 {
        return None;
    }
    Some(LabelLine { label, value })
}

/// "TAHUN 2023" and its OCR slips ("TAHUUN 2023", "TAHN 2023"), "Tahun Anggaran 2023".
static YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(t[a-z ]{2,6}?)\s*(?:anggaran\s*)?((?:19|20)\d\d)\b").expect("valid regex")
});

/// The year printed as "TAHUN 2023" in a line.
pub fn year(text: &str) -> Option<i32> {
    YEAR.captures_iter(text)
        .find(|c| is_tahun(&c[1]))
        .and_then(|c| c[2].parse().ok())
}

fn is_tahun(word: &str) -> bool {
    let w: String = word
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    close(&w, "tahun", 0.75)
}

/// The part of a title line beyond the generic title (words that read as "INDIKATOR KINERJA
/// INDIVIDU", OCR slips included), "(IKI)" and the year.
pub fn heading_rest(title_line: &str) -> Option<String> {
    let words: Vec<&str> = title_line.split_whitespace().collect();
    let target = "indikatorkinerjaindividu";
    // Consume the shortest run of words that spells the title up to OCR noise.
    let mut squeezed = String::new();
    let mut taken = 0;
    for (i, w) in words.iter().enumerate().take(8) {
        squeezed.push_str(&fold(w).replace(' ', ""));
        if squeezed.len() + 2 >= target.len() && close(&squeezed, target, 0.8) {
            taken = i + 1;
            // A trailing slipped letter may still belong ("INDIVIDU U").
            break;
        }
        if squeezed.len() > target.len() + 4 {
            break;
        }
    }
    let rest = words[taken..].join(" ");
    let rest = IKI_TAG.replace(&rest, "");
    let rest = YEAR.replace_all(&rest, |c: &regex::Captures| {
        if is_tahun(&c[1]) {
            String::new()
        } else {
            c[0].to_string()
        }
    });
    let rest = rest.trim_matches(|c: char| c.is_whitespace() || "-–:()".contains(c));
    (!rest.is_empty()).then(|| rest.to_string())
}

static IKI_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\W*\(?\s*I\s*K\s*I\s*\)?(?:\s|$)").expect("valid regex"));

/// Whether a line could continue a title block as a heading: mostly uppercase letters, short,
/// not a label, not a table row.
pub fn is_heading_line(text: &str, cells: usize) -> bool {
    if cells > 1 || text.is_empty() || label_line(text).is_some() {
        return false;
    }
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    let upper = letters.iter().filter(|c| c.is_uppercase()).count();
    letters.len() >= 3 && upper * 10 >= letters.len() * 8 && text.split_whitespace().count() <= 12
}

/// `eselon = ["("] "Eselon" ["."] roman ["." letter] [")"]`, returning the level.
fn eselon(input: &str) -> IResult<&str, &str> {
    let (input, (_, _, _, _, _, level, _)) = (
        opt(char('(')),
        space0,
        tag_no_case("eselon"),
        opt(char('.')),
        space0,
        recognize((
            take_while1(|c| "IVX".contains(c)),
            opt((one_of(".-/ "), satisfy(|c| "abcdABCD".contains(c)))),
        )),
        opt(char(')')),
    )
        .parse(input)?;
    Ok((input, level))
}

/// Split "Sekretaris Kecamatan (Eselon III)" into ("Sekretaris Kecamatan", Some("III")).
pub fn split_eselon(value: &str) -> (String, Option<String>) {
    let lower = value.to_lowercase();
    let Some(at) = lower.find("eselon") else {
        return (value.trim().to_string(), None);
    };
    let start = value[..at]
        .rfind('(')
        .filter(|&p| value[p..at].trim() == "(")
        .unwrap_or(at);
    match eselon(&value[start..]) {
        Ok((rest, level)) => {
            let level = level.replace([' ', '-', '/'], ".");
            let jabatan = format!("{} {}", value[..start].trim(), rest.trim());
            let jabatan = jabatan
                .trim()
                .trim_end_matches([',', '-'])
                .trim()
                .to_string();
            (jabatan, Some(level))
        }
        Err(_) => (value.trim().to_string(), None),
    }
}

/// The letterhead: the unit line after "PEMERINTAH KABUPATEN/KOTA/PROVINSI ...".
pub fn is_government_line(text: &str) -> bool {
    // Folding keeps letters from the first one on: the line must start with a "p".
    if !text
        .chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(|c| c.eq_ignore_ascii_case(&'p'))
    {
        return false;
    }
    // The words come first: fold only the head of the line.
    let f = fold(head(text, 64));
    f.starts_with("pemerintah kabupaten")
        || f.starts_with("pemerintah kota")
        || f.starts_with("pemerintah provinsi")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_lines_known_answers() {
        let cases = [
            (
                "Jabatan : Sekretaris Kecamatan (Eselon III)",
                Some((Label::Jabatan, "Sekretaris Kecamatan (Eselon III)")),
            ),
            ("- Tugas Pokok :", Some((Label::TugasPokok, ""))),
            (
                "1. JABATAN : KEPALA SUB BAGIAN",
                Some((Label::Jabatan, "KEPALA SUB BAGIAN")),
            ),
            ("4. Indikator Tujuan :", Some((Label::IndikatorTujuan, ""))),
            (
                "I. JABATAN : BENDAHARA",
                Some((Label::Jabatan, "BENDAHARA")),
            ),
            ("JABATAN. :", Some((Label::Jabatan, ""))),
            ("1) Jabatan : Lurah", Some((Label::Jabatan, "Lurah"))),
            ("- Fungsi", Some((Label::Fungsi, ""))),
            (
                "Tujuan : 1. Meningkatnya X",
                Some((Label::Tujuan, "1. Meningkatnya X")),
            ),
            (
                "Unit Kerja : Analis Kepegawaian Muda",
                Some((Label::Jabatan, "Analis Kepegawaian Muda")),
            ),
            ("a. menyusun laporan (renstra): x", None),
            ("Lumajang, 02 Februari 2023", None),
        ];
        for (text, expected) in cases {
            let got = label_line(text).map(|l| (l.label, l.value));
            assert_eq!(got, expected, "{text}");
        }
    }

    #[test]
    fn eselon_known_answers() {
        let cases = [
            (
                "Sekretaris Kecamatan (Eselon III)",
                "Sekretaris Kecamatan",
                Some("III"),
            ),
            (
                "KEPALA SEKSI PEMERINTAHAN (Eselon IV)",
                "KEPALA SEKSI PEMERINTAHAN",
                Some("IV"),
            ),
            (
                "KEPALA SUB BAGIAN UMUM (Eselon. IV.b)",
                "KEPALA SUB BAGIAN UMUM",
                Some("IV.b"),
            ),
            ("KEPALA SEKSI (Eselon IV.a)", "KEPALA SEKSI", Some("IV.a")),
            ("Lurah, Eselon IV/a", "Lurah", Some("IV.a")),
            ("Analis Kepegawaian Muda", "Analis Kepegawaian Muda", None),
        ];
        for (value, jabatan, level) in cases {
            let (j, l) = split_eselon(value);
            assert_eq!((j.as_str(), l.as_deref()), (jabatan, level), "{value}");
        }
    }

    #[test]
    fn titles() {
        assert_eq!(
            year("INDIKATOR KINERJA INDIVIDU (IKI) TAHUN 2023"),
            Some(2023)
        );
        assert_eq!(
            heading_rest("INDIKATOR KINERJA INDIVIDU (IKI) TAHUN 2023"),
            None
        );
        assert_eq!(
            heading_rest("INDIKATOR KINERJA INDIVIDU (IKI) ANALIS KEPEGAWAIAN MUDA").as_deref(),
            Some("ANALIS KEPEGAWAIAN MUDA")
        );
        assert_eq!(
            heading_rest("INDIKATOR KINERJA INDIVIDU TAHUN 2024 SEKRETARIS CAMAT").as_deref(),
            Some("SEKRETARIS CAMAT")
        );
        assert_eq!(year("INDIKATOR KINERJA INDIVIDU TAHUUN 2023"), Some(2023));
        assert_eq!(year("TAHN 2024"), Some(2024));
        assert_eq!(year("Tahun Anggaran 2022"), Some(2022));
        assert_eq!(year("Jl. Raya No. 80 Telp 2023"), None);
        assert_eq!(
            heading_rest("IN DIKATOR KINER JA INDIVIDU (IKI) BIDANG PENGADAAN").as_deref(),
            Some("BIDANG PENGADAAN")
        );
        assert_eq!(heading_rest("INDIKATOR KINERJA INDIVIDDU"), None);
        assert_eq!(
            heading_rest("INDIKATOR KINERJA INDIVIU TAHN 2024 SEKSI UMUM").as_deref(),
            Some("SEKSI UMUM")
        );
        assert!(is_heading_line("DI LINGKUNGAN KECAMATAN RANUYOSO", 1));
        assert!(!is_heading_line("Jabatan : Sekretaris", 1));
        assert!(!is_heading_line("1.", 1));
    }
}
