//! NIP, the 18-digit civil servant number: `YYYYMMDD YYYYMM G SSS` (birth date, appointment
//! month, gender digit, serial), usually printed with spaces and after "NIP" / "NIP.".
//!
//! ```text
//! nip_line  = "NIP" ["."] [":"] nip_chars
//! nip_chars = 18 of (digit | OCR look-alike "O o D l I i | S s B b Z z G") with spaces / dots between
//! ```
//! OCR look-alikes are repaired only when the repaired number decodes to a plausible birth date
//! and appointment; otherwise the number is left as printed and flagged.

use nom::bytes::complete::{tag_no_case, take_while};
use nom::character::complete::{char, one_of, space0};
use nom::combinator::opt;
use nom::{IResult, Parser};

use crate::model::{Gender, NipInfo};

/// A NIP read from a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedNip {
    /// 18 digits when read or repaired; as printed (spaces removed) otherwise.
    pub nip: String,
    pub info: Option<NipInfo>,
    pub repaired: bool,
}

/// `"NIP" ["."] [":"]` — the label before the number ("NlP", "N1P" as OCR reads it).
fn nip_label(input: &str) -> IResult<&str, ()> {
    let (input, _) = (
        space0,
        tag_no_case("N"),
        space0,
        one_of("IiLl1|"),
        space0,
        tag_no_case("P"),
        opt(char('.')),
        space0,
        opt(char(':')),
        space0,
    )
        .parse(input)?;
    Ok((input, ()))
}

fn is_nip_char(c: char) -> bool {
    c.is_ascii_digit() || c == ' ' || c == '.' || is_lookalike(c)
}

fn is_lookalike(c: char) -> bool {
    matches!(
        c,
        'O' | 'o' | 'D' | 'l' | 'I' | 'i' | 'S' | 's' | 'B' | 'b' | 'Z' | 'z' | 'G'
    )
}

fn repair_char(c: char) -> Option<char> {
    Some(match c {
        '0'..='9' => c,
        'O' | 'o' | 'D' => '0',
        'l' | 'I' | 'i' => '1',
        'S' | 's' => '5',
        'B' | 'b' => '8',
        'Z' | 'z' => '2',
        'G' => '6',
        _ => return None,
    })
}

/// Parse a line holding a NIP ("NIP. 19690303 199303 1 009", "NIP 1969...", or the bare
/// 18 digits). `None` when the line is not a NIP line.
pub fn parse_nip_line(line: &str) -> Option<ParsedNip> {
    let (rest, labelled) = match nip_label(line) {
        Ok((rest, ())) => (rest, true),
        Err(_) => match after_rank(line) {
            Some(rest) => (rest, true),
            None => (line.trim_start(), false),
        },
    };
    let (after, body) = take_while::<_, _, nom::error::Error<&str>>(is_nip_char)
        .parse(rest)
        .ok()?;
    let printed: String = body.chars().filter(|c| !matches!(c, ' ' | '.')).collect();
    let digits_printed = printed.chars().filter(char::is_ascii_digit).count();
    // A bare number must be a whole NIP; a labelled one may be damaged.
    if !labelled && (digits_printed < 16 || !after.trim().is_empty()) {
        return None;
    }
    if labelled && digits_printed < 8 {
        return None;
    }
    // Two numbers on one line are two blocks side by side, not one NIP.
    if after.chars().filter(char::is_ascii_digit).count() >= 8 {
        return None;
    }
    Some(read_nip(&printed))
}

/// The text after a NIP label that follows a rank and grade on the same line ("Pembina
/// Utama Muda, IV/c NIP. 1968..."): a short lead of words without long numbers, then the
/// label as a word of its own.
fn after_rank(line: &str) -> Option<&str> {
    let at = line
        .match_indices(['N', 'n'])
        .map(|(i, _)| i)
        .find(|&i| i > 0 && line[..i].ends_with([' ', ',']) && nip_label(&line[i..]).is_ok())?;
    let lead = &line[..at];
    let long_number = lead
        .split(|c: char| !c.is_ascii_digit())
        .any(|run| run.len() >= 4);
    if lead.chars().count() > 48 || long_number {
        return None;
    }
    nip_label(&line[at..]).ok().map(|(rest, ())| rest)
}

/// Decode printed NIP characters, repairing OCR look-alikes only when that yields a
/// plausible number.
fn read_nip(printed: &str) -> ParsedNip {
    let all_digits = printed.chars().all(|c| c.is_ascii_digit());
    if all_digits {
        return ParsedNip {
            nip: printed.to_string(),
            info: decode(printed),
            repaired: false,
        };
    }
    let repaired: Option<String> = printed.chars().map(repair_char).collect();
    if let Some(candidate) = repaired {
        if let Some(info) = decode(&candidate).filter(|i| i.plausible) {
            return ParsedNip {
                nip: candidate,
                info: Some(info),
                repaired: true,
            };
        }
    }
    ParsedNip {
        nip: printed.to_string(),
        info: None,
        repaired: false,
    }
}

