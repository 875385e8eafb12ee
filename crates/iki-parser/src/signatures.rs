//! Signature blocks: place and date, "Mengetahui" (the approving supervisor), position lines
//! ("Plt." / OCR "Pit." = acting), the name with degrees, and the NIP.
//!
//! ```text
//! signatures = *(date_line | approve_word | position_line | name_line | nip_line | description)
//! block      = [date_line] [approve_word] *position_line name_line [nip_line]
//! ```
//! Lines were classified once ([`crate::classify::Sig`]); here they are routed. Two-column
//! layouts flattened into one column interleave the signer's and the approver's lines:
//! position lines go to whichever block is open (approver after "Mengetahui" until its name,
//! signer otherwise); the date goes to the signer. Blocks laid side by side (approver left,
//! signer right) are read as two columns, each on its own, and merged in line order.

use std::borrow::Cow;

use crate::classify::{signature_line, signature_piece, SigKind, View};
use crate::model::{NipInfo, Role, Signatory, Warning, WarningCode};
use crate::names::split_degrees;
use crate::nip::ParsedNip;
use crate::vocab;

/// Pieces of a space-laid line at least this many spaces apart are separate blocks.
const BLOCK_GAP: u16 = 4;

/// Read the signature blocks in lines `range`.
pub fn read(
    view: &View<'_>,
    range: std::ops::Range<usize>,
    warnings: &mut Vec<Warning>,
) -> Vec<Signatory> {
    let mut out: Vec<Signatory> = Vec::new();
    for column in columns(view, range) {
        out.extend(read_column(column, warnings));
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

/// One line (or one side of a line) of a signature column: its line number and what it is.
struct Entry {
    no: usize,
    kind: Kind,
}

/// [`SigKind`] with its texts owned (the area is a few lines; sides of side-by-side lines
/// are texts of their own).
enum Kind {
    None,
    Date(crate::date::PlaceDate),
    Approve,
    Nip(ParsedNip),
    Position { text: String, acting: bool },
    FieldPosition { text: String, acting: bool },
    Name(String),
    Ignored,
}

impl From<SigKind<'_>> for Kind {
    fn from(kind: SigKind<'_>) -> Kind {
        match kind {
            SigKind::None => Kind::None,
            SigKind::Date(pd) => Kind::Date(pd),
            SigKind::Approve => Kind::Approve,
            SigKind::Nip(nip) => Kind::Nip(nip),
            SigKind::Position { text, acting } => Kind::Position {
                text: text.to_string(),
                acting,
            },
            SigKind::FieldPosition { text, acting } => Kind::FieldPosition {
                text: text.to_string(),
                acting,
            },
            SigKind::Name(name) => Kind::Name(name.to_string()),
            SigKind::Ignored => Kind::Ignored,
        }
    }
}

/// A block of text on a line: where it starts and its text.
type Block<'a> = (u32, Cow<'a, str>);

/// The blocks of a line: its cells (tab fields, or space-laid pieces at least
/// [`BLOCK_GAP`] apart) with their columns.
fn blocks<'a>(view: &View<'a>, i: usize) -> Vec<Block<'a>> {
    let scan = view.scan;
    let line = view.line(i);
    let cells = scan.cells_of(line);
    if line.delim.is_explicit() {
        return cells
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.span.is_empty())
            .map(|(k, c)| (k as u32 * 10_000, Cow::Borrowed(scan.cell(c))))
            .collect();
    }
    let mut out: Vec<Block<'a>> = Vec::new();
    let mut start: Option<(u32, u32)> = None; // (x, byte start)
    let mut end = 0u32;
    for c in cells.iter().filter(|c| !c.span.is_empty()) {
        match start {
            Some((x, s)) if c.gap >= BLOCK_GAP => {
                out.push((x, collapse(&scan.raw[s as usize..end as usize])));
                start = Some((c.x as u32, c.span.start));
            }
            None => start = Some((c.x as u32, c.span.start)),
            _ => {}
        }
        end = c.span.end;
    }
    if let Some((x, s)) = start {
        out.push((x, collapse(&scan.raw[s as usize..end as usize])));
    }
    out
}

fn collapse(text: &str) -> Cow<'_, str> {
    if text.contains("  ") || text.contains('\t') {
        Cow::Owned(text.split_whitespace().collect::<Vec<_>>().join(" "))
    } else {
        Cow::Borrowed(text)
    }
}

