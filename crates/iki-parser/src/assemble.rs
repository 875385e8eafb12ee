//! Assembly: split the classified lines into forms, read each form's parts in order — title
//! block, header fields and lists, the indicator table, the signature area — and build typed
//! records. Works from line facts only; the table readers and the signature reader do the
//! rest.
//!
//! A form starts at its title ("INDIKATOR KINERJA INDIVIDU ..."); a title block with one form
//! per "Jabatan" label (forms numbered "1.", "2." under one title) is split at each label.

use std::ops::Range;

use crate::classify::{fact, View};
use crate::header::{self, split_eselon};
use crate::items::ListBuilder;
use crate::model::{DocumentKind, IkiRecord, Item, Signatory, Span, Warning, WarningCode};
use crate::readers::{self, rows, Segmentation, TableRead};
use crate::signatures;
use crate::vocab::Label;

/// Everything read from one text, with the provenance confidence needs.
#[derive(Debug, Clone)]
pub struct Assembled {
    pub kind: DocumentKind,
    pub records: Vec<IkiRecord>,
    pub signatories: Vec<Signatory>,
    pub warnings: Vec<Warning>,
    /// One per record: how its table was read.
    pub tables: Vec<Option<TableProvenance>>,
}

/// How a record's table was read.
#[derive(Debug, Clone, PartialEq)]
pub struct TableProvenance {
    pub segmentation: Segmentation,
    /// Score margin of the chosen segmentation over the runner-up.
    pub margin: Option<f32>,
    /// The columns the header named.
    pub columns: Vec<crate::vocab::Column>,
    /// One per indicator, in order.
    pub rows: Vec<RowProvenance>,
}

/// How one indicator row was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowProvenance {
    /// Physical lines the row was read from.
    pub lines: u16,
    /// Rows told apart only by where their numbers stand.
    pub by_numbers: bool,
    /// Cells attributed by count or content, not by position.
    pub guessed: bool,
    /// A page-broken fragment was joined to it.
    pub joined: bool,
    /// Cells whose reading the source doubts (OCR).
    pub doubtful: u16,
}

/// Assemble the document.
pub fn assemble(view: &View<'_>) -> Assembled {
    let kind = view.c.doc.kind;
    let mut out = Assembled {
        kind,
        records: Vec::new(),
        signatories: Vec::new(),
        warnings: Vec::new(),
        tables: Vec::new(),
    };
    if kind != DocumentKind::Iki {
        return out;
    }
    for range in form_ranges(view) {
        let form = read_form(view, range.clone());
        let first_sig = out.signatories.len();
        out.signatories.extend(form.signatories);
        out.warnings.extend(form.sig_warnings);
        if !form.has_content {
            out.warnings.extend(
                form.stray
                    .into_iter()
                    .filter(|w| w.code != WarningCode::UnattributedText),
            );
            continue;
        }
        let refs: Vec<usize> = (first_sig..out.signatories.len()).collect();
        out.tables.push(form.table);
        out.records.push(build_record(
            view,
            form.fields,
            refs,
            span(view, range),
            form.stray,
        ));
    }
    share_final_signatures(&mut out.records);
    out
}

fn is_title(view: &View<'_>, i: usize) -> bool {
    view.facts(i).is(fact::TITLE)
}

