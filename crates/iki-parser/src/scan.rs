//! The line model: every source line read once into a compact record, knowing nothing about
//! IKI forms (as csv-core knows nothing about the records it splits).
//!
//! For each line the scanner keeps, in arenas shared by the whole document (no `String` per
//! line or cell):
//!
//! - `raw`: the line with markup removed (HTML inline tags, `**`, LaTeX, entities), NBSP and
//!   bullet glyphs normalised, its spacing kept, so character columns still line up;
//! - `text`: its non-empty cells joined by one space, whitespace collapsed — what grammars read;
//! - `fold`: `text` folded (lowercase letters and digits, single spaces) — what vocabulary
//!   matching reads;
//! - its words with their character columns, and its cells: the fields between tabs (or the
//!   cells a source gave), between pipes of a Markdown row, or else the pieces between runs of
//!   two or more spaces, each with the width of the gap before it, so a reader can choose
//!   which gaps separate cells;
//! - shape bits (blank, digits, capitals, colon, a table rule such as `|---|---|`).
//!
//! Everything later reads these records; nothing re-splits or re-folds a line.

use crate::input::SourceLine;
use crate::markup::{clean_cell, collapse};

/// A byte range in one of the scan's arenas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }
}

/// How a line's cells are delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delim {
    /// Cells given by the source (an HTML, office or OCR'd ruled table row), tab-joined.
    Given,
    /// Tab-separated fields.
    Tab,
    /// A Markdown pipe row `| a | b |`.
    Pipe,
    /// Pieces between runs of two or more spaces (possibly just one piece).
    Gap,
}

impl Delim {
    /// Whether the cells are a row's cells by construction (tabs, pipes, given), rather than
    /// pieces a gap in the spacing suggests.
    pub fn is_explicit(self) -> bool {
        !matches!(self, Delim::Gap)
    }
}

/// Shape bits of a line, from its collapsed text.
pub mod flag {
    pub const BLANK: u16 = 1;
    /// At least one ASCII digit.
    pub const DIGIT: u16 = 1 << 1;
    /// Three or more letters, at least 80% of them capitals.
    pub const UPPER: u16 = 1 << 2;
    /// Holds a colon.
    pub const COLON: u16 = 1 << 3;
    /// Ends with `.`, `;`, `:` or `,`.
    pub const ENDS_PUNCT: u16 = 1 << 4;
    /// Starts with a lowercase letter.
    pub const LOWER_START: u16 = 1 << 5;
    /// A table rule: dashes, pipes, colons, `=` and `+` only, with a `--`.
    pub const RULE: u16 = 1 << 6;
    /// Holds non-ASCII text.
    pub const NON_ASCII: u16 = 1 << 7;
}

/// One source line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    /// 1-based line number in the source.
    pub no: u32,
    /// In [`Scan::raw`].
    pub raw: Span,
    /// In [`Scan::text`].
    pub text: Span,
    /// In [`Scan::folded`].
    pub fold: Span,
    /// Indexes into [`Scan::words`].
    pub words: (u32, u32),
    /// Indexes into [`Scan::cells`].
    pub cells: (u32, u32),
    pub delim: Delim,
    /// For [`Delim::Given`] lines, the number of the source table the row belongs to (rows
    /// of one table share it); 0 otherwise.
    pub table: u32,
    /// Cells the source doubts (given rows only; see `SourceLine::doubtful`).
    pub doubtful: u16,
    pub flags: u16,
    /// Character column where the raw text's last word ends.
    pub x_end: u16,
}

impl Line {
    pub fn is(&self, f: u16) -> bool {
        self.flags & f != 0
    }

    pub fn is_blank(&self) -> bool {
        self.is(flag::BLANK)
    }

    pub fn word_count(&self) -> usize {
        (self.words.1 - self.words.0) as usize
    }

    pub fn cell_count(&self) -> usize {
        (self.cells.1 - self.cells.0) as usize
    }
}

/// A word of a line's raw text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word {
    /// In [`Scan::raw`].
    pub span: Span,
    /// Character columns of its first character and one past its last.
    pub x: u16,
    pub x_end: u16,
}

/// A cell (or gap-separated piece) of a line's raw text, trimmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    /// In [`Scan::raw`]; may be empty (an empty tab field).
    pub span: Span,
    /// Character column where it starts.
    pub x: u16,
    /// Spaces before it (0 for the first piece and for explicit cells).
    pub gap: u16,
    /// Indexes into [`Scan::words`].
    pub words: (u32, u32),
}

