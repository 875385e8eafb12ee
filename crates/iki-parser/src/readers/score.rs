//! How well a cell fits a column, and how well a proposed segmentation explains its region.
//!
//! Content comes from the column model ([`iki_colmodel`]): `log P(column | text)` among the
//! columns the header names, so a formula fits Rumus, a row number No, "Persentase ..."
//! Indikator, whatever the layout. A proposal's score is the mean fit of its cells (each cell
//! weighs the same), less the share of the region's text it left out and a penalty for rows
//! without indicator text, in the spirit of CleverCSV's pattern and type scores: a
//! segmentation that cuts cells in the wrong places puts text in columns it does not read
//! like.

use iki_colmodel::{ColumnModel, Scores};

use crate::classify::View;
use crate::readers::{Header, Proposal, Segmentation};
use crate::vocab::Column;

/// The column model, embedded in the binary.
pub fn model() -> &'static ColumnModel {
    ColumnModel::embedded()
}

/// `log P(col | text)` renormalised over the columns of `header` (the header says which
/// columns exist). `scores` are the model's scores of the text.
pub fn fit(scores: &Scores, col: Column, header: &[Option<Column>]) -> f32 {
    let present = header.iter().flatten().filter(|c| **c != Column::Other);
    let total = log_sum_exp(present.map(|c| scores.log_prob(*c)));
    scores.log_prob(col) - total
}

/// Fits below this are all equally bad.
pub const FLOOR: f32 = -6.0;

/// How well `text` reads as a cell of `col` among the header's columns ([`fit`] floored at
/// [`FLOOR`]); a column the model does not score (Other, unnamed) fits nothing.
pub fn piece_fit(
    model: &ColumnModel,
    text: &str,
    col: Option<Column>,
    columns: &[Option<Column>],
) -> f32 {
    match col {
        Some(col) if col != Column::Other => fit(&model.scores(text), col, columns).max(FLOOR),
        _ => FLOOR,
    }
}

fn log_sum_exp(values: impl Iterator<Item = f32>) -> f32 {
    let values: Vec<f32> = values.collect();
    let max = values.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    if !max.is_finite() {
        return max;
    }
    max + values.iter().map(|v| (v - max).exp()).sum::<f32>().ln()
}

/// Mean fit of the filled cells of `rows` to their columns (0 is a perfect fit).
pub fn cell_fit(header: &Header, rows: &[crate::readers::Row]) -> (f32, usize) {
    fit_of(header, rows, false)
}

/// Mean fit of every line of the filled cells (cells split at their newlines): a reading
/// that joins lines of different columns into one cell is judged line by line, as a reading
/// that keeps every line a cell is.
pub fn line_fit(header: &Header, rows: &[crate::readers::Row]) -> (f32, usize) {
    fit_of(header, rows, true)
}

fn fit_of(header: &Header, rows: &[crate::readers::Row], by_line: bool) -> (f32, usize) {
    let model = model();
    let (mut sum, mut cells) = (0.0, 0);
    for row in rows {
        for (i, cell) in row.cells.iter().enumerate() {
            let Some(Some(col)) = header.columns.get(i) else {
                continue;
            };
            if cell.is_empty() || *col == Column::Other {
                continue;
            }
            let pieces = if by_line {
                cell.split('\n').collect()
            } else {
                vec![cell.as_str()]
            };
            for piece in pieces.into_iter().filter(|p| !p.trim().is_empty()) {
                sum += fit(&model.scores(piece), *col, &header.columns).max(FLOOR);
                cells += 1;
            }
        }
    }
    (if cells > 0 { sum / cells as f32 } else { FLOOR }, cells)
}

/// The score of a proposal over the region up to line `region_end` (higher is better; about 0
/// for a clean reading).
pub fn score(view: &View<'_>, proposal: &Proposal, region_end: usize) -> f32 {
    let header = &proposal.header;
    // Readings that lay lines in cells by guess are judged line by line, so that joining
    // lines of different columns does not hide in one cell's mean.
    let (fit, cells) = match proposal.segmentation {
        Segmentation::ColumnMajor | Segmentation::OnePerLine => line_fit(header, &proposal.rows),
        _ => cell_fit(header, &proposal.rows),
    };
    if cells == 0 {
        return -10.0;
    }
    let indikator = header.index(Column::Indikator);
    let without_indicator = proposal
        .rows
        .iter()
        .filter(|r| indikator.is_some_and(|i| !r.filled(i)))
        .count();
    let rows = proposal.rows.len().max(1) as f32;
    // Text of the region left out of every cell.
    let region: usize = (header.body..region_end.min(view.len()))
        .map(|i| view.text(i).len())
        .sum();
    let placed: usize = proposal
        .rows
        .iter()
        .flat_map(|r| r.cells.iter())
        .map(|c| c.len())
        .sum();
    let left_out = if region > 0 {
        (region.saturating_sub(placed)) as f32 / region as f32
    } else {
        0.0
    };
    let layout = match proposal.segmentation {
        Segmentation::Aligned => recurrence(view, header.body, region_end) - 0.5,
        Segmentation::Gaps => 0.5 - recurrence(view, header.body, region_end),
        _ => 0.0,
    };
    fit - 2.0 * left_out - 1.0 * without_indicator as f32 / rows + layout - 3.0 * proposal.misshapen
}

/// How much the region's pieces stand in columns: the share of pieces (after the first of
/// each line) whose start recurs, within a character, on another line. Tables laid out by
/// position (`pdftotext -layout`) reuse a few starts; cells separated by spaces that do not
/// line up start anywhere.
pub fn recurrence(view: &View<'_>, from: usize, to: usize) -> f32 {
    let scan = view.scan;
    let mut starts: Vec<(u16, usize)> = Vec::new();
    for i in from..to.min(view.len()) {
        let line = view.line(i);
        if line.delim != crate::scan::Delim::Gap || view.is_blank(i) {
            continue;
        }
        starts.extend(
            scan.cells_of(line)
                .iter()
                .skip(1)
                .filter(|c| !c.span.is_empty())
                .map(|c| (c.x, i)),
        );
    }
    if starts.len() < 4 {
        return 0.5;
    }
    starts.sort_unstable();
    let recurring = (0..starts.len())
        .filter(|&k| {
            let (x, line) = starts[k];
            let near = |j: usize| {
                let (y, other) = starts[j];
                other != line && y.abs_diff(x) <= 1
            };
            (k.saturating_sub(8)..(k + 9).min(starts.len())).any(|j| j != k && near(j))
        })
        .count();
    recurring as f32 / starts.len() as f32
}
