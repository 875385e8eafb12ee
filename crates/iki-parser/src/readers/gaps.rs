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

use crate::classify::{fact, HeaderFact, View};
use crate::readers::score::{model, piece_fit};
use crate::readers::{ends_region, explicit::collapse, Header, Proposal, Row, Segmentation};
use crate::scan::Delim;
use crate::vocab::{self, Column};

/// Consecutive blank lines that end a table.
const MAX_BLANK_RUN: usize = 3;
/// Cost of leaving a column between two pieces empty.
const SKIP_INSIDE: f32 = 1.5;
/// Cost of leaving a column before the first piece or after the last empty.
const SKIP_EDGE: f32 = 0.4;
/// Cost of putting a piece in the same cell as the piece before it.
const MERGE: f32 = 2.5;

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
    let rows = read_rows(view, &header, body, end);
    Some(Proposal {
        segmentation: Segmentation::Gaps,
        header,
        rows,
        end,
        warnings: Vec::new(),
        unread: 0,
        margin: None,
        misshapen: 0.0,
    })
}

/// A row being read: its cells, and which of its columns may still continue on the next
/// line (cells are top-aligned: a column that left a line empty has ended).
struct OpenRow {
    row: Row,
    open: Vec<bool>,
}

/// New rows cost this much against continuing the open one.
const NEW_ROW: f32 = 1.0;

/// Read the body's lines into rows: a line starts a row (it begins with a row number, or
/// fills every column from an opening capital), or continues the open row's open columns
/// (wrapped cells), whichever explains it better.
fn read_rows(view: &View<'_>, header: &Header, body: usize, end: usize) -> Vec<Row> {
    let no_col = header.index(Column::No);
    let mut rows = Vec::new();
    let mut current: Option<OpenRow> = None;
    for i in body..end {
        if view.is_blank(i) || view.header(i).is_some() {
            continue;
        }
        let pieces = pieces_of(view, i, no_col);
        if pieces.is_empty() {
            continue;
        }
        let numbered = no_col.is_some() && crate::classify::is_row_number(&pieces[0]);
        let full = pieces.len() >= header.width()
            && pieces[0].starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit());
        let fresh = fresh_row(&pieces, &header.columns);
        let decision = match &current {
            Some(open) if !numbered && !full => continuation(&pieces, open, &header.columns)
                .filter(|(score, _)| *score + NEW_ROW >= fresh.0),
            _ => None,
        };
        match (decision, current.as_mut()) {
            (Some((_, assignment)), Some(open)) => {
                for (col, slot) in open.open.iter_mut().enumerate() {
                    *slot &= assignment.iter().any(|&(_, c)| c == col);
                }
                let mut previous = None;
                for (piece, col) in assignment {
                    let cell = &mut open.row.cells[col];
                    if !cell.is_empty() {
                        // A new line of the cell; two pieces of one line join with a space.
                        cell.push(if previous == Some(col) { ' ' } else { '\n' });
                    }
                    cell.push_str(&pieces[piece]);
                    previous = Some(col);
                }
                open.row.lines += 1;
                open.row.guessed = true;
            }
            _ => {
                rows.extend(current.take().map(|o| o.row));
                let (_, cells) = fresh;
                // Row numbers do not wrap: the No column never continues.
                let open = cells
                    .iter()
                    .enumerate()
                    .map(|(k, c)| !c.is_empty() && Some(k) != no_col)
                    .collect();
                let mut row = Row::new(cells, i);
                row.guessed = pieces.len() != header.width();
                current = Some(OpenRow { row, open });
            }
        }
    }
    rows.extend(current.map(|o| o.row));
    rows
}

/// The non-empty gap-separated pieces of line `i`; a row number glued to the next cell by a
/// single space ("1 Meningkatnya ...") is a piece of its own when the table has a No column.
fn pieces_of(view: &View<'_>, i: usize, no_col: Option<usize>) -> Vec<String> {
    let scan = view.scan;
    let mut pieces: Vec<String> = scan
        .cells_of(view.line(i))
        .iter()
        .filter(|c| !c.span.is_empty())
        .map(|c| collapse(scan.cell(c)))
        .collect();
    if no_col == Some(0) {
        if let Some((number, rest)) = pieces.first().and_then(|p| p.split_once(' ')) {
            if crate::classify::is_row_number(number) && !rest.is_empty() {
                let (number, rest) = (number.to_string(), rest.to_string());
                pieces[0] = number;
                pieces.insert(1, rest);
            }
        }
    }
    pieces
}

/// The pieces as the first line of a new row, and the score of that reading.
fn fresh_row(pieces: &[String], columns: &[Option<Column>]) -> (f32, Vec<String>) {
    let (score, assignment) = assign(
        pieces,
        columns,
        &(0..columns.len()).collect::<Vec<_>>(),
        None,
    );
    let mut cells = vec![String::new(); columns.len()];
    for (piece, col) in assignment {
        let cell = &mut cells[col];
        if !cell.is_empty() {
            cell.push(' ');
        }
        cell.push_str(&pieces[piece]);
    }
    (score, cells)
}