/// Decode 18 digits into birth date, appointment month, gender and serial.
pub fn decode(nip: &str) -> Option<NipInfo> {
    if nip.len() != 18 || !nip.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let num = |a: usize, b: usize| nip[a..b].parse::<u32>().unwrap_or(0);
    let (by, bm, bd) = (num(0, 4), num(4, 6), num(6, 8));
    let (ay, am) = (num(8, 12), num(12, 14));
    let gender = match &nip[14..15] {
        "1" => Gender::Male,
        "2" => Gender::Female,
        _ => Gender::Unknown,
    };
    let birth_ok = (1920..=2010).contains(&by) && valid_date(by, bm, bd);
    let appointed_ok = (1940..=2035).contains(&ay) && (1..=12).contains(&am);
    // Appointment at 18 or later: compare year-months.
    let adult = (ay * 12 + am) >= (by + 18) * 12 + bm;
    Some(NipInfo {
        // A date column must hold a date: impossible digits stay only in the `_digits` fields.
        birth_date: valid_date(by, bm, bd).then(|| format!("{by:04}-{bm:02}-{bd:02}")),
        birth_digits: nip[0..8].to_string(),
        appointed: (1..=12).contains(&am).then(|| format!("{ay:04}-{am:02}")),
        appointed_digits: nip[8..14].to_string(),
        gender,
        serial: nip[15..18].to_string(),
        plausible: birth_ok && appointed_ok && adult && gender != Gender::Unknown,
    })
}

/// Whether year-month-day is a real calendar date.
pub fn valid_date(y: u32, m: u32, d: u32) -> bool {
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_answers() {
        let p = parse_nip_line("NIP. 19690303 199303 1 009").unwrap();
        assert_eq!(p.nip, "196903031993031009");
        let info = p.info.unwrap();
        assert_eq!(info.birth_date.as_deref(), Some("1969-03-03"));
        assert_eq!(info.appointed.as_deref(), Some("1993-03"));
        assert_eq!(info.gender, Gender::Male);
        assert_eq!(info.serial, "009");
        assert!(info.plausible);
        assert!(!p.repaired);

        let p = parse_nip_line(" NIP 19680613 199003 2 005").unwrap();
        assert_eq!(p.info.unwrap().gender, Gender::Female);
        assert_eq!(
            parse_nip_line("NIP:196806131990032005").unwrap().nip,
            "196806131990032005"
        );
        assert_eq!(
            parse_nip_line("19680613 199003 2 005").unwrap().nip,
            "196806131990032005"
        );
        assert!(parse_nip_line("Lumajang, 02 Februari 2023").is_none());
        assert!(parse_nip_line("No 12").is_none());
        assert_eq!(
            parse_nip_line("NlP. 19680613 199003 2 005").unwrap().nip,
            "196806131990032005"
        );
    }

    #[test]
    fn a_nip_after_the_rank_on_its_line() {
        for line in [
            "Pembina Utama Muda, IV/c NIP. 19680523 199303 2 006",
            "Penata Tk. I, III/d NlP 19680523 199303 2 006",
        ] {
            assert_eq!(
                parse_nip_line(line).unwrap().nip,
                "196805231993032006",
                "{line}"
            );
        }
        // Not after a long lead, nor after another number, nor "NIP" inside a sentence.
        assert!(parse_nip_line(
            "Jumlah pegawai yang memperbarui data NIP dan NIK di sistem kepegawaian 2023"
        )
        .is_none());
        assert!(parse_nip_line("Kode 12345 NIP. 19680523 199303 2 006").is_none());
    }

    #[test]
    fn repairs_only_when_plausible() {
        let p = parse_nip_line("NIP. 1969O3O3 l99303 1 OO9").unwrap();
        assert_eq!(p.nip, "196903031993031009");
        assert!(p.repaired);
        // Birth month 13 stays as printed, undecoded.
        let p = parse_nip_line("NIP. 19691303 l99303 1 009").unwrap();
        assert!(!p.repaired);
        assert!(p.info.is_none());
    }

    #[test]
    fn implausible_dates() {
        let feb30 = decode("196902301993031009").unwrap();
        assert!(!feb30.plausible);
        assert_eq!(feb30.birth_date, None, "30 Feb is no date");
        assert_eq!(feb30.birth_digits, "19690230");
        let month13 = decode("196901011993131009").unwrap();
        assert_eq!(
            (month13.appointed, month13.appointed_digits.as_str()),
            (None, "199313")
        );
        assert!(!decode("199001012000031009").unwrap().plausible); // appointed at 10
        assert!(decode("199402252016092001").unwrap().plausible);
        assert!(decode("12345").is_none());
    }
}