/// Line ranges of the forms: from each title to the next; a range holding several "Jabatan"
/// labels is split before each (taking along a bare "2." form number above it).
fn form_ranges(view: &View<'_>) -> Vec<Range<usize>> {
    let n = view.len();
    // anchors_before[i]: signature lines above line i.
    let mut anchors_before = Vec::with_capacity(n + 1);
    anchors_before.push(0usize);
    for i in 0..n {
        let last = anchors_before[i];
        anchors_before.push(last + usize::from(view.facts(i).is(fact::ANCHOR)));
    }
    let mut starts: Vec<usize> = Vec::new();
    let titles = (0..n).filter(|&i| is_title(view, i) && !readers::flat::is_header_cell(view, i));
    for i in titles {
        let running = starts.last().is_some_and(|&prev| {
            anchors_before[i] == anchors_before[prev] && is_running_title(view, prev, i)
        });
        if !running {
            starts.push(i);
        }
    }
    if starts.first() != Some(&0) {
        starts.insert(0, 0);
    }
    let in_table = &view.c.doc.in_table;
    let mut ranges = Vec::new();
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(n);
        // A bare "Jabatan" inside a space-laid table is a word of a wrapped cell.
        let jabatan: Vec<usize> = (start..end)
            .filter(|&i| view.label(i).is_some_and(|(l, _)| l == Label::Jabatan))
            .filter(|&i| !in_table[i] || view.line(i).is(crate::scan::flag::COLON))
            .collect();
        let mut cuts = vec![start];
        for &j in jabatan.iter().skip(1) {
            cuts.push(back_over_form_number(view, j, start));
        }
        cuts.push(end);
        ranges.extend(
            cuts.windows(2)
                .map(|w| w[0]..w[1])
                .filter(|r| !r.is_empty()),
        );
    }
    ranges
}

/// A title repeated at the top of a page inside a form (a running header) rather than the
/// start of a new form, judged by what follows it (the caller checks that the form has no
/// signature yet):
/// - a table row, a list item or a lowercase continuation line: the form goes on;
/// - a table header: the form goes on when the title block is the form's own, repeated, or a
///   bare title with no heading;
/// - a label or anything else: a new form.
fn is_running_title(view: &View<'_>, form_start: usize, at: usize) -> bool {
    let (title_text, after) = title_block(view, at);
    let Some(next) = (after..view.len()).find(|&i| !view.is_blank(i)) else {
        return false;
    };
    let line = view.line(next);
    let facts = view.facts(next);
    if line.delim.is_explicit() && line.cell_count() >= 2 && facts.label.is_none() {
        // A bare title (no heading of its own) over a table header is a page's running
        // header too: a new form would name its position.
        let bare = header::heading_rest(&title_text).is_none();
        return facts.header.is_none() || bare || title_block(view, form_start).0 == title_text;
    }
    if facts.label.is_some() || facts.label_block.is_some() {
        return false;
    }
    facts.is(fact::ITEM) || line.is(crate::scan::flag::LOWER_START)
}

/// The text of the title block at `at` (the title line and heading lines under it) and the
/// index of the line after it.
fn title_block(view: &View<'_>, at: usize) -> (String, usize) {
    let mut text = view.text(at).to_string();
    let mut i = at + 1;
    while i < view.len() {
        let blank = view.is_blank(i);
        let heading = view.scan.blocks(view.line(i)) == 1 && view.facts(i).is(fact::HEADING);
        if !(blank || heading) {
            break;
        }
        if !blank {
            text.push(' ');
            text.push_str(view.text(i));
        }
        i += 1;
    }
    (text, i)
}

/// Move a cut up over blank lines and a bare form number ("2.") just above a label.
fn back_over_form_number(view: &View<'_>, at: usize, floor: usize) -> usize {
    let mut i = at;
    while i > floor + 1 && view.is_blank(i - 1) {
        i -= 1;
    }
    if i > floor + 1 && view.facts(i - 1).is(fact::FORM_NUMBER) {
        i - 1
    } else {
        at
    }
}

fn span(view: &View<'_>, range: Range<usize>) -> Span {
    let first = range
        .clone()
        .find(|&i| !view.is_blank(i))
        .or(Some(range.start));
    let last = range
        .clone()
        .rev()
        .find(|&i| !view.is_blank(i))
        .or(range.clone().last());
    let no = |i: Option<usize>| i.filter(|&i| i < view.len()).map_or(1, |i| view.no(i));
    Span {
        start_line: no(first),
        end_line: no(last),
    }
}

/// The header fields and table of one form.
#[derive(Debug, Default)]
struct Fields {
    heading: Option<String>,
    year: Option<i32>,
    organization: Option<String>,
    jabatan: Option<String>,
    eselon: Option<String>,
    tugas_pokok: Vec<Item>,
    fungsi: Vec<Item>,
    tujuan: Vec<Item>,
    indikator_tujuan: Vec<Item>,
    indicators: Vec<crate::model::Indicator>,
    warnings: Vec<Warning>,
    had_table: bool,
}

