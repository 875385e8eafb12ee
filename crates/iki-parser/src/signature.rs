//! Signature blocks: place and date, "Mengetahui" (the approving supervisor), position lines
//! ("Plt." / OCR "Pit." = acting), the name with degrees, and the NIP.
//!
//! ```text
//! signatures = *(date_line | approve_word | position_line | name_line | nip_line | description)
//! block      = [date_line] [approve_word] *position_line name_line [nip_line]
//! ```
//! Two-column layouts flattened into one column interleave the signer's and the approver's
//! lines, so lines are classified first and then routed: position lines go to whichever block
//! is open (approver after "Mengetahui" until its name, signer otherwise); the date goes to the
//! signer.

use crate::date::parse_date_line;
use crate::model::{NipInfo, Role, Signatory, Warning, WarningCode};
use crate::names::{has_degrees, split_degrees};
use crate::nip::parse_nip_line;
use crate::normalize::Line;
use crate::vocab::{fold, head, is_approve, is_position, is_rank};

/// What one line of a signature area is.
#[derive(Debug, Clone, PartialEq)]
enum SigLine {
    Date(crate::date::PlaceDate),
    Approve,
    Nip(crate::nip::ParsedNip),
    Position {
        text: String,
        acting: bool,
    },
    /// "Jabatan : X" inside a field-style block: the position of the name above it.
    FieldPosition {
        text: String,
        acting: bool,
    },
    Name(String),
    Ignored,
}

fn classify(text: &str) -> SigLine {
    let folded = fold(text);
    if folded.is_empty() {
        return SigLine::Ignored;
    }
    if let Some(nip) = parse_nip_line(text) {
        return SigLine::Nip(nip);
    }
    if let Some(pd) = parse_date_line(text) {
        return SigLine::Date(pd);
    }
    if is_approve(&folded) {
        return SigLine::Approve;
    }
    if is_description(&folded) || is_rank(&folded) {
        return SigLine::Ignored;
    }
    // "Nama : X", "Jabatan : Y" written as fields.
    if let Some((label, value)) = text.split_once(':') {
        let value = value.trim();
        match fold(label).as_str() {
            "nama" | "nama pegawai" if !value.is_empty() => {
                return SigLine::Name(value.to_string())
            }
            "jabatan" if !value.is_empty() => {
                let (acting, rest) = strip_acting(value);
                return SigLine::FieldPosition {
                    text: rest.trim().to_string(),
                    acting,
                };
            }
            "pangkat" | "golongan" | "pangkat golongan" | "pangkat gol" => return SigLine::Ignored,
            _ => {}
        }
    }
    let (acting, rest) = strip_acting(text);
    if !has_degrees(text) && (acting || is_position(&fold(rest)) || text.trim_end().ends_with(','))
    {
        return SigLine::Position {
            text: rest.trim().trim_end_matches(',').trim().to_string(),
            acting,
        };
    }
    if is_name(text) {
        return SigLine::Name(text.trim().to_string());
    }
    SigLine::Ignored
}

/// A description of the page rather than its text ("A handwritten signature in black ink ...").
fn is_description(folded: &str) -> bool {
    [
        "signature",
        "tanda tangan",
        "ttd",
        "stempel",
        "cap dinas",
        "materai",
        "meterai",
    ]
    .iter()
    .any(|w| folded.contains(w))
}

/// "Plt. CAMAT" → (true, "CAMAT"); also "Pit." (OCR), "Plh.".
fn strip_acting(text: &str) -> (bool, &str) {
    let t = text.trim();
    let is_acting = |s: &str| ["plt", "pit", "plh"].contains(&fold(s).replace(' ', "").as_str());
    // The marker is the first word, or its first two pieces when OCR split it ("Pl t.").
    let words: Vec<(usize, &str)> = t
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - t.as_ptr() as usize, w))
        .take(3)
        .collect();
    let end_of = |k: usize| words[k].0 + words[k].1.len();
    let mut candidates = Vec::new();
    if let Some(&(_, first)) = words.first() {
        // "Plt.CAMAT": the marker glued to the word after it.
        if let Some(dot) = first.find('.') {
            candidates.push(dot + 1);
        }
        candidates.push(end_of(0));
    }
    if words.len() >= 2 && words[1].1.trim_end_matches('.').len() <= 2 {
        candidates.push(end_of(1));
    }
    for end in candidates {
        let (head, rest) = t.split_at(end);
        let rest = rest.trim_start_matches(['.', ' ']);
        if is_acting(head) && !rest.is_empty() {
            return (true, rest);
        }
    }
    (false, t)
}