/// Lines longer than this keep only their text: no words, one cell (hostile input stays
/// linear and the arenas small).
pub const MAX_LAID_OUT_CHARS: usize = 4_000;

/// Character columns saturate here.
const MAX_X: usize = u16::MAX as usize;

/// A scanned document.
#[derive(Debug, Default)]
pub struct Scan {
    pub lines: Vec<Line>,
    pub words: Vec<Word>,
    pub cells: Vec<Cell>,
    pub raw: String,
    pub text: String,
    pub folded: String,
}

impl Scan {
    /// Scan every source line.
    pub fn new(source: &[SourceLine<'_>]) -> Scan {
        let bytes: usize = source.iter().map(|l| l.text.len() + 1).sum();
        let mut scan = Scan {
            lines: Vec::with_capacity(source.len()),
            words: Vec::with_capacity(bytes / 6),
            cells: Vec::with_capacity(source.len() * 2),
            raw: String::with_capacity(bytes),
            text: String::with_capacity(bytes),
            folded: String::with_capacity(bytes),
        };
        for line in source {
            scan.push(line);
        }
        scan
    }

    pub fn raw(&self, line: &Line) -> &str {
        &self.raw[line.raw.range()]
    }

    pub fn text(&self, line: &Line) -> &str {
        &self.text[line.text.range()]
    }

    pub fn fold(&self, line: &Line) -> &str {
        &self.folded[line.fold.range()]
    }

    pub fn words_of(&self, line: &Line) -> &[Word] {
        &self.words[line.words.0 as usize..line.words.1 as usize]
    }

    pub fn cells_of(&self, line: &Line) -> &[Cell] {
        &self.cells[line.cells.0 as usize..line.cells.1 as usize]
    }

    pub fn word(&self, word: &Word) -> &str {
        &self.raw[word.span.range()]
    }

    pub fn cell(&self, cell: &Cell) -> &str {
        &self.raw[cell.span.range()]
    }

    /// Number of blocks of the line: its cells when explicit (empty ones included), else its
    /// pieces at least four spaces apart (a gap that wide separates blocks of text, such as
    /// side-by-side signatures or a label and its value).
    pub fn blocks(&self, line: &Line) -> usize {
        if line.delim.is_explicit() {
            return line.cell_count();
        }
        let cells = self.cells_of(line);
        1 + cells.iter().skip(1).filter(|c| c.gap >= 4).count()
    }

    /// [`Scan::blocks`] that hold text.
    pub fn filled_blocks(&self, line: &Line) -> usize {
        if line.delim.is_explicit() {
            self.filled(line)
        } else if line.is_blank() {
            0
        } else {
            self.blocks(line)
        }
    }

    /// Number of cells with text.
    pub fn filled(&self, line: &Line) -> usize {
        self.cells_of(line)
            .iter()
            .filter(|c| !c.span.is_empty())
            .count()
    }

    fn push(&mut self, source: &SourceLine<'_>) {
        let src = normalise_chars(&source.text);
        let delim = if source.given.is_some() {
            Delim::Given
        } else if src.contains('\t') {
            Delim::Tab
        } else if pipe_row(&src).is_some() {
            Delim::Pipe
        } else {
            Delim::Gap
        };
        let raw_start = self.raw.len();
        let cell_start = self.cells.len();
        let word_start = self.words.len();
        let long = src.len() > MAX_LAID_OUT_CHARS;
        let markup = has_markup(&src);
        match delim {
            Delim::Given | Delim::Tab => {
                for (i, field) in src.split('\t').enumerate() {
                    if i > 0 {
                        self.raw.push('\t');
                    }
                    self.push_explicit_cell(field, markup);
                }
            }
            Delim::Pipe => {
                let fields = pipe_row(&src).unwrap_or_default();
                for (i, field) in fields.into_iter().enumerate() {
                    if i > 0 {
                        self.raw.push('\t');
                    }
                    self.push_explicit_cell(field, markup);
                }
            }
            Delim::Gap if long => {
                // A hostile line is kept whole, as one cell.
                self.push_explicit_cell(&collapse(&src), false);
            }
            Delim::Gap if markup => self.push_gap_cells(&clean_pieces(&src)),
            Delim::Gap => self.push_gap_cells(&src),
        }
        let raw = Span {
            start: raw_start as u32,
            end: self.raw.len() as u32,
        };
        if !long {
            self.split_words(raw_start, cell_start, delim);
        }
        // The collapsed text: non-empty cells joined by one space, each collapsed.
        let text_start = self.text.len();
        for c in cell_start..self.cells.len() {
            let span = self.cells[c].span;
            if span.is_empty() {
                continue;
            }
            if self.text.len() > text_start {
                self.text.push(' ');
            }
            push_collapsed(&mut self.text, &self.raw[span.range()]);
        }
        let text = Span {
            start: text_start as u32,
            end: self.text.len() as u32,
        };
        let fold_start = self.folded.len();
        crate::vocab::fold_into(&self.text[text.range()], &mut self.folded);
        let fold = Span {
            start: fold_start as u32,
            end: self.folded.len() as u32,
        };
        let flags = flags(&self.text[text.range()]);
        let x_end = self
            .words
            .last()
            .filter(|_| self.words.len() > word_start)
            .map_or(0, |w| w.x_end);
        self.lines.push(Line {
            no: source.no,
            raw,
            text,
            fold,
            words: (word_start as u32, self.words.len() as u32),
            cells: (cell_start as u32, self.cells.len() as u32),
            delim,
            table: source.given.unwrap_or(0),
            doubtful: source.doubtful,
            flags,
            x_end,
        });
    }

    /// One tab field, pipe field or given cell: cleaned of markup when it has any, trimmed.
    fn push_explicit_cell(&mut self, field: &str, markup: bool) {
        let cleaned;
        let field = if markup && has_markup(field) {
            cleaned = clean_cell(field);
            cleaned.as_str()
        } else {
            field
        };
        let lead = field.len() - field.trim_start().len();
        let start = self.raw.len() + lead;
        self.raw.push_str(field);
        let end = start + field.trim().len();
        self.cells.push(Cell {
            span: Span {
                start: start as u32,
                end: end as u32,
            },
            x: 0,
            gap: 0,
            words: (0, 0),
        });
    }

    /// A line without explicit cells: copied as is, cut into pieces at runs of two or more
    /// spaces.
    fn push_gap_cells(&mut self, src: &str) {
        let base = self.raw.len();
        self.raw.push_str(src);
        // In ASCII text a character's column is its byte offset: no decoding.
        if src.is_ascii() {
            self.cut_gap_cells(
                base,
                src.bytes().enumerate().map(|(i, b)| (i, i, b as char)),
            );
        } else {
            let chars = src.char_indices().enumerate();
            self.cut_gap_cells(base, chars.map(|(x, (i, c))| (x, i, c)));
        }
    }

    /// [`Scan::push_gap_cells`] over the `(column, byte, char)` of the text at `base`.
    fn cut_gap_cells(&mut self, base: usize, chars: impl Iterator<Item = (usize, usize, char)>) {
        let mut piece: Option<(usize, usize)> = None; // (byte, column) where it starts
        let mut last_end = 0;
        let mut spaces = 0usize;
        let mut gap_before = 0usize;
        for (col, byte, c) in chars {
            if c == ' ' {
                spaces += 1;
                continue;
            }
            match piece {
                Some((b, x)) if spaces >= 2 => {
                    self.cells.push(gap_cell(base, b, last_end, x, gap_before));
                    gap_before = spaces;
                    piece = Some((byte, col));
                }
                None => piece = Some((byte, col)),
                _ => {}
            }
            spaces = 0;
            last_end = byte + c.len_utf8();
        }
        match piece {
            Some((b, x)) => self.cells.push(gap_cell(base, b, last_end, x, gap_before)),
            None => self.cells.push(Cell {
                span: Span {
                    start: self.raw.len() as u32,
                    end: self.raw.len() as u32,
                },
                x: 0,
                gap: 0,
                words: (0, 0),
            }),
        }
    }

    /// Words of the raw text pushed since `raw_start`, with their columns, and each cell's
    /// word range.
    fn split_words(&mut self, raw_start: usize, cell_start: usize, delim: Delim) {
        let raw = &self.raw[raw_start..];
        let mut current: Option<(usize, usize)> = None; // (byte, column)
        let mut cell = cell_start;
        let word_start = self.words.len();
        let push = |words: &mut Vec<Word>, b: usize, x: usize, end_b: usize, end_x: usize| {
            words.push(Word {
                span: Span {
                    start: (raw_start + b) as u32,
                    end: (raw_start + end_b) as u32,
                },
                x: x.min(MAX_X) as u16,
                x_end: end_x.min(MAX_X) as u16,
            });
        };
        let mut col = 0;
        let mut step = |x: usize, byte: usize, white: bool| {
            match (white, current) {
                (true, Some((b, wx))) => {
                    push(&mut self.words, b, wx, byte, x);
                    current = None;
                }
                (false, None) => current = Some((byte, x)),
                _ => {}
            }
            col = x + 1;
        };
        // In ASCII text a character's column is its byte offset: no decoding.
        if raw.is_ascii() {
            for (i, b) in raw.bytes().enumerate() {
                step(i, i, b == b' ' || b == b'\t');
            }
        } else {
            for (x, (byte, c)) in raw.char_indices().enumerate() {
                step(x, byte, c == ' ' || c == '\t');
            }
        }
        if let Some((b, wx)) = current {
            push(&mut self.words, b, wx, raw.len(), col);
        }
        // Assign words to cells by byte position; explicit cells take their first word's
        // column as their own.
        let mut w = word_start;
        while cell < self.cells.len() {
            let span = self.cells[cell].span;
            let first = w;
            while w < self.words.len() && self.words[w].span.start < span.end {
                w += 1;
            }
            self.cells[cell].words = (first as u32, w as u32);
            if delim.is_explicit() {
                if let Some(word) = self.words.get(first).filter(|_| w > first) {
                    self.cells[cell].x = word.x;
                }
            }
            cell += 1;
        }
    }
}

fn gap_cell(base: usize, start: usize, end: usize, x: usize, gap: usize) -> Cell {
    Cell {
        span: Span {
            start: (base + start) as u32,
            end: (base + end) as u32,
        },
        x: x.min(MAX_X) as u16,
        gap: gap.min(MAX_X) as u16,
        words: (0, 0),
    }
}

/// NBSP and other space characters become spaces, bullet glyphs (U+F0B7 ...) become "-",
/// control characters other than tab become spaces.
fn normalise_chars(text: &str) -> std::borrow::Cow<'_, str> {
    // Byte test: any non-ASCII character has bytes outside the printable range too.
    if text
        .bytes()
        .all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
    {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| match c {
                '\t' => '\t',
                '\u{F0B7}' | '\u{2022}' | '\u{25CF}' | '\u{25AA}' | '\u{F0A7}' | '\u{F0D8}' => '-',
                c if c.is_whitespace() || c.is_control() => ' ',
                c => c,
            })
            .collect(),
    )
}

