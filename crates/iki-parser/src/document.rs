//! Assembly: split the line model into forms, run the part grammars on each form's lines, and
//! build typed records with confidence and warnings.
//!
//! A form starts at its title ("INDIKATOR KINERJA INDIVIDU ..."); a title block with one form per
//! "Jabatan" label (forms numbered "1.", "2." under one title) is split at each label. Inside a
//! form the lines are read in order: title block → header fields and lists → table →
//! signature area.

use std::collections::{HashMap, HashSet};

use crate::header::{self, is_government_line, is_heading_line, label_line, split_eselon};
use crate::items::ListBuilder;
use crate::model::{
    DocumentKind, IkiRecord, Indicator, Item, Signatory, Span, Warning, WarningCode,
};
use crate::normalize::Line;
use crate::signature::{self, is_signature_anchor};
use crate::table::{self, TableBuilder};
use crate::vocab::{fold, head, is_iki_title, Label, TITLE_HEAD};

/// Everything read from one text.
#[derive(Debug, Clone)]
pub struct ParsedText {
    pub kind: DocumentKind,
    pub records: Vec<IkiRecord>,
    pub signatories: Vec<Signatory>,
    pub warnings: Vec<Warning>,
}

/// Parse the normalised lines of one document.
pub fn parse(lines: &[Line]) -> ParsedText {
    let kind = detect_kind(lines);
    let mut parsed = ParsedText {
        kind,
        records: Vec::new(),
        signatories: Vec::new(),
        warnings: Vec::new(),
    };
    if kind != DocumentKind::Iki {
        return parsed;
    }
    let doc_year = lines
        .iter()
        .filter(|l| is_title(l))
        .find_map(|l| header::year(&l.text));
    let organization = letterhead(lines);
    let context = Context {
        running: running_lines(lines),
        wrap_width: wrap_width(lines),
    };
    for range in form_ranges(lines) {
        let form = read_form(&lines[range.clone()], &context);
        let first_sig = parsed.signatories.len();
        parsed.signatories.extend(form.signatories);
        parsed.warnings.extend(form.sig_warnings);
        if !form.has_content {
            parsed.warnings.extend(
                form.stray
                    .into_iter()
                    .filter(|w| w.code != WarningCode::UnattributedText),
            );
            continue;
        }
        let refs: Vec<usize> = (first_sig..parsed.signatories.len()).collect();
        parsed.records.push(build_record(
            form.fields,
            doc_year,
            organization.clone(),
            refs,
            span(&lines[range]),
            form.stray,
        ));
    }
    share_final_signatures(&mut parsed.records);
    parsed
}

/// What the whole document tells the reading of each form.
struct Context<'a> {
    /// Running headers and footers to skip ([`running_lines`]).
    running: HashSet<&'a str>,
    /// Where wrapped text lines end, for space-laid documents ([`wrap_width`]).
    wrap_width: Option<usize>,
}

impl Context<'_> {
    /// Whether `above` ran to the wrap width, so the next line continues its text.
    fn wrapped(&self, above: Option<&Line>) -> bool {
        match (self.wrap_width, above.and_then(Line::end_x)) {
            (Some(width), Some(end)) => end + 12 >= width,
            _ => false,
        }
    }
}

/// The wrap width of a space-laid document: where its longer prose lines end (the 90th
/// percentile of line ends). `None` when too few lines say, or when the lines do not look
/// wrapped at a fixed width.
fn wrap_width(lines: &[Line]) -> Option<usize> {
    let mut ends: Vec<usize> = lines
        .iter()
        .filter(|l| l.filled() == 1 && l.text.split_whitespace().nth(3).is_some())
        .filter_map(Line::end_x)
        .collect();
    if ends.len() < 10 {
        return None;
    }
    ends.sort_unstable();
    let width = ends[ends.len() * 9 / 10];
    // Text wrapped at a fixed width has many lines ending just short of it; lines of free
    // length (one paragraph per line) do not.
    let near = ends
        .iter()
        .filter(|&&e| e + 12 >= width && e <= width + 2)
        .count();
    (width >= 60 && near * 100 >= ends.len() * 15).then_some(width)
}