/// A name: letters (initials and degrees allowed), at most eight words, no digits.
fn is_name(text: &str) -> bool {
    let words = text.split_whitespace().count();
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    (1..=8).contains(&words) && letters >= 3 && !text.chars().any(|c| c.is_ascii_digit())
}

#[derive(Debug, Default)]
struct OpenBlock {
    positions: Vec<String>,
    acting: bool,
    place: Option<String>,
    date: Option<String>,
}

/// Read the signature blocks in `lines`. Blocks laid side by side (approver left, signer
/// right) are read as two columns, each on its own, and merged in line order.
pub fn parse(lines: &[Line], warnings: &mut Vec<Warning>) -> Vec<Signatory> {
    let mut out: Vec<Signatory> = Vec::new();
    for column in columns(lines) {
        out.extend(parse_column(&column, warnings));
    }
    out.sort_by_key(|s| s.line);
    for s in &out {
        if s.nip.is_none() {
            warnings.push(Warning::new(
                WarningCode::MissingNip,
                format!("signature of {} has no NIP", s.display_name),
                Some(s.line),
            ));
        }
    }
    out
}

/// Whether a line holds two blocks' text side by side rather than one "label : value" line.
fn is_side_by_side(line: &Line) -> bool {
    let filled: Vec<&String> = line.cells.iter().filter(|c| !c.is_empty()).collect();
    if filled.len() < 2 || filled.iter().any(|c| c.as_str() == ":" || c.ends_with(':')) {
        return false;
    }
    let first = fold(filled[0]);
    !["nip", "nama", "pangkat", "jabatan", "golongan"].contains(&first.as_str())
}