/// A space-laid line with the markup of each piece (text between runs of two or more
/// spaces) removed, each piece padded back to its width so later columns keep their place.
fn clean_pieces(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let mut rest = src;
    while !rest.is_empty() {
        // Copy the spaces before the piece, then the piece (up to a run of two spaces).
        let lead = rest.len() - rest.trim_start_matches(' ').len();
        out.push_str(&rest[..lead]);
        rest = &rest[lead..];
        let end = rest.find("  ").unwrap_or(rest.len());
        let piece = &rest[..end];
        let cleaned = if has_markup(piece) {
            clean_cell(piece)
        } else {
            piece.to_string()
        };
        let width = piece.chars().count();
        let got = cleaned.chars().count();
        out.push_str(&cleaned);
        out.extend(std::iter::repeat_n(' ', width.saturating_sub(got)));
        rest = &rest[end..];
    }
    out
}

/// Whether a line may hold markup worth removing.
fn has_markup(text: &str) -> bool {
    text.bytes()
        .any(|b| matches!(b, b'*' | b'_' | b'<' | b'&' | b'#' | b'$' | b'\\'))
}

/// The fields of a Markdown pipe row `| a | | c |`; `None` for any other line.
fn pipe_row(raw: &str) -> Option<Vec<&str>> {
    let t = raw.trim();
    let inner = t.strip_prefix('|')?.strip_suffix('|')?;
    inner.contains('|').then(|| inner.split('|').collect())
}