struct FormRead {
    fields: Fields,
    table: Option<TableProvenance>,
    signatories: Vec<Signatory>,
    sig_warnings: Vec<Warning>,
    stray: Vec<Warning>,
    has_content: bool,
}

/// Which part of the form the reader is in.
enum Part {
    None,
    /// A single-value label whose value follows on the next line (": BENDAHARA").
    Value(Label),
    List(Label, ListBuilder),
}

fn read_form(view: &View<'_>, range: Range<usize>) -> FormRead {
    let mut fields = Fields::default();
    let mut stray = Vec::new();
    let mut table_read: Option<TableRead> = None;
    let body_start = read_title(view, range.clone(), &mut fields);
    let mut part = Part::None;
    let mut last_label: Option<Label> = None;
    // Labels named before their values ("1. Jabatan 2. Tugas 3. Fungsi", then ": ..." lines).
    let mut pending: std::collections::VecDeque<Label> = std::collections::VecDeque::new();
    let mut sig_start = range.end;
    let mut after_table = AfterTable::default();
    let mut content = false;
    let mut i = body_start;
    while i < range.end {
        if view.is_blank(i) {
            i += 1;
            continue;
        }
        let facts = view.facts(i);
        if readers::opens_table(view, i) {
            if let Some(read) = readers::read_table(view, i) {
                close_part(std::mem::replace(&mut part, Part::None), &mut fields);
                fields.had_table = true;
                content = true;
                let end = read.proposal.end.min(range.end);
                table_read = Some(read);
                sig_start = end;
                after_table = rows_left_after_table(view, end..range.end);
                break;
            }
        }
        if let Some(labels) = view.label_block(i) {
            close_part(std::mem::replace(&mut part, Part::None), &mut fields);
            content = true;
            pending = labels.iter().copied().collect();
            i += 1;
            continue;
        }
        if let Some(value) = view
            .text(i)
            .strip_prefix(':')
            .filter(|_| !pending.is_empty())
        {
            close_part(std::mem::replace(&mut part, Part::None), &mut fields);
            let label = pending.pop_front().unwrap_or(Label::Other);
            last_label = Some(label);
            part = open_part(label, value.trim(), view.no(i), &mut fields);
            i += 1;
            continue;
        }
        if let Some((label, value)) = view.label(i) {
            close_part(std::mem::replace(&mut part, Part::None), &mut fields);
            content = true;
            // "Indikator :" then "Tujuan :" is "Indikator Tujuan" wrapped over two lines.
            let label_read = match (label, last_label) {
                (Label::Indikator, _) => Label::IndikatorTujuan,
                (Label::Tujuan, Some(Label::Indikator)) => Label::IndikatorTujuan,
                (l, _) => l,
            };
            last_label = Some(label);
            part = open_part(label_read, value, view.no(i), &mut fields);
            i += 1;
            continue;
        }
        if facts.is(fact::ANCHOR) {
            sig_start = i;
            break;
        }
        if view.c.doc.running[i] {
            fields.warnings.push(Warning::new(
                WarningCode::PageFurniture,
                format!("skipped a running header: \"{}\"", short(view.text(i))),
                Some(view.no(i)),
            ));
            i += 1;
            continue;
        }
        let text = view.text(i);
        match &mut part {
            Part::List(_, builder) => {
                builder.push_after(text, view.no(i), wrapped_above(view, i));
            }
            Part::Value(label) => {
                let value = text.trim_start_matches([':', ' ']);
                if !value.is_empty() {
                    set_value(*label, value, &mut fields);
                    part = Part::None;
                }
            }
            Part::None => stray.push(Warning::new(
                WarningCode::UnattributedText,
                format!("text not attributed to any field: \"{}\"", short(text)),
                Some(view.no(i)),
            )),
        }
        i += 1;
    }
    close_part(part, &mut fields);
    stray.extend(after_table.rows);
    fill_empty_items(&mut fields, after_table.texts, &mut stray);
    let table = table_read.map(|read| {
        let proposal = read.proposal;
        fields.warnings.extend(proposal.warnings);
        let built =
            rows::join_fragments(view, &proposal.header, proposal.rows, &mut fields.warnings);
        fields.indicators = rows::indicators(view, &proposal.header, &built, &mut fields.warnings);
        TableProvenance {
            segmentation: proposal.segmentation,
            margin: read.margin,
            columns: proposal.header.columns.iter().flatten().copied().collect(),
            rows: built
                .iter()
                .map(|b| RowProvenance {
                    lines: b.row.lines,
                    by_numbers: b.row.by_numbers,
                    guessed: b.row.guessed,
                    joined: b.joined,
                    doubtful: b.row.doubtful,
                })
                .collect(),
        }
    });
    let mut sig_warnings = Vec::new();
    let signatories =
        signatures::read(view, sig_start.min(range.end)..range.end, &mut sig_warnings);
    FormRead {
        fields,
        table,
        signatories,
        sig_warnings,
        stray,
        has_content: content,
    }
}