/// Whether a line's blocks are two signature blocks side by side rather than one
/// "label : value" line.
fn is_side_by_side(blocks: &[Block<'_>]) -> bool {
    if blocks.len() < 2 || blocks.iter().any(|(_, t)| t == ":" || t.ends_with(':')) {
        return false;
    }
    let first = vocab::fold(&blocks[0].1);
    !["nip", "nama", "pangkat", "jabatan", "golongan"].contains(&first.as_str())
}

/// The signature area as one or two columns of entries.
fn columns(view: &View<'_>, range: std::ops::Range<usize>) -> Vec<Vec<Entry>> {
    let lines: Vec<(usize, Vec<Block<'_>>)> = range
        .filter(|&i| !view.is_blank(i))
        .map(|i| (i, blocks(view, i)))
        .collect();
    let split_x = lines
        .iter()
        .filter(|(_, b)| is_side_by_side(b))
        .map(|(_, b)| b[1].0)
        .min();
    let whole = |i: usize| Entry {
        no: view.no(i),
        kind: signature_line(view, i).into(),
    };
    let Some(split_x) = split_x else {
        return vec![lines.iter().map(|(i, _)| whole(*i)).collect()];
    };
    let mut left = Vec::new();
    let mut right = Vec::new();
    for (i, blocks) in lines {
        if is_side_by_side(&blocks) {
            let side = |right_side: bool| {
                let parts: Vec<&str> = blocks
                    .iter()
                    .filter(|(x, _)| (*x >= split_x) == right_side)
                    .map(|(_, t)| t.as_ref())
                    .collect();
                parts.join(" ")
            };
            for (column, text) in [(&mut left, side(false)), (&mut right, side(true))] {
                if !text.is_empty() {
                    column.push(Entry {
                        no: view.no(i),
                        kind: signature_piece(&text).into(),
                    });
                }
            }
        } else {
            let x = blocks.first().map_or(0, |(x, _)| *x);
            let column = if x >= split_x { &mut right } else { &mut left };
            column.push(whole(i));
        }
    }
    vec![left, right]
}

#[derive(Debug, Default)]
struct OpenBlock {
    positions: Vec<String>,
    acting: bool,
    place: Option<String>,
    date: Option<String>,
}

/// Read the blocks of one column.
fn read_column(entries: Vec<Entry>, warnings: &mut Vec<Warning>) -> Vec<Signatory> {
    let mut out: Vec<Signatory> = Vec::new();
    let mut signer = OpenBlock::default();
    let mut approver = OpenBlock::default();
    let mut approving = false;
    for Entry { no, kind } in entries {
        match kind {
            Kind::Date(pd) => {
                if pd.date.is_none() {
                    warnings.push(Warning::new(
                        WarningCode::DateWithoutDay,
                        "the signature date has no day (left blank for hand writing)",
                        Some(no),
                    ));
                }
                signer.place = pd.place;
                signer.date = pd.date;
                approving = false;
            }
            Kind::Approve => approving = true,
            Kind::Position { text, acting } => {
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
            Kind::FieldPosition { text, acting } => match out.last_mut() {
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
            Kind::Name(name) => {
                let (role, block) = if approving {
                    (Role::Approver, std::mem::take(&mut approver))
                } else {
                    (Role::Signer, std::mem::take(&mut signer))
                };
                approving = false;
                out.push(signatory(role, block, &name, no));
            }
            Kind::Nip(parsed) => match out.last_mut() {
                Some(last) if last.nip.is_none() && last.line < no => {
                    attach_nip(last, parsed, no, warnings)
                }
                _ => warnings.push(Warning::new(
                    WarningCode::NipWithoutName,
                    format!("NIP {} has no name line above it", parsed.nip),
                    Some(no),
                )),
            },
            Kind::Ignored | Kind::None => {}
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
        // Set from evidence by `confidence` once the document is read.
        confidence: 0.0,
    }
}

fn attach_nip(s: &mut Signatory, parsed: ParsedNip, line: usize, warnings: &mut Vec<Warning>) {
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
                    "NIP {} of {} decodes to an impossible date; impossible dates are null",
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::{classify, strip_acting};
    use crate::input::from_text;
    use crate::scan::Scan;

    fn sigs_warned(text: &str) -> (Vec<Signatory>, Vec<Warning>) {
        let scan = Scan::new(&from_text(text));
        let c = classify(&scan);
        let view = View { scan: &scan, c: &c };
        let mut w = Vec::new();
        let s = read(&view, 0..view.len(), &mut w);
        (s, w)
    }

    fn sigs(text: &str) -> Vec<Signatory> {
        sigs_warned(text).0
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
        let (s, w) = sigs_warned("Lumajang, 02 Februari 2023\nKepala Seksi,\n\nSAMSUL HARIONO\n");
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].nip, None);
        assert!(w.iter().any(|w| w.code == WarningCode::MissingNip));
    }
}
