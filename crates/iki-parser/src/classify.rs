//! Every line's facts, computed once: what the line can be in an IKI form.
//!
//! A line is tested against the form's vocabulary behind cheap gates (word counts, a colon,
//! digits, the shape of the first word), so most lines cost a few comparisons. The facts are
//! not exclusive: a line can both name a label and look like a heading; the readers decide in
//! context. Document facts (running headers, the wrap width of space-laid text, the year of
//! the title, the letterhead) come from the same pass.
//!
//! After this module nothing folds or re-splits a line: readers and the assembler work from
//! [`Facts`], the scan's arenas and the values the grammars returned here.

use std::collections::HashMap;

use crate::date::{parse_date_line, PlaceDate};
use crate::header::{self, label_line};
use crate::items::item_line;
use crate::model::DocumentKind;
use crate::names::has_degrees;
use crate::nip::{parse_nip_line, ParsedNip};
use crate::scan::{flag, Delim, Line, Scan, Span};
use crate::vocab::{self, Column, HeaderToken, Label};

/// Fact bits of a line.
pub mod fact {
    /// The generic IKI title ("INDIKATOR KINERJA INDIVIDU ...").
    pub const TITLE: u32 = 1;
    /// Page furniture: a page number, viewer or site boilerplate, an e-signature footer,
    /// a table rule.
    pub const FURNITURE: u32 = 1 << 1;
    /// Could continue a title block: short, mostly capitals, not a label.
    pub const HEADING: u32 = 1 << 2;
    /// "PEMERINTAH KABUPATEN/KOTA/PROVINSI ...": a letterhead.
    pub const GOVERNMENT: u32 = 1 << 3;
    /// Every word belongs to a table header (the tail of a wrapped header).
    pub const HEADER_WORDS: u32 = 1 << 4;
    /// Starts with a row number ("1", "2.", "12)") as its own cell or word.
    pub const ROW_NUMBER: u32 = 1 << 5;
    /// Can only belong to a signature area: a place-and-date line, "Mengetahui", a NIP.
    pub const ANCHOR: u32 = 1 << 6;
    /// Starts with a list marker ("a.", "1.", "3.a").
    pub const ITEM: u32 = 1 << 7;
    /// Starts with a bullet ("-", "•").
    pub const BULLET: u32 = 1 << 9;
    /// A bare form number ("2.", "IV.").
    pub const FORM_NUMBER: u32 = 1 << 8;
}

/// A line that can only belong to a signature area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Anchor {
    #[default]
    None,
    /// A place-and-date line: index into [`Classified::dates`].
    Date(u32),
    /// "Mengetahui" / "Menyetujui".
    Approve,
    /// A NIP line: index into [`Classified::nips`].
    Nip(u32),
}

/// The facts of one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Facts {
    pub bits: u32,
    /// The header-field label the line opens, and its value (a span of `text`, possibly
    /// empty).
    pub label: Option<(Label, Span)>,
    /// A lone column name (a header cell of a table flattened one cell per line).
    pub column: Option<Column>,
    /// Index into [`Classified::headers`]: the line is (or starts with) a table header.
    pub header: Option<u32>,
    pub anchor: Anchor,
    /// Index into [`Classified::label_blocks`]: the line names several fields, no values.
    pub label_block: Option<u32>,
}

impl Facts {
    pub fn is(&self, bit: u32) -> bool {
        self.bits & bit != 0
    }
}

/// The columns a table header line names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderFact {
    pub columns: Vec<HeaderColumn>,
    /// Every column of the line was named by a cell of its own (tabs, pipes, given cells,
    /// gaps); `false` when the names were read from a run of words.
    pub by_cells: bool,
    /// Words of the line after the header names (a header glued to the first row), as an
    /// index into the scan's words; `None` when the whole line is header.
    pub rest: Option<u32>,
}

