//! Family 9: a converter turned the tabs between cells into runs of two to six spaces, drawn
//! gap by gap, so no column lines up from row to row. Long cells may be wrapped: a row's
//! later lines carry the rest of each wrapped cell, again joined by runs; the column names may
//! be broken over lines the same way; the row number may be merged into the next cell with a
//! single space, as OCR reads a narrow cell.

use crate::form::{Column, Table};
use crate::style::Runs;
use crate::table::{cell_lines, column_width};
use crate::text::{longest_word, wrap};
use crate::writer::Writer;

/// The choices of one spaced table.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Knobs {
    pub wrap: bool,
    pub runs: Runs,
    pub broken_header: bool,
    pub merged_no: bool,
}

/// Writes the names and the rows.
pub(crate) fn write(w: &mut Writer, table: &Table, headers: &[String], knobs: Knobs) {
    let Knobs {
        wrap: wrap_cells,
        runs,
        broken_header,
        merged_no,
    } = knobs;
    // A single space only after a No cell that holds a number.
    let merged = merged_no && table.columns.first() == Some(&Column::No);
    let widths: Vec<usize> = (0..table.columns.len())
        .map(|i| column_width(w, table, headers, i))
        .collect();
    let names: Vec<Vec<String>> = headers
        .iter()
        .map(|h| {
            if broken_header {
                let width = longest_word(h).max(w.dice.between(6, 14));
                wrap(h, width)
            } else {
                vec![h.clone()]
            }
        })
        .collect();
    block(w, &names, runs, false);
    let bullet = w.style.marks.bullet;
    for row in &table.rows {
        let cells: Vec<Vec<String>> = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| match (wrap_cells, cell.is_empty()) {
                (_, true) => Vec::new(),
                (true, false) => cell_lines(w, cell, *width),
                (false, false) => vec![cell.inline(bullet)],
            })
            .collect();
        let merge = merged && !row[0].is_empty();
        block(w, &cells, runs, merge);
    }
}

/// One row of (maybe wrapped) cells: line `k` holds every cell's `k`-th piece; with
/// `merge_first`, the first cell's first piece is followed by one space only.
fn block(w: &mut Writer, cells: &[Vec<String>], runs: Runs, merge_first: bool) {
    let height = cells.iter().map(Vec::len).max().unwrap_or(0);
    for k in 0..height {
        let mut line = String::new();
        match runs {
            Runs::Expanded => {
                for (i, cell) in cells.iter().enumerate() {
                    if i == 1 && k == 0 && merge_first {
                        line.push(' ');
                    } else if i > 0 {
                        line.push_str(&run(w));
                    }
                    line.push_str(cell.get(k).map(String::as_str).unwrap_or(""));
                }
            }
            Runs::Collapsed => {
                let pieces = cells.iter().filter_map(|c| c.get(k));
                for (i, piece) in pieces.enumerate() {
                    if i == 1 && k == 0 && merge_first {
                        line.push(' ');
                    } else if i > 0 {
                        line.push_str(&run(w));
                    }
                    line.push_str(piece);
                }
            }
        }
        w.text(line.trim_end().to_string());
    }
}

/// The spaces one tab became.
fn run(w: &mut Writer) -> String {
    " ".repeat(*w.dice.pick(&[2, 2, 3, 3, 4, 5, 6]))
}