/// The signature area as one or two columns of (line number, text).
fn columns(lines: &[Line]) -> Vec<Vec<(usize, String)>> {
    let split_x = lines
        .iter()
        .filter(|l| is_side_by_side(l))
        .filter_map(|l| {
            let first = l.cells.iter().position(|c| !c.is_empty())?;
            l.starts
                .iter()
                .skip(first + 1)
                .zip(l.cells.iter().skip(first + 1))
                .find(|(_, c)| !c.is_empty())
                .map(|(x, _)| *x)
        })
        .min();
    let Some(split_x) = split_x else {
        let single = lines
            .iter()
            .filter(|l| !l.is_blank())
            .map(|l| (l.no, l.text.clone()));
        return vec![single.collect()];
    };
    let mut left = Vec::new();
    let mut right = Vec::new();
    for line in lines.iter().filter(|l| !l.is_blank()) {
        let side_text = |right_side: bool| {
            line.cells
                .iter()
                .zip(&line.starts)
                .filter(|(c, &x)| !c.is_empty() && (x >= split_x) == right_side)
                .map(|(c, _)| c.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        };
        if is_side_by_side(line) {
            for (side, text) in [(&mut left, side_text(false)), (&mut right, side_text(true))] {
                if !text.is_empty() {
                    side.push((line.no, text));
                }
            }
        } else {
            let x = line
                .cells
                .iter()
                .zip(&line.starts)
                .find(|(c, _)| !c.is_empty())
                .map_or(0, |(_, x)| *x);
            let side = if x >= split_x { &mut right } else { &mut left };
            side.push((line.no, line.text.clone()));
        }
    }
    vec![left, right]
}

/// Read the blocks of one column.
fn parse_column(lines: &[(usize, String)], warnings: &mut Vec<Warning>) -> Vec<Signatory> {
    let mut out: Vec<Signatory> = Vec::new();
    let mut signer = OpenBlock::default();
    let mut approver = OpenBlock::default();
    let mut approving = false;
    for (no, text) in lines {
        match classify(text) {
            SigLine::Date(pd) => {
                if pd.date.is_none() {
                    warnings.push(Warning::new(
                        WarningCode::DateWithoutDay,
                        "the signature date has no day (left blank for hand writing)",
                        Some(*no),
                    ));
                }
                signer.place = pd.place;
                signer.date = pd.date;
                approving = false;
            }
            SigLine::Approve => approving = true,
            SigLine::Position { text, acting } => {
                let block = if approving {
                    &mut approver
                } else {
                    &mut signer
                };
                block.acting |= acting;
                if !text.is_empty() {
                    block.positions.push(text);
                }
            }
            SigLine::FieldPosition { text, acting } => match out.last_mut() {
                Some(last) if !approving && signer.positions.is_empty() => {
                    last.position = Some(text);
                    last.acting |= acting;
                }
                _ => {
                    let block = if approving {
                        &mut approver
                    } else {
                        &mut signer
                    };
                    block.acting |= acting;
                    block.positions.push(text);
                }
            },
            SigLine::Name(name) => {
                let (role, block) = if approving {
                    (Role::Approver, std::mem::take(&mut approver))
                } else {
                    (Role::Signer, std::mem::take(&mut signer))
                };
                approving = false;
                out.push(signatory(role, block, &name, *no));
            }
            SigLine::Nip(parsed) => match out.last_mut() {
                Some(last) if last.nip.is_none() && last.line < *no => {
                    attach_nip(last, parsed, *no, warnings)
                }
                _ => warnings.push(Warning::new(
                    WarningCode::NipWithoutName,
                    format!("NIP {} has no name line above it", parsed.nip),
                    Some(*no),
                )),
            },
            SigLine::Ignored => {}
        }
    }
    out
}

fn signatory(role: Role, block: OpenBlock, display: &str, line: usize) -> Signatory {
    let person = split_degrees(display);
    let position = (!block.positions.is_empty()).then(|| block.positions.join(" "));
    Signatory {
        role,
        position,
        acting: block.acting,
        name: person.name,
        display_name: display.to_string(),
        degrees: person.degrees,
        nip: None,
        nip_info: None,
        place: block.place,
        date: block.date,
        line,
        // Set from evidence by `confidence::assess` once the document is read.
        confidence: 0.0,
    }
}

fn attach_nip(
    s: &mut Signatory,
    parsed: crate::nip::ParsedNip,
    line: usize,
    warnings: &mut Vec<Warning>,
) {
    if parsed.repaired {
        warnings.push(Warning::new(
            WarningCode::NipRepaired,
            format!("NIP of {} read as {} after OCR repair", s.name, parsed.nip),
            Some(line),
        ));
    }
    match &parsed.info {
        Some(NipInfo {
            plausible: false, ..
        }) => {
            warnings.push(Warning::new(
                WarningCode::NipImplausible,
                format!(
                    "NIP {} of {} decodes to an impossible date",
                    parsed.nip, s.name
                ),
                Some(line),
            ));
        }
        None => {
            warnings.push(Warning::new(
                WarningCode::NipUnreadable,
                format!(
                    "NIP \"{}\" of {} is not 18 readable digits",
                    parsed.nip, s.name
                ),
                Some(line),
            ));
        }
        _ => {}
    }
    s.nip = Some(parsed.nip);
    s.nip_info = parsed.info;
}

/// Whether a line can only belong to a signature area (date, "Mengetahui", NIP). Runs on
/// every line, so it checks just those three.
pub fn is_signature_anchor(text: &str) -> bool {
    let folded = fold(head(text, 24));
    // A NIP has at least 8 printed digits, a date line its 4-digit year.
    let digits = || text.bytes().filter(u8::is_ascii_digit).count() >= 4;
    !folded.is_empty()
        && (is_approve(&folded)
            || (digits() && (parse_nip_line(text).is_some() || parse_date_line(text).is_some())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::lines;

    fn sigs(text: &str) -> Vec<Signatory> {
        parse(&lines(text), &mut Vec::new())
    }

    #[test]
    fn single_signer() {
        let s = sigs("Lumajang, 02 Februari 2023\nKepala Sub Bagian Umum dan\nKepegawaian,\n\n\nDINA PUSPITA RINI, S.Pd\nNIP. 19840514 201001 2 031\n");
        assert_eq!(s.len(), 1);
        assert_eq!(
            s[0].position.as_deref(),
            Some("Kepala Sub Bagian Umum dan Kepegawaian")
        );
        assert_eq!(s[0].name, "DINA PUSPITA RINI");
        assert_eq!(s[0].date.as_deref(), Some("2023-02-02"));
        assert_eq!(s[0].nip.as_deref(), Some("198405142010012031"));
        assert_eq!(s[0].role, Role::Signer);
    }

    #[test]
    fn flattened_two_columns() {
        let s = sigs("Lumajang, 05 Januari 2024\n\nSUB BAGIAN UMUM DAN KEPEGAWAIAN\n\nMengetahui,\n SEKRETARIS CAMAT\n\nMUJIBUR ROHMAN, S.H., M.M.\n NIP 19680414 199503 1 004\n\nNOVI MAHERAWATI, SH.\n NIP 19771128 201001 2 009\n");
        assert_eq!(s.len(), 2);
        assert_eq!(
            (s[0].role, s[0].position.as_deref(), s[0].date.as_deref()),
            (Role::Approver, Some("SEKRETARIS CAMAT"), None)
        );
        assert_eq!(
            (s[1].role, s[1].position.as_deref(), s[1].date.as_deref()),
            (
                Role::Signer,
                Some("SUB BAGIAN UMUM DAN KEPEGAWAIAN"),
                Some("2024-01-05")
            )
        );
        assert_eq!(s[1].degrees, vec!["SH."]);
    }

    #[test]
    fn acting_and_descriptions() {
        let s = sigs("Mengetahui\n Pit. CAMAT CANDIPURO\n\nAKHMAD KHARIRI, SH\n NIP. 19720818 199403 1 009\n\nLumajang, 10 Januari 2024\nSEKRETARIS CAMAT\n\nA handwritten signature in black ink, appearing to be 'X', written over the title.\n\nDrs. A. SYAIFUL HADI\nNIP. 19670223 200003 1 003\n");
        assert_eq!(s.len(), 2);
        assert!(s[0].acting);
        assert_eq!(s[0].position.as_deref(), Some("CAMAT CANDIPURO"));
        assert_eq!(strip_acting("Pl t. KASI UMUM"), (true, "KASI UMUM"));
        assert_eq!(strip_acting("PIt. CAMAT"), (true, "CAMAT"));
        assert_eq!(strip_acting("Plh KEPALA"), (true, "KEPALA"));
        assert_eq!(strip_acting("PLANTING"), (false, "PLANTING"));
        assert_eq!(strip_acting("Pelaksana"), (false, "Pelaksana"));
        assert_eq!(s[1].name, "A. SYAIFUL HADI");
        assert!(!s[1].acting);
    }

    #[test]
    fn side_by_side_blocks() {
        let text = "        Mengetahui                              Lumajang, 02 Februari 2023\n        CAMAT LUMAJANG                          SEKRETARIS CAMAT\n\n        Drs. DEDWI SUPRAPTO, M.Si.              MUJIBUR ROHMAN, S.H., M.M.\n        NIP. 19701218 199101 1 002              NIP. 19680414 199503 1 004\n";
        let s = sigs(text);
        assert_eq!(s.len(), 2);
        assert_eq!(
            (s[0].role, s[0].name.as_str(), s[0].date.as_deref()),
            (Role::Approver, "DEDWI SUPRAPTO", None)
        );
        assert_eq!(s[0].nip.as_deref(), Some("197012181991011002"));
        assert_eq!(
            (s[1].role, s[1].position.as_deref(), s[1].date.as_deref()),
            (Role::Signer, Some("SEKRETARIS CAMAT"), Some("2023-02-02"))
        );
        assert_eq!(s[1].nip.as_deref(), Some("196804141995031004"));
    }

    #[test]
    fn field_style_blocks() {
        let s = sigs("Pejabat Penilai Kinerja,\nNama : Drs. BUDI, M.Si.\nJabatan : Plt. Kepala Dinas\nPangkat/Gol : Pembina\nNIP : 19700101 199503 1 001\n");
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].name, "BUDI");
        assert!(s[0].acting);
        assert_eq!(s[0].position.as_deref(), Some("Kepala Dinas"));
        assert_eq!(s[0].nip.as_deref(), Some("197001011995031001"));
    }

    #[test]
    fn rank_line_is_not_a_position() {
        let s = sigs("Lumajang, 2 Mei 2024\nKepala Dinas,\n\nDr. H. BUDI, M.Kes\nPembina Utama Muda\nNIP. 19700101 199503 1 001\n\nKepala Bidang\n\nSITI\nPenata Tk. I (III/d)\nNIP. 19800101 200501 2 001\n");
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].name, "H. BUDI");
        assert_eq!(s[0].nip.as_deref(), Some("197001011995031001"));
        assert_eq!(s[1].position.as_deref(), Some("Kepala Bidang"));
        assert_eq!(s[1].nip.as_deref(), Some("198001012005012001"));
    }

    #[test]
    fn name_without_nip() {
        let mut w = Vec::new();
        let s = parse(
            &lines("Lumajang, 02 Februari 2023\nKepala Seksi,\n\nSAMSUL HARIONO\n"),
            &mut w,
        );
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].nip, None);
        assert!(w.iter().any(|w| w.code == WarningCode::MissingNip));
    }
}