impl HeaderFact {
    /// Whether `other` names the same columns in the same order (a header repeated after a
    /// page break, whatever its layout on the new page).
    pub fn same_columns(&self, other: &HeaderFact) -> bool {
        self.columns.len() == other.columns.len()
            && self
                .columns
                .iter()
                .zip(&other.columns)
                .all(|(a, b)| a.column == b.column)
    }
}

/// One named column of a header line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderColumn {
    /// `None` for a cell that names nothing known but holds a column's place ("N0", "#").
    pub column: Option<Column>,
    /// Where its name starts: a character column for space-laid lines, the cell index for
    /// explicit cells.
    pub x: u16,
    /// The name as printed (a span of `raw`).
    pub name: Span,
}

/// The classified document.
#[derive(Debug)]
pub struct Classified {
    pub facts: Vec<Facts>,
    pub headers: Vec<HeaderFact>,
    pub dates: Vec<PlaceDate>,
    pub nips: Vec<ParsedNip>,
    pub label_blocks: Vec<Vec<Label>>,
    pub doc: DocFacts,
}

/// Facts of the whole document.
#[derive(Debug)]
pub struct DocFacts {
    pub kind: DocumentKind,
    /// The year of the first title that states one.
    pub year: Option<i32>,
    /// The unit line under a letterhead.
    pub organization: Option<String>,
    /// Lines (indexes) that repeat as running headers or footers.
    pub running: Vec<bool>,
    /// Lines inside space-laid tables, below their header: a word there is a wrapped cell's,
    /// whatever it reads like alone.
    pub in_table: Vec<bool>,
    /// Where wrapped prose lines end in space-laid text.
    pub wrap_width: Option<u16>,
}

/// A scanned and classified document, read by line index.
#[derive(Clone, Copy)]
pub struct View<'a> {
    pub scan: &'a Scan,
    pub c: &'a Classified,
}

impl<'a> View<'a> {
    pub fn len(&self) -> usize {
        self.scan.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.scan.lines.is_empty()
    }

    pub fn line(&self, i: usize) -> &'a Line {
        &self.scan.lines[i]
    }

    pub fn facts(&self, i: usize) -> &'a Facts {
        &self.c.facts[i]
    }

    /// The collapsed text of line `i`.
    pub fn text(&self, i: usize) -> &'a str {
        self.scan.text(&self.scan.lines[i])
    }

    /// The line's source line number.
    pub fn no(&self, i: usize) -> usize {
        self.scan.lines[i].no as usize
    }

    /// Blank, or page furniture only.
    pub fn is_blank(&self, i: usize) -> bool {
        self.scan.lines[i].is_blank() || self.c.facts[i].is(fact::FURNITURE)
    }

    /// A span of the scan's `text` arena.
    pub fn span_text(&self, span: Span) -> &'a str {
        &self.scan.text[span.range()]
    }

    pub fn header(&self, i: usize) -> Option<&'a HeaderFact> {
        self.c.facts[i].header.map(|h| &self.c.headers[h as usize])
    }

    /// The labels line `i` names without values, if it is a label block.
    pub fn label_block(&self, i: usize) -> Option<&'a [Label]> {
        self.c.facts[i]
            .label_block
            .map(|b| self.c.label_blocks[b as usize].as_slice())
    }

    pub fn label(&self, i: usize) -> Option<(Label, &'a str)> {
        self.c.facts[i]
            .label
            .map(|(label, value)| (label, self.span_text(value)))
    }
}

/// Classify every line of `scan`.
pub fn classify(scan: &Scan) -> Classified {
    let mut out = Classified {
        facts: Vec::with_capacity(scan.lines.len()),
        headers: Vec::new(),
        dates: Vec::new(),
        nips: Vec::new(),
        label_blocks: Vec::new(),
        doc: DocFacts {
            kind: DocumentKind::Unknown,
            year: None,
            organization: None,
            running: Vec::new(),
            in_table: Vec::new(),
            wrap_width: None,
        },
    };
    for line in &scan.lines {
        let facts = line_facts(scan, line, &mut out);
        out.facts.push(facts);
    }
    out.doc = doc_facts(scan, &out);
    out
}