/// The pieces as the continuation of `open`'s open columns: the score and (piece, column)
/// pairs; `None` when no column is open.
fn continuation(
    pieces: &[String],
    open: &OpenRow,
    columns: &[Option<Column>],
) -> Option<(f32, Vec<(usize, usize)>)> {
    let targets: Vec<usize> = (0..columns.len()).filter(|&c| open.open[c]).collect();
    if targets.is_empty() {
        return None;
    }
    Some(assign(pieces, columns, &targets, Some(&open.row.cells)))
}

/// How much `piece` reads as the continuation of a cell ending in `before`: a lowercase
/// start after an unfinished phrase, or a cell ending in a connective; a piece that opens a
/// cell of its own ("Persentase ...") after a cell that was opened the same way starts a new
/// row instead.
fn continues(before: &str, piece: &str) -> f32 {
    if vocab::opens_cell(piece) && vocab::opens_cell(before) {
        return -3.0;
    }
    let ended = before.ends_with(['.', ';', ':']);
    let lower = piece.starts_with(|c: char| c.is_lowercase());
    let connective = before.rsplit(' ').next().is_some_and(|w| {
        matches!(
            w,
            "dan"
                | "yang"
                | "/"
                | "dengan"
                | "pada"
                | "dari"
                | "di"
                | "ke"
                | "untuk"
                | "oleh"
                | "atau"
                | "serta"
                | "x"
        ) || w.ends_with([',', '/'])
    });
    match (ended, lower || connective) {
        (false, true) => 1.0,
        (true, false) => -0.5,
        _ => 0.0,
    }
}

/// The best monotone assignment of pieces to `targets` (column indexes, increasing): each
/// piece to one target, several pieces to one only at a merge cost, targets left empty free
/// inside a continuation (`before` given: the row's cells so far, whose text a piece
/// continues) and at a skip cost in a fresh row. Returns the score and (piece, column) pairs.
fn assign(
    pieces: &[String],
    columns: &[Option<Column>],
    targets: &[usize],
    before: Option<&[String]>,
) -> (f32, Vec<(usize, usize)>) {
    let model = model();
    let n = pieces.len();
    let t = targets.len();
    if n == 0 || t == 0 {
        return (f32::NEG_INFINITY, Vec::new());
    }
    // A fresh row whose pieces fill the columns one to one: nothing to decide.
    if before.is_none() && n == columns.len() && t == n {
        let fits: f32 = pieces
            .iter()
            .zip(columns)
            .map(|(p, c)| piece_fit(model, p, *c, columns))
            .sum();
        return (fits, (0..n).map(|i| (i, targets[i])).collect());
    }
    // A continued cell: how the piece reads alone, and how much appending it changes how
    // the cell reads (a formula's tail barely changes a formula, it changes a sasaran).
    let fit_of = |i: usize, j: usize| -> f32 {
        let col = targets[j];
        let alone = piece_fit(model, &pieces[i], columns[col], columns);
        match before {
            Some(cells) if !cells[col].is_empty() => {
                let joined = format!("{} {}", cells[col], pieces[i]);
                let was = piece_fit(model, &cells[col], columns[col], columns);
                let now = piece_fit(model, &joined, columns[col], columns);
                0.5 * alone + 2.0 * (now - was) + continues(&cells[col], &pieces[i])
            }
            _ => alone,
        }
    };
    let fits: Vec<Vec<f32>> = (0..n)
        .map(|i| (0..t).map(|j| fit_of(i, j)).collect())
        .collect();
    let (skip_inside, skip_edge) = if before.is_some() {
        (0.0, 0.0)
    } else {
        (SKIP_INSIDE, SKIP_EDGE)
    };
    let mut best = vec![vec![f32::NEG_INFINITY; t]; n];
    let mut from = vec![vec![0usize; t]; n];
    for j in 0..t {
        best[0][j] = fits[0][j] - skip_edge * j as f32;
    }
    for i in 1..n {
        for j in 0..t {
            for p in 0..=j {
                let step = if p == j {
                    -MERGE
                } else {
                    -skip_inside * (j - p - 1) as f32
                };
                let total = best[i - 1][p] + step + fits[i][j];
                if total > best[i][j] {
                    best[i][j] = total;
                    from[i][j] = p;
                }
            }
        }
    }
    let end_score = |j: usize| best[n - 1][j] - skip_edge * (t - 1 - j) as f32;
    let last = (0..t)
        .max_by(|&a, &b| end_score(a).total_cmp(&end_score(b)))
        .unwrap_or(0);
    let mut path = vec![0usize; n];
    path[n - 1] = last;
    for i in (1..n).rev() {
        path[i - 1] = from[i][path[i]];
    }
    (
        end_score(last),
        path.iter()
            .enumerate()
            .map(|(i, &j)| (i, targets[j]))
            .collect(),
    )
}

/// Lay `pieces` on the columns as the first line of a row: the best monotone assignment
/// (see the module docs).
pub fn align(pieces: &[String], columns: &[Option<Column>]) -> Vec<String> {
    fresh_row(pieces, columns).1
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