/// What stands between the end of a form's table and its signatures.
#[derive(Default)]
struct AfterTable {
    /// Lines that read like rows of a table, as warnings.
    rows: Vec<Warning>,
    /// Other lines of text (line number, text).
    texts: Vec<(usize, String)>,
}

/// Lines between the end of the table and the signatures. Those that read like rows of a
/// table (three or more cells, or a row number before a sentence) are rows the table reader
/// did not take, whatever the layout: each is a warning, and lowers the record's confidence.
fn rows_left_after_table(view: &View<'_>, range: Range<usize>) -> AfterTable {
    let mut out = AfterTable::default();
    for i in range {
        let facts = view.facts(i);
        if facts.is(fact::ANCHOR) || facts.is(fact::TITLE) {
            break;
        }
        if view.is_blank(i) || facts.label.is_some() {
            continue;
        }
        let line = view.line(i);
        let cells = line.delim.is_explicit() && view.scan.filled(line) >= 3;
        let numbered = facts.is(fact::ROW_NUMBER) && line.word_count() >= 6;
        if cells || numbered {
            out.rows.push(Warning::new(
                WarningCode::TableRowUnread,
                format!(
                    "a table row after the table was not read: \"{}\"",
                    short(view.text(i))
                ),
                Some(view.no(i)),
            ));
        } else if !view.c.doc.running[i] {
            out.texts
                .push((view.no(i), view.text(i).trim().to_string()));
        }
    }
    out
}

/// A list whose lettered items are all empty ("FUNGSI : a. b. c.") takes its texts from the
/// lines after the table when there are exactly as many: the values stand apart from their
/// labels, as in a form filled in below its table. The record says so in a warning.
fn fill_empty_items(fields: &mut Fields, texts: Vec<(usize, String)>, stray: &mut Vec<Warning>) {
    if texts.is_empty() {
        return;
    }
    let mut empty: Vec<&mut Vec<Item>> = [
        &mut fields.tugas_pokok,
        &mut fields.fungsi,
        &mut fields.tujuan,
        &mut fields.indikator_tujuan,
    ]
    .into_iter()
    .filter(|l| !l.is_empty() && l.iter().all(|item| item.text.is_empty()))
    .collect();
    let [list] = &mut empty[..] else {
        return;
    };
    if list.len() != texts.len() {
        return;
    }
    stray.push(Warning::new(
        WarningCode::UnattributedText,
        format!(
            "{} empty list items took the lines after the table as their texts",
            list.len()
        ),
        Some(texts[0].0),
    ));
    for (item, (line, text)) in list.iter_mut().zip(texts) {
        item.text = text;
        item.line = line;
    }
}

/// Whether the line above `i` ran to the wrap width of space-laid text, so line `i`
/// continues its text.
fn wrapped_above(view: &View<'_>, i: usize) -> bool {
    let Some(width) = view.c.doc.wrap_width else {
        return false;
    };
    let above = (0..i).rev().find(|&k| !view.is_blank(k));
    above.is_some_and(|k| {
        let line = view.line(k);
        !line.delim.is_explicit() && line.x_end + 12 >= width
    })
}