fn line_facts(scan: &Scan, line: &Line, out: &mut Classified) -> Facts {
    let mut f = Facts::default();
    if line.is_blank() {
        return f;
    }
    let text = scan.text(line);
    let folded = scan.fold(line);
    let words = line.word_count();
    if line.is(flag::RULE) || is_furniture(line, text) {
        f.bits |= fact::FURNITURE;
        return f;
    }
    // Blocks, not gap pieces: a title or heading may have double spaces inside.
    let filled = scan.filled_blocks(line);
    if filled <= 2 && vocab::is_iki_title(folded) {
        f.bits |= fact::TITLE;
    }
    if let Some(ll) = label_candidate(line, text).and_then(label_line) {
        let value = span_of(scan, line, ll.value);
        f.label = Some((ll.label, value));
    }
    // A heading: one block, mostly capitals, at most twelve words, not a label.
    if f.label.is_none() && line.is(flag::UPPER) && words <= 12 && scan.blocks(line) == 1 {
        f.bits |= fact::HEADING;
    }
    if f.label.is_none() && !line.is(flag::COLON) && words <= 14 {
        if let Some(labels) = vocab::label_block(folded) {
            out.label_blocks.push(labels);
            f.label_block = Some(out.label_blocks.len() as u32 - 1);
        }
    }
    if line.is(flag::UPPER) && header::is_government_line(text) {
        f.bits |= fact::GOVERNMENT;
    }
    if words <= 12 && vocab::is_header_words(folded) {
        f.bits |= fact::HEADER_WORDS;
    }
    if let Some(h) = header_fact(scan, line) {
        out.headers.push(h);
        f.header = Some(out.headers.len() as u32 - 1);
    }
    if filled == 1 && words <= 7 && f.label.is_none() {
        f.column = vocab::column(folded).filter(|c| *c != Column::Other || !text.is_empty());
    }
    if starts_with_row_number(scan, line) {
        f.bits |= fact::ROW_NUMBER;
    }
    let item = item_line(text);
    if item.label.is_some() {
        f.bits |= fact::ITEM;
    }
    if item.bullet {
        f.bits |= fact::BULLET;
    }
    if is_form_number(text) {
        f.bits |= fact::FORM_NUMBER;
    }
    f.anchor = anchor(line, text, folded, out);
    if f.anchor != Anchor::None {
        f.bits |= fact::ANCHOR;
    }
    f
}

/// Whether the text can be a label line at all: a colon within its first eight words, or at
/// most four words (a bare label such as "- Fungsi").
fn label_candidate<'t>(line: &Line, text: &'t str) -> Option<&'t str> {
    if line.is(flag::COLON) || line.word_count() <= 5 {
        Some(text)
    } else {
        None
    }
}

/// The span of `part` (a substring of the line's text) in the scan's text arena.
fn span_of(scan: &Scan, line: &Line, part: &str) -> Span {
    let text = scan.text(line);
    let base = text.as_ptr() as usize;
    let at = part.as_ptr() as usize;
    if part.is_empty() || at < base || at + part.len() > base + text.len() {
        return Span {
            start: line.text.end,
            end: line.text.end,
        };
    }
    let start = line.text.start + (at - base) as u32;
    Span {
        start,
        end: start + part.len() as u32,
    }
}

/// Page numbers, viewer and site boilerplate, the e-signature footer.
fn is_furniture(_line: &Line, text: &str) -> bool {
    vocab::is_furniture_text(text)
}

/// A bare form number: "2.", "IV.", "3)".
fn is_form_number(text: &str) -> bool {
    let t = text.trim_end_matches(['.', ')']);
    t.len() < text.len().max(1) + 1
        && !t.is_empty()
        && t.len() <= 4
        && (t.bytes().all(|b| b.is_ascii_digit()) || t.bytes().all(|b| b"IVX".contains(&b)))
}