/// Append `s` with whitespace runs collapsed to one space (ends trimmed).
fn push_collapsed(out: &mut String, s: &str) {
    // Words found by a byte scan (spaces and tabs are ASCII, so the cuts fall on character
    // boundaries), each pushed whole.
    let white = |b: &u8| *b == b' ' || *b == b'\t';
    let bytes = s.as_bytes();
    let start = out.len();
    let mut i = 0;
    while i < bytes.len() {
        if white(&bytes[i]) {
            i += 1;
            continue;
        }
        let end = bytes[i..]
            .iter()
            .position(white)
            .map_or(bytes.len(), |n| i + n);
        if out.len() > start {
            out.push(' ');
        }
        out.push_str(&s[i..end]);
        i = end;
    }
}

fn flags(text: &str) -> u16 {
    let mut f = 0;
    if text.is_empty() {
        return flag::BLANK;
    }
    let bytes = text.as_bytes();
    let (mut upper, mut letters) = (0usize, 0usize);
    let mut rule = true;
    let mut tally = |c: char, alphabetic: bool, uppercase: bool| {
        if c.is_ascii_digit() {
            f |= flag::DIGIT;
        }
        if c == ':' {
            f |= flag::COLON;
        }
        if alphabetic {
            letters += 1;
            upper += usize::from(uppercase);
        }
        if !matches!(c, '-' | '|' | ':' | '=' | '+' | ' ') {
            rule = false;
        }
    };
    let ascii = text.is_ascii();
    if ascii {
        for &b in bytes {
            tally(b as char, b.is_ascii_alphabetic(), b.is_ascii_uppercase());
        }
    } else {
        for c in text.chars() {
            tally(c, c.is_alphabetic(), c.is_uppercase());
        }
    }
    if !ascii {
        f |= flag::NON_ASCII;
    }
    if letters >= 3 && upper * 10 >= letters * 8 {
        f |= flag::UPPER;
    }
    if matches!(bytes.last(), Some(b'.' | b';' | b':' | b',')) {
        f |= flag::ENDS_PUNCT;
    }
    if text.starts_with(|c: char| c.is_lowercase()) {
        f |= flag::LOWER_START;
    }
    if rule && text.contains("--") {
        f |= flag::RULE;
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::from_text;

    fn scan(text: &str) -> Scan {
        Scan::new(&from_text(text))
    }

    #[test]
    fn cells_words_and_text() {
        let s =
            scan("No\tSasaran\r\n--\t--\n\t\tx\n| a | | c |\n1.  Meningkatnya   Persentase A\n");
        let l = &s.lines;
        assert_eq!(l.len(), 6);
        assert_eq!(l[0].delim, Delim::Tab);
        let cells: Vec<&str> = s.cells_of(&l[0]).iter().map(|c| s.cell(c)).collect();
        assert_eq!(cells, ["No", "Sasaran"]);
        assert!(l[1].is(flag::RULE));
        let cells: Vec<&str> = s.cells_of(&l[2]).iter().map(|c| s.cell(c)).collect();
        assert_eq!(cells, ["", "", "x"]);
        assert_eq!(s.filled(&l[2]), 1);
        assert_eq!(l[3].delim, Delim::Pipe);
        let cells: Vec<&str> = s.cells_of(&l[3]).iter().map(|c| s.cell(c)).collect();
        assert_eq!(cells, ["a", "", "c"]);
        assert_eq!(l[4].delim, Delim::Gap);
        let pieces: Vec<(&str, u16, u16)> = s
            .cells_of(&l[4])
            .iter()
            .map(|c| (s.cell(c), c.x, c.gap))
            .collect();
        assert_eq!(
            pieces,
            [
                ("1.", 0, 0),
                ("Meningkatnya", 4, 2),
                ("Persentase A", 19, 3)
            ]
        );
        assert_eq!(s.text(&l[4]), "1. Meningkatnya Persentase A");
        assert_eq!(s.fold(&l[4]), "1 meningkatnya persentase a");
        let words: Vec<(&str, u16, u16)> = s
            .words_of(&l[4])
            .iter()
            .map(|w| (s.word(w), w.x, w.x_end))
            .collect();
        assert_eq!(words[3], ("A", 30, 31));
        assert!(l[5].is_blank());
    }

    #[test]
    fn markup_and_glyphs() {
        let s = scan("**INDIKATOR KINERJA** \u{a0}INDIVIDU\n\u{F0B7} butir\n<b>NO</b>\tx");
        assert_eq!(s.text(&s.lines[0]), "INDIKATOR KINERJA INDIVIDU");
        assert_eq!(s.text(&s.lines[1]), "- butir");
        assert_eq!(s.text(&s.lines[2]), "NO x");
        assert!(s.lines[0].is(flag::UPPER));
    }

    #[test]
    fn non_ascii_columns_count_characters() {
        let s = scan("é  ab");
        let words: Vec<(u16, u16)> = s
            .words_of(&s.lines[0])
            .iter()
            .map(|w| (w.x, w.x_end))
            .collect();
        assert_eq!(words, [(0, 1), (3, 5)]);
        let xs: Vec<u16> = s.cells_of(&s.lines[0]).iter().map(|c| c.x).collect();
        assert_eq!(xs, [0, 3]);
    }
}