/// Running headers and footers: short one-cell lines printed three or more times that are not
/// titles, labels, list items, sentences or signature lines. They are skipped where form
/// fields are read (signature areas keep theirs: a position such as "CAMAT LUMAJANG" repeats
/// under every form).
fn running_lines(lines: &[Line]) -> HashSet<&str> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for l in lines.iter().filter(|l| l.filled() == 1 && !l.tabbed) {
        if l.text.split_whitespace().nth(12).is_none() && !l.text.ends_with([';', '.', ',', ':']) {
            *counts.entry(l.text.as_str()).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .filter(|&(text, n)| {
            n >= 3
                && label_line(text).is_none()
                && !is_signature_anchor(text)
                && crate::items::item_line(text).label.is_none()
                && !crate::items::item_line(text).bullet
        })
        .map(|(text, _)| text)
        .collect()
}

/// Is this an IKI text, and if not, what is it?
fn detect_kind(lines: &[Line]) -> DocumentKind {
    if lines.iter().any(is_title) {
        return DocumentKind::Iki;
    }
    let opening: Vec<String> = lines
        .iter()
        .filter(|l| !l.is_blank())
        .take(40)
        .map(|l| fold(&l.text))
        .collect();
    let mentions = |phrase: &str| opening.iter().any(|f| f.contains(phrase));
    if mentions("perjanjian kinerja") {
        return DocumentKind::PerjanjianKinerja;
    }
    if mentions("indikator kinerja utama") {
        return DocumentKind::Iku;
    }
    if mentions("sasaran kinerja pegawai") {
        return DocumentKind::Skp;
    }
    let has_jabatan = lines
        .iter()
        .any(|l| label_line(&l.text).is_some_and(|ll| ll.label == Label::Jabatan));
    let has_table = lines.iter().any(|l| table::header(l).is_some());
    if has_jabatan && has_table {
        DocumentKind::Iki
    } else {
        DocumentKind::Unknown
    }
}

fn is_title(line: &Line) -> bool {
    // The title words come first: fold only the head of the line.
    line.filled() <= 2 && is_iki_title(&fold(head(&line.text, TITLE_HEAD)))
}

/// The issuing unit from a letterhead: the line after "PEMERINTAH KABUPATEN ...".
fn letterhead(lines: &[Line]) -> Option<String> {
    let at = lines
        .iter()
        .take(200)
        .position(|l| is_government_line(&l.text))?;
    lines[at + 1..]
        .iter()
        .find(|l| !l.is_blank())
        .filter(|l| is_heading_line(&l.text, l.cells.len()))
        .map(|l| l.text.clone())
}

/// Line ranges of the forms: from each title to the next; a range holding several "Jabatan"
/// labels is split before each (taking along a bare "2." form number above it).
fn form_ranges(lines: &[Line]) -> Vec<std::ops::Range<usize>> {
    // anchors_before[i]: signature lines above line i (counted once, so the check per title
    // stays constant-time).
    let mut anchors_before = Vec::with_capacity(lines.len() + 1);
    anchors_before.push(0usize);
    for l in lines {
        let last = anchors_before.last().copied().unwrap_or(0);
        anchors_before.push(last + usize::from(is_signature_anchor(&l.text)));
    }
    let mut starts: Vec<usize> = Vec::new();
    let titles =
        (0..lines.len()).filter(|&i| is_title(&lines[i]) && !crate::flat::is_header_cell(lines, i));
    for i in titles {
        let running = starts.last().is_some_and(|&prev| {
            anchors_before[i] == anchors_before[prev] && is_running_title(lines, prev, i)
        });
        if !running {
            starts.push(i);
        }
    }
    if starts.first() != Some(&0) {
        starts.insert(0, 0);
    }
    let mut ranges = Vec::new();
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(lines.len());
        let jabatan: Vec<usize> = (start..end)
            .filter(|&i| label_line(&lines[i].text).is_some_and(|l| l.label == Label::Jabatan))
            .collect();
        let mut cuts = vec![start];
        for &j in jabatan.iter().skip(1) {
            cuts.push(back_over_form_number(lines, j, start));
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
fn is_running_title(lines: &[Line], form_start: usize, at: usize) -> bool {
    let block = |i: usize| title_block(lines, i);
    let (title_text, after) = block(at);
    let Some(next) = lines[after..].iter().find(|l| !l.is_blank()) else {
        return false;
    };
    if next.tabbed && next.cells.len() >= 2 && label_line(&next.text).is_none() {
        // A bare title (no heading of its own) over a table header is a page's running
        // header too: a new form would name its position.
        let bare = header::heading_rest(&title_text).is_none();
        return table::header(next).is_none() || bare || block(form_start).0 == title_text;
    }
    if label_line(&next.text).is_some() {
        return false;
    }
    let item = crate::items::item_line(&next.text);
    item.label.is_some() || next.text.starts_with(|c: char| c.is_lowercase())
}

/// The text of the title block at `at` (the title line and heading lines under it) and the
/// index of the line after it.
fn title_block(lines: &[Line], at: usize) -> (String, usize) {
    let mut text = lines[at].text.clone();
    let mut i = at + 1;
    while let Some(l) = lines.get(i) {
        if !(l.is_blank() || l.cells.len() == 1 && is_heading_line(&l.text, 1)) {
            break;
        }
        if !l.is_blank() {
            text.push(' ');
            text.push_str(&l.text);
        }
        i += 1;
    }
    (text, i)
}

/// Move a cut up over blank lines and a bare form number ("2.") just above a label.
fn back_over_form_number(lines: &[Line], at: usize, floor: usize) -> usize {
    let mut i = at;
    while i > floor + 1 && lines[i - 1].is_blank() {
        i -= 1;
    }
    let bare_number = |l: &Line| {
        let t = l.text.trim_end_matches(['.', ')']);
        !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || "IVX".contains(c))
    };
    if i > floor + 1 && bare_number(&lines[i - 1]) {
        i - 1
    } else {
        at
    }
}

fn span(lines: &[Line]) -> Span {
    let first = lines.iter().find(|l| !l.is_blank()).or(lines.first());
    let last = lines.iter().rev().find(|l| !l.is_blank()).or(lines.last());
    Span {
        start_line: first.map_or(1, |l| l.no),
        end_line: last.map_or(1, |l| l.no),
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
    indicators: Vec<Indicator>,
    warnings: Vec<Warning>,
    had_table: bool,
}

struct FormRead {
    fields: Fields,
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

fn read_form(lines: &[Line], context: &Context) -> FormRead {
    let mut fields = Fields::default();
    let mut stray = Vec::new();
    let body_start = read_title(lines, &mut fields);
    let mut part = Part::None;
    let mut last_label: Option<Label> = None;
    let mut table: Option<TableBuilder> = None;
    let mut sig_start = lines.len();
    let mut content = false;
    let mut skip_to = body_start;
    for (i, line) in lines.iter().enumerate().skip(body_start) {
        if i < skip_to {
            continue;
        }
        if let Some(t) = table.as_mut() {
            if t.push(line) {
                continue;
            }
            if let Some(resume) = table_resumes_after(lines, i) {
                fields.warnings.push(Warning::new(
                    WarningCode::PageFurniture,
                    format!("skipped {} line(s) between parts of a table", resume - i),
                    Some(line.no),
                ));
                skip_to = resume;
                continue;
            }
            sig_start = i;
            break;
        }
        if line.is_blank() {
            continue;
        }
        if let Some(flat) = crate::flat::read(lines, i) {
            close_part(std::mem::replace(&mut part, Part::None), &mut fields);
            let mut t = TableBuilder::new(flat.header);
            for row in &flat.rows {
                t.push(row);
            }
            fields.warnings.push(Warning::new(
                WarningCode::FlattenedTable,
                "table cells stood one per line; columns were attributed by count",
                Some(line.no),
            ));
            fields.warnings.extend(flat.warnings);
            table = Some(t);
            fields.had_table = true;
            content = true;
            skip_to = flat.end;
            continue;
        }
        if let Some(h) = table::header(line) {
            close_part(std::mem::replace(&mut part, Part::None), &mut fields);
            table = Some(TableBuilder::new(h));
            fields.had_table = true;
            content = true;
            continue;
        }
        if let Some(ll) = label_line(&line.text) {
            close_part(std::mem::replace(&mut part, Part::None), &mut fields);
            content = true;
            // "Indikator :" then "Tujuan :" is "Indikator Tujuan" wrapped over two lines.
            let label = match (ll.label, last_label) {
                (Label::Indikator, _) => Label::IndikatorTujuan,
                (Label::Tujuan, Some(Label::Indikator)) => Label::IndikatorTujuan,
                (l, _) => l,
            };
            last_label = Some(ll.label);
            part = open_part(label, ll.value, line.no, &mut fields);
            continue;
        }
        if is_signature_anchor(&line.text) {
            sig_start = i;
            break;
        }
        if context.running.contains(line.text.as_str()) {
            fields.warnings.push(Warning::new(
                WarningCode::PageFurniture,
                format!("skipped a running header: \"{}\"", short(&line.text)),
                Some(line.no),
            ));
            continue;
        }
        let wrapped_above = context.wrapped(lines[..i].iter().rev().find(|l| !l.is_blank()));
        match &mut part {
            Part::List(_, builder) => builder.push_after(&line.text, line.no, wrapped_above),
            Part::Value(label) => {
                let value = line.text.trim_start_matches([':', ' ']);
                if !value.is_empty() {
                    set_value(*label, value, &mut fields);
                    part = Part::None;
                }
            }
            Part::None => stray.push(Warning::new(
                WarningCode::UnattributedText,
                format!(
                    "text not attributed to any field: \"{}\"",
                    short(&line.text)
                ),
                Some(line.no),
            )),
        }
    }
    close_part(part, &mut fields);
    if let Some(t) = table {
        let (indicators, warnings) = t.finish();
        fields.indicators = indicators;
        fields.warnings.extend(warnings);
    }
    let mut sig_warnings = Vec::new();
    let signatories = signature::parse(&lines[sig_start.min(lines.len())..], &mut sig_warnings);
    FormRead {
        fields,
        signatories,
        sig_warnings,
        stray,
        has_content: content,
    }
}

/// Where a table goes on after page furniture (a running header, a page number) that sits
/// between two of its parts: the index of the next table line, when only a few short lines
/// that are not labels, titles or signature lines come first.
fn table_resumes_after(lines: &[Line], at: usize) -> Option<usize> {
    let mut furniture = 0;
    for (j, line) in lines.iter().enumerate().skip(at).take(10) {
        if line.is_blank() {
            continue;
        }
        if line.tabbed && line.cells.len() >= 2 && label_line(&line.text).is_none() {
            return Some(j);
        }
        let words = line.text.split_whitespace().count();
        furniture += 1;
        if furniture > 3
            || words > 10
            || label_line(&line.text).is_some()
            || is_signature_anchor(&line.text)
        {
            return None;
        }
    }
    None
}

/// Read the title block: the title line, then heading lines (one blank line may separate
/// them). Returns the index of the first body line.
fn read_title(lines: &[Line], fields: &mut Fields) -> usize {
    let Some(first) = lines.iter().position(|l| !l.is_blank()) else {
        return lines.len();
    };
    if !is_title(&lines[first]) {
        return first;
    }
    let mut heading: Vec<String> = Vec::new();
    fields.year = header::year(&lines[first].text);
    heading.extend(header::heading_rest(&lines[first].text));
    let mut i = first + 1;
    let mut blanks = 0;
    while i < lines.len() {
        let l = &lines[i];
        if l.is_blank() {
            blanks += 1;
            if blanks > 1 {
                break;
            }
        } else if is_heading_line(&l.text, l.cells.len()) && !is_government_line(&l.text) {
            fields.year = fields.year.or_else(|| header::year(&l.text));
            heading.extend(header::heading_rest(&l.text));
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

fn short(text: &str) -> String {
    let mut s = head(text, 60).to_string();
    if s.len() < text.len() {
        s.push('…');
    }
    s
}

fn build_record(
    fields: Fields,
    doc_year: Option<i32>,
    organization: Option<String>,
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
        year: fields.year.or(doc_year),
        organization: fields.organization.or(organization),
        jabatan,
        eselon: fields.eselon,
        tugas_pokok: fields.tugas_pokok,
        fungsi: fields.fungsi,
        tujuan: fields.tujuan,
        indikator_tujuan: fields.indikator_tujuan,
        indicators: fields.indicators,
        signatory_refs,
        // Set from evidence by `confidence::assess` once the document is read.
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