/// Whether a piece of text is a row number: one to three digits, an optional "." or ")".
pub fn is_row_number(text: &str) -> bool {
    let t = text.trim_end_matches(['.', ')']);
    !t.is_empty() && t.len() <= 3 && t.bytes().all(|b| b.is_ascii_digit())
}

fn starts_with_row_number(scan: &Scan, line: &Line) -> bool {
    if !line.is(flag::DIGIT) {
        return false;
    }
    let first_cell = scan
        .cells_of(line)
        .iter()
        .find(|c| !c.span.is_empty())
        .map(|c| scan.cell(c));
    let first_word = scan.words_of(line).first().map(|w| scan.word(w));
    first_cell.is_some_and(is_row_number) || first_word.is_some_and(is_row_number)
}

/// The columns a line names, when it is a table header: every filled cell names a column (a
/// garbled short name keeps a column's place), at least two known, one of them the
/// indicator (or sasaran and rumus). Lines without cells are read word by word as a run of
/// column names, possibly followed by the first row (a header glued to its table).
fn header_fact(scan: &Scan, line: &Line) -> Option<HeaderFact> {
    let cells = scan.cells_of(line);
    let filled = scan.filled(line);
    if filled >= 2 {
        // Column names are at most seven words: a cell with seven spaces is data.
        if cells
            .iter()
            .any(|c| scan.cell(c).bytes().filter(|b| *b == b' ').count() >= 7)
        {
            return None;
        }
        let mut columns = Vec::with_capacity(cells.len());
        for (i, cell) in cells.iter().enumerate() {
            let name = scan.cell(cell);
            if name.is_empty() {
                if line.delim.is_explicit() {
                    columns.push(HeaderColumn {
                        column: None,
                        x: i as u16,
                        name: cell.span,
                    });
                }
                continue;
            }
            let folded = vocab::fold(name);
            let column = match vocab::column(&folded) {
                Some(c) => Some(c),
                None if folded.len() <= 3 => Some(Column::Other),
                None => return None,
            };
            columns.push(HeaderColumn {
                column,
                x: if line.delim.is_explicit() {
                    i as u16
                } else {
                    cell.x
                },
                name: cell.span,
            });
        }
        return names_a_table(&columns).then_some(HeaderFact {
            columns,
            by_cells: true,
            rest: None,
        });
    }
    if line.word_count() < 3 || line.word_count() > 40 {
        return None;
    }
    header_from_words(scan, line)
}

/// Whether named columns make an indicator table header.
fn names_a_table(columns: &[HeaderColumn]) -> bool {
    let known = columns
        .iter()
        .filter(|c| c.column.is_some_and(|c| c != Column::Other))
        .count();
    let has = |col: Column| columns.iter().any(|c| c.column == Some(col));
    known >= 2 && (has(Column::Indikator) || (has(Column::Sasaran) && has(Column::Rumus)))
}

/// A header written as one run of words ("NO SASARAN INDIKATOR KINERJA RUMUS TARGET"): the
/// longest prefix of words that are column words (a word naming a column starts it, unless it
/// names the column already open: "RUMUS / FORMULA") or header tail words ("KINERJA",
/// "DATA", "JAWAB" continue the open column). The words after it are the first row of a
/// header glued to its table.
fn header_from_words(scan: &Scan, line: &Line) -> Option<HeaderFact> {
    let words = scan.words_of(line);
    let mut columns: Vec<HeaderColumn> = Vec::new();
    let mut folded = String::new();
    let mut taken = 0;
    for (i, w) in words.iter().enumerate() {
        folded.clear();
        vocab::fold_into(scan.word(w), &mut folded);
        if folded.is_empty() {
            // Punctuation between names ("/").
            taken = i + 1;
            continue;
        }
        match vocab::header_token(&folded) {
            Some(HeaderToken::Names(col))
                if columns.last().is_none_or(|c| c.column != Some(col)) =>
            {
                columns.push(HeaderColumn {
                    column: Some(col),
                    x: w.x,
                    name: w.span,
                });
            }
            Some(HeaderToken::Names(_)) => {}
            Some(HeaderToken::Tail) if !columns.is_empty() => {}
            _ => break,
        }
        if let Some(last) = columns.last_mut() {
            last.name.end = w.span.end;
        }
        taken = i + 1;
        // Cheap gate: the first word must name a column.
        if columns.is_empty() {
            return None;
        }
    }
    if columns.len() < 3 || !names_a_table(&columns) {
        return None;
    }
    let rest = (taken < words.len()).then(|| line.words.0 + taken as u32);
    Some(HeaderFact {
        columns,
        by_cells: false,
        rest,
    })
}