/// Read the title block: the title line, then heading lines (one blank line may separate
/// them). Returns the index of the first body line.
fn read_title(view: &View<'_>, range: Range<usize>, fields: &mut Fields) -> usize {
    let Some(first) = range.clone().find(|&i| !view.is_blank(i)) else {
        return range.end;
    };
    if !is_title(view, first) {
        return first;
    }
    let mut heading: Vec<String> = Vec::new();
    fields.year = header::year(view.text(first));
    heading.extend(header::heading_rest(view.text(first)));
    let mut i = first + 1;
    let mut blanks = 0;
    while i < range.end {
        if view.is_blank(i) {
            blanks += 1;
            if blanks > 1 {
                break;
            }
        } else if view.facts(i).is(fact::HEADING)
            && !view.facts(i).is(fact::GOVERNMENT)
            // "1. JABATAN 2 TUGAS 3 FUNGSI" is in capitals too, but names fields.
            && view.label_block(i).is_none()
        {
            let text = view.text(i);
            fields.year = fields.year.or_else(|| header::year(text));
            heading.extend(header::heading_rest(text));
            blanks = 0;
        } else {
            break;
        }
        i += 1;
    }
    let heading = heading.join(" ");
    fields.heading = (!heading.is_empty()).then_some(heading);
    i
}

fn open_part(label: Label, value: &str, line: usize, fields: &mut Fields) -> Part {
    match label {
        Label::Jabatan | Label::Eselon | Label::Organisasi | Label::Tahun | Label::Other => {
            if value.is_empty() {
                return Part::Value(label);
            }
            set_value(label, value, fields);
            Part::None
        }
        list => {
            let mut builder = ListBuilder::default();
            if !value.is_empty() {
                builder.push(value, line);
            }
            Part::List(list, builder)
        }
    }
}

/// Store the value of a single-value label.
fn set_value(label: Label, value: &str, fields: &mut Fields) {
    match label {
        Label::Jabatan => set_jabatan(fields, value),
        Label::Eselon => {
            let (_, eselon) = split_eselon(&format!("Eselon {value}"));
            fields.eselon = eselon.or(fields.eselon.take());
        }
        Label::Organisasi => fields.organization = Some(value.to_string()),
        Label::Tahun => {
            let year = value
                .split(|c: char| !c.is_ascii_digit())
                .find(|t| t.len() == 4)
                .and_then(|t| t.parse().ok());
            fields.year = fields.year.or(year);
        }
        _ => {}
    }
}

fn set_jabatan(fields: &mut Fields, value: &str) {
    let (jabatan, eselon) = split_eselon(value);
    if !jabatan.is_empty() {
        fields.jabatan = Some(jabatan);
    }
    if eselon.is_some() {
        fields.eselon = eselon;
    }
}

/// Store a finished list in its field (a list label met twice extends the same list).
fn close_part(part: Part, fields: &mut Fields) {
    let Part::List(label, builder) = part else {
        return;
    };
    let (name, target) = match label {
        Label::TugasPokok => ("tugas_pokok", &mut fields.tugas_pokok),
        Label::Fungsi => ("fungsi", &mut fields.fungsi),
        Label::Tujuan => ("tujuan", &mut fields.tujuan),
        _ => ("indikator_tujuan", &mut fields.indikator_tujuan),
    };
    let items = builder.finish(name, &mut fields.warnings);
    target.extend(items);
}

/// The first 60 characters of a text, for messages.
fn short(text: &str) -> String {
    let mut s = crate::vocab::head(text, 60).to_string();
    if s.len() < text.len() {
        s.push('…');
    }
    s
}

fn build_record(
    view: &View<'_>,
    fields: Fields,
    signatory_refs: Vec<usize>,
    span: Span,
    stray: Vec<Warning>,
) -> IkiRecord {
    let mut warnings = fields.warnings;
    warnings.extend(stray);
    let jabatan = fields.jabatan.or_else(|| fields.heading.clone());
    if jabatan.is_none() {
        warnings.push(Warning::new(
            WarningCode::MissingJabatan,
            "form names no position",
            Some(span.start_line),
        ));
    }
    if !fields.had_table {
        warnings.push(Warning::new(
            WarningCode::MissingTable,
            "form has no indicator table",
            Some(span.start_line),
        ));
    }
    IkiRecord {
        span,
        heading: fields.heading,
        year: fields.year.or(view.c.doc.year),
        organization: fields
            .organization
            .or_else(|| view.c.doc.organization.clone()),
        jabatan,
        eselon: fields.eselon,
        tugas_pokok: fields.tugas_pokok,
        fungsi: fields.fungsi,
        tujuan: fields.tujuan,
        indikator_tujuan: fields.indikator_tujuan,
        indicators: fields.indicators,
        signatory_refs,
        // Set from evidence by `confidence` once the document is read.
        confidence: 0.0,
        warnings,
    }
}

