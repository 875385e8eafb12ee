//! Table readers: the indicator table of a form read from its lines, whatever segmentation a
//! converter gave it.
//!
//! A table starts at a header (a line whose cells or words name the columns, or column names
//! standing one per line). From there each reader that applies proposes a segmentation of the
//! lines below into rows of cells, one cell per header column:
//!
//! - [`explicit`]: cells given by tabs, pipes, HTML or the source (office files, ruled tables
//!   from page images) — no segmentation is guessed;
//! - [`aligned`]: space-aligned columns (`pdftotext -layout`): words fall into columns by where
//!   they stand, rows span wrapped lines;
//! - [`gaps`]: cells separated by runs of spaces that do not line up from row to row;
//! - [`flat`]: one cell per line (pdftotext without layout, copy-paste), cells attributed to
//!   columns by count and content.
//!
//! Each proposal is scored by how well it explains the region ([`score`]): rows that fill the
//! header's columns, cells whose content fits their column (row numbers in No, formulas in
//! Rumus, "Persentase ..." in Indikator), text left over. The best wins; its margin over the
//! runner-up is kept as evidence for confidence. Rows then become indicators in [`rows`]
//! (continuation rows, page-broken fragments, row numbers).

pub mod aligned;
pub mod colmajor;
pub mod explicit;
pub mod flat;
pub mod gaps;
pub mod rows;
pub mod score;
pub mod words;

use crate::classify::{fact, View};
use crate::model::Warning;
use crate::vocab::Column;

/// The columns of a table, in cell order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub columns: Vec<Option<Column>>,
    /// Character column where each column's name starts (space-laid headers); the cell
    /// index for explicit cells.
    pub xs: Vec<u16>,
    /// Index of the header's first line.
    pub at: usize,
    /// Index of the first line after the header (its wrapped tails included).
    pub body: usize,
}

impl Header {
    pub fn index(&self, col: Column) -> Option<usize> {
        self.columns.iter().position(|c| *c == Some(col))
    }

    pub fn width(&self) -> usize {
        self.columns.len()
    }
}

/// How a table's cells were found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segmentation {
    /// Tabs, pipes, HTML or cells the source gave.
    Explicit,
    /// Space-aligned columns.
    Aligned,
    /// Runs of spaces that do not line up.
    Gaps,
    /// One cell per line.
    OnePerLine,
    /// Column by column: each column's name, then its cells; the row count inferred.
    ColumnMajor,
}

impl Segmentation {
    /// Whether cells were placed by where they stand (or were given), not inferred.
    pub fn is_positional(self) -> bool {
        matches!(self, Segmentation::Explicit | Segmentation::Aligned)
    }
}

/// One table row as read, before it becomes an indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// One cell per header column, whitespace collapsed.
    pub cells: Vec<String>,
    /// Index of its first line.
    pub first: usize,
    /// Physical lines it was read from (wrapped cells).
    pub lines: u16,
    /// Its number stood below its first line and rows were told apart only by where numbers
    /// stand (middle-aligned rows).
    pub by_numbers: bool,
    /// Cells were attributed to columns by count or content, not by position.
    pub guessed: bool,
    /// Cells whose reading the source doubts (OCR).
    pub doubtful: u16,
}

impl Row {
    pub fn new(cells: Vec<String>, first: usize) -> Row {
        Row {
            cells,
            first,
            lines: 1,
            by_numbers: false,
            guessed: false,
            doubtful: 0,
        }
    }

    pub fn filled(&self, i: usize) -> bool {
        self.cells.get(i).is_some_and(|c| !c.is_empty())
    }
}

/// A segmentation's reading of a table.
#[derive(Debug, Clone)]
pub struct Proposal {
    pub segmentation: Segmentation,
    pub header: Header,
    pub rows: Vec<Row>,
    /// Index of the first line after the table.
    pub end: usize,
    pub warnings: Vec<Warning>,
    /// Non-blank lines of the region the reading left out (not a cell of any row).
    pub unread: usize,
    /// The reader's own margin between its best reading and its runner-up (a row count it
    /// had to infer), `None` when it guessed nothing.
    pub margin: Option<f32>,
    /// Share (0..=1) of a guessed reading whose cells fit no clean shape: rows of a flattened
    /// table whose cell count fills no row, columns read column by column whose cell count
    /// is not the row count. Positional readings have none.
    pub misshapen: f32,
}

/// The chosen reading of a table.
#[derive(Debug, Clone)]
pub struct TableRead {
    pub proposal: Proposal,
    /// The chosen proposal's score minus the runner-up's (`None` when only one applied).
    pub margin: Option<f32>,
}