/// What a piece of text is in a signature area, with the values its grammar read.
#[derive(Debug, Clone, PartialEq)]
pub enum SigKind<'t> {
    None,
    Date(PlaceDate),
    Approve,
    Nip(ParsedNip),
    Position { text: &'t str, acting: bool },
    FieldPosition { text: &'t str, acting: bool },
    Name(&'t str),
    Ignored,
}

/// The anchor a line is, if any: NIPs and dates need digits, the approve word opens with
/// an "m".
fn anchor(line: &Line, text: &str, folded: &str, out: &mut Classified) -> Anchor {
    if line.is(flag::DIGIT) {
        if let Some(nip) = parse_nip_line(text) {
            out.nips.push(nip);
            return Anchor::Nip(out.nips.len() as u32 - 1);
        }
        if let Some(pd) = parse_date_line(text) {
            out.dates.push(pd);
            return Anchor::Date(out.dates.len() as u32 - 1);
        }
    }
    if vocab::is_approve(folded) {
        return Anchor::Approve;
    }
    Anchor::None
}

/// What whole line `i` is in a signature area. Anchors were found for every line; positions
/// and names are read here, only for the lines of signature areas.
pub fn signature_line<'a>(view: &View<'a>, i: usize) -> SigKind<'a> {
    match view.facts(i).anchor {
        Anchor::Date(d) => SigKind::Date(view.c.dates[d as usize].clone()),
        Anchor::Nip(n) => SigKind::Nip(view.c.nips[n as usize].clone()),
        Anchor::Approve => SigKind::Approve,
        Anchor::None => {
            let line = view.line(i);
            let kind = signature_kind(view.text(i), view.scan.fold(line), false, line.word_count());
            // Digits that are no NIP or date make no position or name either.
            if line.is(flag::DIGIT) && matches!(kind, SigKind::Name(_)) {
                return SigKind::None;
            }
            kind
        }
    }
}

/// Classify a piece of a line (one block of side-by-side signature blocks).
pub fn signature_piece(text: &str) -> SigKind<'_> {
    let folded = vocab::fold(text);
    let digits = text.bytes().any(|b| b.is_ascii_digit());
    let kind = signature_kind(text, &folded, digits, text.split_whitespace().count());
    if digits && matches!(kind, SigKind::Name(_)) {
        return SigKind::None;
    }
    kind
}

