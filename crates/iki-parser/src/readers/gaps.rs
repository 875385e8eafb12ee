//! Tables whose cells are separated by runs of two or more spaces that do not line up from
//! row to row (a converter turned the tabs between cells into spaces, or copy-paste from a
//! word processor). Each line is a row; its pieces are the cells of some of the header's
//! columns, in order.
//!
//! Which columns a line's pieces fill is an alignment: pieces go to columns left to right,
//! skipping the columns of empty cells (a continuation row leaves No and Sasaran empty) and
//! merging a piece with the next when a cell holds a run of spaces itself. The best
//! alignment maximises how well each piece reads like its column (the column model) less a
//! cost per skipped column and per merge, found by dynamic programming over pieces × columns.

use iki_colmodel::Scores;

use crate::classify::{fact, HeaderFact, View};
use crate::readers::score::{fit, model};
use crate::readers::{ends_region, explicit::collapse, Header, Proposal, Row, Segmentation};
use crate::scan::Delim;
use crate::vocab::Column;

/// Consecutive blank lines that end a table.
const MAX_BLANK_RUN: usize = 3;
/// Cost of leaving a column between two pieces empty.
const SKIP_INSIDE: f32 = 1.5;
/// Cost of leaving a column before the first piece or after the last empty.
const SKIP_EDGE: f32 = 0.4;
/// Cost of putting a piece in the same cell as the piece before it.
const MERGE: f32 = 2.5;
/// Fits below this are all equally bad.
const FLOOR: f32 = -6.0;

/// Read the table whose header is line `at` as gap-separated cells.
pub fn read(view: &View<'_>, at: usize, h: &HeaderFact) -> Option<Proposal> {
    let columns: Vec<Option<Column>> = h.columns.iter().map(|c| c.column).collect();
    let xs: Vec<u16> = h.columns.iter().map(|c| c.x).collect();
    let mut body = at + 1;
    while body < view.len() && body <= at + 2 && view.facts(body).is(fact::HEADER_WORDS) {
        body += 1;
    }
    let mut end = body;
    let mut blanks = 0;
    while end < view.len() {
        if view.is_blank(end) {
            blanks += 1;
            if blanks > MAX_BLANK_RUN {
                break;
            }
        } else {
            if view.line(end).delim != Delim::Gap || ends_region(view, end) {
                break;
            }
            blanks = 0;
        }
        end += 1;
    }
    while end > body && view.is_blank(end - 1) {
        end -= 1;
    }
    let header = Header {
        columns,
        xs,
        at,
        body,
    };
    let mut rows = Vec::new();
    for i in body..end {
        if view.is_blank(i) || view.header(i).is_some() {
            continue;
        }
        let scan = view.scan;
        let pieces: Vec<String> = scan
            .cells_of(view.line(i))
            .iter()
            .filter(|c| !c.span.is_empty())
            .map(|c| collapse(scan.cell(c)))
            .collect();
        let mut row = Row::new(align(&pieces, &header.columns), i);
        row.guessed = pieces.len() != header.width();
        rows.push(row);
    }
    Some(Proposal {
        segmentation: Segmentation::Gaps,
        header,
        rows,
        end,
        warnings: Vec::new(),
        unread: 0,
    })
}

/// Lay `pieces` on the columns: the best monotone assignment (see the module docs).
pub fn align(pieces: &[String], columns: &[Option<Column>]) -> Vec<String> {
    let k = columns.len();
    let mut cells = vec![String::new(); k];
    if pieces.is_empty() || k == 0 {
        return cells;
    }
    // The pieces fill the columns one to one: nothing to decide.
    if pieces.len() == k {
        for (cell, piece) in cells.iter_mut().zip(pieces) {
            cell.clone_from(piece);
        }
        return cells;
    }
    let model = model();
    let scores: Vec<Scores> = pieces.iter().map(|p| model.scores(p)).collect();
    let fits: Vec<Vec<f32>> = scores
        .iter()
        .map(|s| {
            columns
                .iter()
                .map(|c| match c {
                    Some(col) if *col != Column::Other => fit(s, *col, columns).max(FLOOR),
                    _ => FLOOR,
                })
                .collect()
        })
        .collect();
    // best[i][c]: best score of pieces 0..=i with piece i in column c; from[i][c]: the
    // column of piece i-1 on that path.
    let n = pieces.len();
    let mut best = vec![vec![f32::NEG_INFINITY; k]; n];
    let mut from = vec![vec![0usize; k]; n];
    for c in 0..k {
        best[0][c] = fits[0][c] - SKIP_EDGE * c as f32;
    }
    for i in 1..n {
        for c in 0..k {
            for p in 0..=c {
                let step = if p == c {
                    -MERGE
                } else {
                    -SKIP_INSIDE * (c - p - 1) as f32
                };
                let total = best[i - 1][p] + step + fits[i][c];
                if total > best[i][c] {
                    best[i][c] = total;
                    from[i][c] = p;
                }
            }
        }
    }
    let last = (0..k)
        .max_by(|&a, &b| {
            let ea = best[n - 1][a] - SKIP_EDGE * (k - 1 - a) as f32;
            let eb = best[n - 1][b] - SKIP_EDGE * (k - 1 - b) as f32;
            ea.total_cmp(&eb)
        })
        .unwrap_or(0);
    let mut assignment = vec![0usize; n];
    assignment[n - 1] = last;
    for i in (1..n).rev() {
        assignment[i - 1] = from[i][assignment[i]];
    }
    for (piece, &c) in pieces.iter().zip(&assignment) {
        let cell = &mut cells[c];
        if !cell.is_empty() {
            cell.push(' ');
        }
        cell.push_str(piece);
    }
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols() -> Vec<Option<Column>> {
        [
            Column::No,
            Column::Sasaran,
            Column::Indikator,
            Column::Rumus,
            Column::SumberData,
        ]
        .into_iter()
        .map(Some)
        .collect()
    }

    fn pieces(p: &[&str]) -> Vec<String> {
        p.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_continuation_row_skips_no_and_sasaran() {
        let cells = align(
            &pieces(&[
                "Persentase dokumen perencanaan yang tepat waktu",
                "Jumlah dokumen tepat waktu dibagi jumlah dokumen x 100%",
                "Kecamatan Lumajang",
            ]),
            &cols(),
        );
        assert_eq!(cells[0], "");
        assert_eq!(cells[1], "");
        assert!(cells[2].starts_with("Persentase"));
        assert!(cells[3].starts_with("Jumlah dokumen tepat"));
        assert_eq!(cells[4], "Kecamatan Lumajang");
    }

    #[test]
    fn a_cell_with_a_double_space_is_merged() {
        let cells = align(
            &pieces(&[
                "1",
                "Meningkatnya kualitas layanan",
                "Persentase layanan",
                "selesai tepat waktu",
                "Jumlah layanan selesai dibagi jumlah permohonan x 100%",
                "Kecamatan",
            ]),
            &cols(),
        );
        assert_eq!(cells[0], "1");
        assert_eq!(cells[2], "Persentase layanan selesai tepat waktu");
        assert_eq!(cells[4], "Kecamatan");
    }
}