/// Read the table whose header starts at line `at`, if one does.
pub fn read_table(view: &View<'_>, at: usize) -> Option<TableRead> {
    let mut proposals: Vec<Proposal> = Vec::with_capacity(3);
    if let Some(h) = view.header(at) {
        let line = view.line(at);
        if line.delim.is_explicit() {
            proposals.extend(explicit::read(view, at, h));
        } else if h.by_cells {
            proposals.extend(aligned::read(view, at, h));
            proposals.extend(gaps::read(view, at, h));
        } else {
            proposals.extend(gaps::read(view, at, h));
        }
        if !line.delim.is_explicit() && (h.rest.is_some() || runs_together(view, at)) {
            proposals.extend(words::read(view, at, h));
        }
    } else if view.facts(at).column.is_some() {
        proposals.extend(flat::read(view, at));
        proposals.extend(colmajor::read(view, at));
        proposals.extend(colmajor::read_flattened(view, at));
    }
    choose(view, proposals)
}

/// Whether the lines below a header run their cells together: most of the first lines are
/// one long piece (no gap of two spaces) of several words.
fn runs_together(view: &View<'_>, at: usize) -> bool {
    let body: Vec<usize> = (at + 1..view.len())
        .filter(|&i| !view.is_blank(i))
        .take_while(|&i| !ends_region(view, i))
        .take(8)
        .collect();
    let long = body
        .iter()
        .filter(|&&i| {
            let line = view.line(i);
            line.cell_count() == 1 && line.word_count() >= 6
        })
        .count();
    !body.is_empty() && long * 2 >= body.len()
}

/// Whether line `at` opens a table (for the form reader's dispatch).
pub fn opens_table(view: &View<'_>, at: usize) -> bool {
    view.facts(at).header.is_some()
        || (view.facts(at).column.is_some()
            && (flat::header_lines(view, at).is_some() || colmajor::opens(view, at)))
}

/// The best-scoring proposal and its margin. Every proposal is scored over the same region:
/// the lines up to the furthest any of them read. The margin is the smaller of the margin
/// over other readers and the winner's own (a reading it chose among several).
fn choose(view: &View<'_>, proposals: Vec<Proposal>) -> Option<TableRead> {
    let read = choose_among(view, proposals)?;
    let margin = match (read.margin, read.proposal.margin) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    Some(TableRead { margin, ..read })
}

fn choose_among(view: &View<'_>, mut proposals: Vec<Proposal>) -> Option<TableRead> {
    if proposals.len() == 1 {
        return proposals.pop().map(|proposal| TableRead {
            proposal,
            margin: None,
        });
    }
    let region_end = proposals.iter().map(|p| p.end).max()?;
    let mut scored: Vec<(f32, Proposal)> = proposals
        .into_iter()
        .map(|p| (score::score(view, &p, region_end), p))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    // Readings that give the same cells (a one-row table read by rows or by columns) are one
    // reading, not alternatives: only a different reading makes the winner's margin.
    let mut distinct: Vec<(f32, Proposal)> = Vec::with_capacity(scored.len());
    for (s, p) in scored {
        if !distinct.iter().any(|(_, q)| same_cells(q, &p)) {
            distinct.push((s, p));
        }
    }
    let scored = distinct;
    let margin = scored.get(1).map(|(s, _)| scored[0].0 - s);
    let (_, proposal) = scored.into_iter().next()?;
    Some(TableRead { proposal, margin })
}

fn same_cells(a: &Proposal, b: &Proposal) -> bool {
    a.header.columns == b.header.columns
        && a.rows.len() == b.rows.len()
        && a.rows.iter().zip(&b.rows).all(|(x, y)| {
            x.cells
                .iter()
                .zip(&y.cells)
                .all(|(c, d)| c.split_whitespace().eq(d.split_whitespace()))
        })
}

/// Whether line `i` ends a table region for readers that are not cell-exact: a signature
/// anchor, a title, a header-field label with its colon.
pub fn ends_region(view: &View<'_>, i: usize) -> bool {
    let f = view.facts(i);
    f.is(fact::ANCHOR | fact::TITLE)
        || (f.label.is_some() && view.line(i).is(crate::scan::flag::COLON))
}

/// Test support: the table at the first line of `text` read to indicators, with its
/// segmentation and the warnings.
#[cfg(test)]
pub(crate) fn first_table(
    text: &str,
) -> (Segmentation, Vec<crate::model::Indicator>, Vec<Warning>) {
    let scan = crate::scan::Scan::new(&crate::input::from_text(text));
    let c = crate::classify::classify(&scan);
    let view = View { scan: &scan, c: &c };
    let read = read_table(&view, 0).expect("a table at line 1");
    let p = read.proposal;
    let mut warnings = p.warnings;
    let built = rows::join_fragments(&view, &p.header, p.rows, &mut warnings);
    let ind = rows::indicators(&view, &p.header, &built, &mut warnings);
    (p.segmentation, ind, warnings)
}