/// The signature-area grammar of one piece of text. Cheap gates first: NIPs and dates need
/// digits, positions and names are short.
fn signature_kind<'t>(text: &'t str, folded: &str, digits: bool, words: usize) -> SigKind<'t> {
    if folded.is_empty() {
        return SigKind::None;
    }
    if digits {
        if let Some(nip) = parse_nip_line(text) {
            return SigKind::Nip(nip);
        }
        if let Some(pd) = parse_date_line(text) {
            return SigKind::Date(pd);
        }
    }
    if vocab::is_approve(folded) {
        return SigKind::Approve;
    }
    if words > 14 {
        return SigKind::None;
    }
    if vocab::is_signature_description(folded) || vocab::is_rank(folded) {
        return SigKind::Ignored;
    }
    // "Nama : X", "Jabatan : Y" written as fields.
    if let Some((label, value)) = text.split_once(':') {
        let value = value.trim();
        match vocab::fold(label).as_str() {
            // A blank "NAMA :" is the name left to be written by hand: a signer without one.
            "nama" | "nama pegawai" => return SigKind::Name(value),
            "nip" if value.is_empty() => return SigKind::Ignored,
            "jabatan" if !value.is_empty() => {
                let (acting, rest) = strip_acting(value);
                return SigKind::FieldPosition {
                    text: rest.trim(),
                    acting,
                };
            }
            "pangkat" | "golongan" | "pangkat golongan" | "pangkat gol" => return SigKind::Ignored,
            _ => {}
        }
    }
    let (acting, rest) = strip_acting(text);
    if !has_degrees(text)
        && (acting || vocab::is_position(&vocab::fold(rest)) || text.trim_end().ends_with(','))
    {
        return SigKind::Position {
            text: rest.trim().trim_end_matches(',').trim(),
            acting,
        };
    }
    if is_name(text) {
        return SigKind::Name(text.trim());
    }
    SigKind::None
}

/// "Plt. CAMAT" → (true, "CAMAT"); also "Pit." (OCR), "Plh.".
pub fn strip_acting(text: &str) -> (bool, &str) {
    let t = text.trim();
    let is_acting =
        |s: &str| ["plt", "pit", "plh"].contains(&vocab::fold(s).replace(' ', "").as_str());
    // The marker is the first word, or its first two pieces when OCR split it ("Pl t.").
    let words: Vec<(usize, &str)> = t
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - t.as_ptr() as usize, w))
        .take(3)
        .collect();
    let end_of = |k: usize| words[k].0 + words[k].1.len();
    let mut candidates = Vec::new();
    if let Some(&(_, first)) = words.first() {
        if first.len() > 5 && !first.contains('.') {
            return (false, t);
        }
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
    (1..=8).contains(&words) && letters >= 3 && !text.bytes().any(|b| b.is_ascii_digit())
}

/// Document facts from the classified lines.
fn doc_facts(scan: &Scan, c: &Classified) -> DocFacts {
    let kind = detect_kind(scan, c);
    let year = scan
        .lines
        .iter()
        .zip(&c.facts)
        .filter(|(_, f)| f.is(fact::TITLE))
        .find_map(|(l, _)| header::year(scan.text(l)));
    let in_table = space_laid_tables(scan, c);
    DocFacts {
        kind,
        year,
        organization: letterhead(scan, c),
        running: running_lines(scan, c, &in_table),
        in_table,
        wrap_width: wrap_width(scan),
    }
}

/// Is this an IKI text, and if not, what is it? The first title of the opening lines
/// decides: an IKI title, or the title of another performance document (SKP, Perjanjian
/// Kinerja, IKU, a cascading matrix) whose tables may well hold a column named "Indikator
/// Kinerja Individu". Without a title up front: an IKI title anywhere, else a near-miss
/// phrase in the opening, else a position label and an indicator table.
fn detect_kind(scan: &Scan, c: &Classified) -> DocumentKind {
    let opening: Vec<usize> = (0..scan.lines.len())
        .filter(|&i| !scan.lines[i].is_blank() && !c.facts[i].is(fact::FURNITURE))
        .take(40)
        .collect();
    let is_title = |i: usize| c.facts[i].is(fact::TITLE) && !is_column_cell(c, i);
    for &i in &opening {
        if is_title(i) {
            return DocumentKind::Iki;
        }
        let line = &scan.lines[i];
        let title_like = line.word_count() <= 8 && line.is(flag::UPPER);
        if title_like {
            if let Some(kind) = vocab::near_miss_kind(scan.fold(line)) {
                return kind;
            }
        }
    }
    if (0..scan.lines.len()).any(is_title) {
        return DocumentKind::Iki;
    }
    // A near-miss is named in a short line of its own (a title or heading), never inside
    // a paragraph: duties often mention "rencana aksi" or "perjanjian kinerja".
    if let Some(kind) = opening
        .iter()
        .filter(|&&i| scan.lines[i].word_count() <= 12)
        .find_map(|&i| vocab::near_miss_kind(scan.fold(&scan.lines[i])))
    {
        return kind;
    }
    let has_jabatan = c
        .facts
        .iter()
        .any(|f| f.label.is_some_and(|(l, _)| l == Label::Jabatan));
    let has_table = c.facts.iter().any(|f| f.header.is_some());
    if has_jabatan && has_table {
        DocumentKind::Iki
    } else {
        DocumentKind::Unknown
    }
}

