//! The explicit-cells input: a document whose structure its reader already knows.
//!
//! Office files (`.docx`, `.odt`, `.xlsx`, ...), HTML and ruled tables found in a page image
//! know where each table cell begins and ends. They hand the parser a [`StructuredText`]: running
//! text as lines, tables as rows of [`Cell`]s. The parser reads given cells as cells (no
//! segmentation is guessed) and keeps their evidence (OCR word confidence, words that cross a
//! rule) for confidence.
//!
//! Line numbers in the output (`line`, `span`) count the lines of the structured text in order:
//! each [`TextLine`] is one line and each table [`Row`] is one line. `iki_parser::render_text`
//! writes the same numbering out as text (a row as its cells joined by tabs), so a reviewer can
//! look a line up.
//!
//! ```
//! use iki_model::structured::{Block, Cell, Row, StructuredText, Table};
//! let doc = StructuredText {
//!     blocks: vec![
//!         Block::line("INDIKATOR KINERJA INDIVIDU"),
//!         Block::line("JABATAN : CAMAT"),
//!         Block::Table(Table::from_rows(vec![
//!             Row::of(["No", "Sasaran", "Indikator Kinerja", "Target"]),
//!             Row::of(["1", "Meningkatnya layanan", "Persentase layanan", "100 %"]),
//!         ])),
//!     ],
//! };
//! assert_eq!(doc.line_count(), 4);
//! ```

use serde::{Deserialize, Serialize};

/// A document as blocks of running text and tables, in reading order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StructuredText {
    pub blocks: Vec<Block>,
}

impl StructuredText {
    /// How many output lines the document numbers (see the module docs).
    pub fn line_count(&self) -> usize {
        self.blocks.iter().map(Block::line_count).sum()
    }

    /// Whether nothing holds text.
    pub fn is_blank(&self) -> bool {
        self.blocks.iter().all(|b| match b {
            Block::Line(l) => l.text.trim().is_empty(),
            Block::Table(t) => t
                .rows
                .iter()
                .all(|r| r.cells.iter().all(|c| c.text.trim().is_empty())),
            Block::PageBreak { .. } => true,
        })
    }
}

/// One block of a [`StructuredText`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Block {
    /// One line of running text (a paragraph, a heading, a signature line). An empty line
    /// is kept: it separates blocks of text as a blank line does in a text dump.
    Line(TextLine),
    /// A table whose cells the reader found.
    Table(Table),
    /// A page ends here (a scan or a paginated office file); it numbers no line.
    PageBreak { page: u32 },
}

impl Block {
    /// A text line without provenance.
    pub fn line(text: impl Into<String>) -> Block {
        Block::Line(TextLine {
            text: text.into(),
            origin: None,
        })
    }

    fn line_count(&self) -> usize {
        match self {
            Block::Line(_) => 1,
            Block::Table(t) => t.rows.len(),
            Block::PageBreak { .. } => 0,
        }
    }
}

/// One line of running text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextLine {
    pub text: String,
    pub origin: Option<Origin>,
}

/// A table: rows of cells as the source gave them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub rows: Vec<Row>,
    pub evidence: TableEvidence,
    pub origin: Option<Origin>,
}

impl Table {
    pub fn from_rows(rows: Vec<Row>) -> Table {
        Table {
            rows,
            ..Table::default()
        }
    }
}

/// One table row. Merged cells are given once: a cell spanning columns sets `col_span`; a
/// cell spanning rows sets `row_span` on its first row and the rows below leave its place
/// out (as HTML does). The parser lays spans onto a grid itself.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub cells: Vec<Cell>,
}

impl Row {
    /// A row of plain cells.
    pub fn of<S: Into<String>>(texts: impl IntoIterator<Item = S>) -> Row {
        Row {
            cells: texts.into_iter().map(Cell::text).collect(),
        }
    }
}

/// One cell as the source gave it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// The cell's text; line breaks inside the cell are kept as `\n` (the parser joins the
    /// lines of one cell: they belong together).
    pub text: String,
    /// Columns the cell covers (1 for a plain cell).
    pub col_span: u32,
    /// Rows the cell covers (1 for a plain cell).
    pub row_span: u32,
    pub evidence: CellEvidence,
    pub origin: Option<Origin>,
}

impl Cell {
    /// A plain one-by-one cell.
    pub fn text(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            col_span: 1,
            row_span: 1,
            evidence: CellEvidence::default(),
            origin: None,
        }
    }
}

/// What the reader of a cell knows about how well it was read (OCR). Typed office cells leave
/// it at its default: nothing doubtful.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CellEvidence {
    /// Mean OCR word confidence of the cell's words, 0..1; `None` for text that was not OCR'd.
    pub ocr_confidence: Option<f32>,
    /// OCR words of the cell with confidence below the reader's threshold.
    pub low_confidence_words: u32,
    /// Words whose box crosses one of the cell's rules (their text may belong next door).
    pub words_crossing_rule: u32,
    /// The cell's text runs beyond its box (clipped or overflowing into a neighbour).
    pub overflow: bool,
}

impl CellEvidence {
    /// Whether anything about the cell's reading is in doubt.
    pub fn is_doubtful(&self) -> bool {
        self.low_confidence_words > 0 || self.words_crossing_rule > 0 || self.overflow
    }
}

/// What the reader of a table knows about its structure (ruled tables from page images).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TableEvidence {
    /// Skew left after deskewing, in degrees (absolute).
    pub residual_skew_degrees: Option<f32>,
    /// Grid lines the reader had to infer (a rule missing where a cell boundary must be).
    pub inferred_rules: u32,
}

/// Where a line or cell was found: a page (1-based) and a box in that page's coordinates
/// (PDF points or image pixels, left-top-right-bottom).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Origin {
    pub page: u32,
    pub bbox: [f32; 4],
}