/// One signer for many forms: when only the last form has signature blocks, they close every
/// form.
fn share_final_signatures(records: &mut [IkiRecord]) {
    let Some((last, rest)) = records.split_last_mut() else {
        return;
    };
    if !last.signatory_refs.is_empty() && rest.iter().all(|r| r.signatory_refs.is_empty()) {
        for r in rest {
            r.signatory_refs = last.signatory_refs.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::WarningCode;

    /// A tab table interrupted by a long note, its last rows after the note: the rows the
    /// reader left are named and the record's confidence drops.
    #[test]
    fn rows_after_the_table_are_named_and_lower_confidence() {
        let form = |rows_after: bool| {
            let mut text = String::from(
                "INDIKATOR KINERJA INDIVIDU\nJabatan : Camat\n\
                 No\tSasaran\tIndikator Kinerja\tSumber Data\n\
                 1\tMeningkatnya layanan satu\tPersentase layanan satu\tKecamatan\n\
                 2\tMeningkatnya layanan dua\tPersentase layanan dua\tKecamatan\n",
            );
            if rows_after {
                text.push_str(
                    "Catatan ini ditulis oleh petugas yang menyalin tabel dari berkas lama kantor\n\
                     3\tMeningkatnya layanan tiga\tPersentase layanan tiga\tKecamatan\n\
                     4\tMeningkatnya layanan empat\tPersentase layanan empat\tKecamatan\n",
                );
            }
            text.push_str(
                "Lumajang, 2 Januari 2024\nCAMAT\nBUDI SANTOSO\nNIP. 19700101 199003 1 001\n",
            );
            crate::extract("form.txt", text.as_bytes())
        };
        let (whole, cut) = (form(false), form(true));
        assert_eq!(cut.records[0].indicators.len(), 2);
        let unread: Vec<_> = cut.records[0]
            .warnings
            .iter()
            .filter(|w| w.code == WarningCode::TableRowUnread)
            .collect();
        assert_eq!(unread.len(), 2, "{:?}", cut.records[0].warnings);
        assert!(
            cut.records[0].confidence < whole.records[0].confidence - 0.1,
            "{} against {}",
            cut.records[0].confidence,
            whole.records[0].confidence
        );
    }
}

#[cfg(test)]
mod after_table_tests {
    /// Empty lettered items take the lines after the table, when there are as many.
    #[test]
    fn empty_items_take_the_lines_after_the_table() {
        let form = |extra: &str| {
            let text = format!(
                "INDIKATOR KINERJA INDIVIDU\nJabatan : Camat\nFungsi :\na.\nb.\n\n\
                 No\tSasaran\tIndikator Kinerja\tTarget\n\
                 1\tMeningkatnya layanan\tPersentase layanan\t100 %\n\n\
                 penyusunan rencana kerja;\npelaporan pelaksanaan tugas.\n{extra}\n\
                 Lumajang, 2 Januari 2024\nCAMAT\nBUDI SANTOSO\nNIP. 19700101 199003 1 001\n"
            );
            crate::extract("form.txt", text.as_bytes())
        };
        let filled = form("");
        let fungsi: Vec<&str> = filled.records[0]
            .fungsi
            .iter()
            .map(|i| i.text.as_str())
            .collect();
        assert_eq!(
            fungsi,
            ["penyusunan rencana kerja;", "pelaporan pelaksanaan tugas."]
        );
        // Three lines for two items: nothing is guessed.
        let unequal = form("catatan tambahan");
        assert!(unequal.records[0].fungsi.iter().all(|i| i.text.is_empty()));
    }
}