/// Whether line `i` — which reads as the IKI title — is a column name among column names
/// standing one per line (a flattened table header).
fn is_column_cell(c: &Classified, i: usize) -> bool {
    let near = |j: usize| {
        c.facts[j]
            .column
            .is_some_and(|col| col != Column::Indikator)
    };
    (i > 0 && near(i - 1)) || (i + 1 < c.facts.len() && near(i + 1))
}

/// The issuing unit from a letterhead: the line after "PEMERINTAH KABUPATEN ...".
fn letterhead(scan: &Scan, c: &Classified) -> Option<String> {
    let at = c
        .facts
        .iter()
        .take(200)
        .position(|f| f.is(fact::GOVERNMENT))?;
    let next = (at + 1..scan.lines.len()).find(|&i| !scan.lines[i].is_blank())?;
    c.facts[next]
        .is(fact::HEADING)
        .then(|| scan.text(&scan.lines[next]).to_string())
}

/// Lines inside space-laid tables: from a header line whose gap-separated pieces name the
/// columns to the first line that is explicit cells, a signature anchor, a title or a label
/// with its colon.
fn space_laid_tables(scan: &Scan, c: &Classified) -> Vec<bool> {
    let n = scan.lines.len();
    let mut inside = vec![false; n];
    let ends = |j: usize| {
        let f = &c.facts[j];
        scan.lines[j].delim.is_explicit()
            || f.is(fact::ANCHOR | fact::TITLE)
            || (f.label.is_some() && scan.lines[j].is(flag::COLON))
    };
    let mut i = 0;
    while i < n {
        let starts = scan.lines[i].delim == Delim::Gap
            && c.facts[i]
                .header
                .is_some_and(|h| c.headers[h as usize].by_cells);
        if !starts {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < n && !ends(j) {
            inside[j] = true;
            j += 1;
        }
        i = j;
    }
    inside
}

/// Running headers and footers: short one-cell lines printed three or more times that are
/// not titles, labels, list items, sentences or signature lines (nor words of wrapped table
/// cells).
fn running_lines(scan: &Scan, c: &Classified, in_table: &[bool]) -> Vec<bool> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let candidate = |i: usize| {
        let l = &scan.lines[i];
        let f = &c.facts[i];
        !l.is_blank()
            && !in_table[i]
            && l.delim == Delim::Gap
            && scan.filled_blocks(l) == 1
            && l.word_count() <= 12
            && !l.is(flag::ENDS_PUNCT)
            && f.label.is_none()
            && !f.is(fact::ANCHOR | fact::ITEM | fact::BULLET)
    };
    for i in 0..scan.lines.len() {
        if candidate(i) {
            *counts.entry(scan.text(&scan.lines[i])).or_default() += 1;
        }
    }
    (0..scan.lines.len())
        .map(|i| candidate(i) && counts[scan.text(&scan.lines[i])] >= 3)
        .collect()
}

/// The wrap width of a space-laid document: where its longer prose lines end (the 90th
/// percentile of line ends). `None` when too few lines say, or when the lines do not look
/// wrapped at a fixed width.
fn wrap_width(scan: &Scan) -> Option<u16> {
    let mut ends: Vec<u16> = scan
        .lines
        .iter()
        .filter(|l| l.delim == Delim::Gap && scan.filled_blocks(l) == 1 && l.word_count() >= 4)
        .map(|l| l.x_end)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::from_text;

    fn facts(text: &str) -> (Scan, Classified) {
        let scan = Scan::new(&from_text(text));
        let c = classify(&scan);
        (scan, c)
    }

    #[test]
    fn line_facts_known_answers() {
        let (scan, c) = facts(
            "INDIKATOR KINERJA INDIVIDU (IKI) TAHUN 2023\n\
             JABATAN\t:\tSEKRETARIS CAMAT\n\
             No\tSasaran\tIndikator Kinerja\tRumus\n\
             1.\tMeningkatnya A\tPersentase A\tA dibagi B\n\
             Halaman 2 dari 9\n\
             Lumajang, 02 Februari 2023\n\
             Mengetahui,\n\
             Plt. CAMAT LUMAJANG\n\
             Drs. DEDWI SUPRAPTO, M.Si.\n\
             NIP. 19701218 199101 1 002\n",
        );
        let f = &c.facts;
        assert!(f[0].is(fact::TITLE));
        assert_eq!(c.doc.year, Some(2023));
        let (label, value) = f[1].label.unwrap();
        assert_eq!(label, Label::Jabatan);
        assert_eq!(&scan.text[value.range()], "SEKRETARIS CAMAT");
        let h = &c.headers[f[2].header.unwrap() as usize];
        let cols: Vec<Option<Column>> = h.columns.iter().map(|c| c.column).collect();
        assert_eq!(
            cols,
            [
                Some(Column::No),
                Some(Column::Sasaran),
                Some(Column::Indikator),
                Some(Column::Rumus)
            ]
        );
        assert!(f[3].is(fact::ROW_NUMBER) && f[3].header.is_none());
        assert!(f[4].is(fact::FURNITURE));
        assert!(matches!(f[5].anchor, Anchor::Date(_)) && f[5].is(fact::ANCHOR));
        assert_eq!(f[6].anchor, Anchor::Approve);
        let view = View { scan: &scan, c: &c };
        assert_eq!(
            signature_line(&view, 7),
            SigKind::Position {
                text: "CAMAT LUMAJANG",
                acting: true
            }
        );
        assert!(matches!(signature_line(&view, 8), SigKind::Name(_)));
        assert!(matches!(f[9].anchor, Anchor::Nip(_)));
        assert_eq!(c.doc.kind, DocumentKind::Iki);
    }

    #[test]
    fn headers_from_words_and_glued_rows() {
        let (scan, c) = facts("NO SASARAN INDIKATOR KINERJA RUMUS TARGET 1 Meningkatnya layanan");
        let h = &c.headers[c.facts[0].header.unwrap() as usize];
        let names: Vec<&str> = h
            .columns
            .iter()
            .map(|c| &scan.raw[c.name.range()])
            .collect();
        assert_eq!(
            names,
            ["NO", "SASARAN", "INDIKATOR KINERJA", "RUMUS", "TARGET"]
        );
        let rest = h.rest.unwrap() as usize;
        assert_eq!(scan.word(&scan.words[rest]), "1");
        let (_, c) = facts("Sasaran yang ingin dicapai adalah indikator kinerja yang baik");
        assert!(c.facts[0].header.is_none());
    }

    #[test]
    fn gap_headers_keep_columns() {
        let (_, c) = facts("No  Sasaran            Indikator Kinerja     Rumus/ Formula    Target");
        let h = &c.headers[c.facts[0].header.unwrap() as usize];
        let xs: Vec<u16> = h.columns.iter().map(|c| c.x).collect();
        assert_eq!(xs, [0, 4, 23, 45, 63]);
        assert!(h.by_cells);
    }
}
