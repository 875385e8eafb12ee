//! Tables flattened one cell per line (pdftotext without `-layout`, web transcripts): the
//! header names stand on consecutive lines, then each row's cells follow one per line.
//!
//! Empty cells leave no line, so cells are attributed by count: with a No column a row runs
//! from one row number to the next; its lines fill the columns in order, and lines beyond one
//! full row are continuation rows (indicator onwards, the sasaran cell being merged). Rows
//! whose count fits no such shape are filled in order and marked as guesses.

use crate::classify::{fact, is_row_number, View};
use crate::model::{Warning, WarningCode};
use crate::readers::{Header, Proposal, Row, Segmentation};
use crate::vocab::Column;

/// The column names standing one per line from `at`, and the index of the line after them;
/// `None` unless there are three or more, one of them the indicator.
pub fn header_lines(view: &View<'_>, at: usize) -> Option<(Vec<Option<Column>>, usize)> {
    let mut columns = Vec::new();
    let mut i = at;
    while i < view.len() {
        if view.is_blank(i) {
            i += 1;
            continue;
        }
        match view.facts(i).column {
            Some(c) if !columns.contains(&Some(c)) => columns.push(Some(c)),
            _ => break,
        }
        i += 1;
    }
    (columns.len() >= 3 && columns.contains(&Some(Column::Indikator))).then_some((columns, i))
}

/// Whether line `at` — which reads as the IKI title — is a column name inside a flattened
/// header ("No" / "Sasaran" / "Indikator Kinerja Individu" / "Rumus" on consecutive lines).
pub fn is_header_cell(view: &View<'_>, at: usize) -> bool {
    let prev = (0..at).rev().find(|&i| !view.is_blank(i));
    prev.is_some_and(|i| view.facts(i).column.is_some_and(|c| c != Column::Indikator))
        || super::colmajor::names_column(view, at)
}

/// Read a flattened table whose header starts at `at`, if one does.
pub fn read(view: &View<'_>, at: usize) -> Option<Proposal> {
    let (columns, body) = header_lines(view, at)?;
    let header = Header {
        xs: (0..columns.len() as u16).collect(),
        columns,
        at,
        body,
    };
    let (cells, end) = cell_lines(view, body);
    let mut warnings = vec![Warning::new(
        WarningCode::FlattenedTable,
        "table cells stood one per line; columns were attributed by count",
        Some(view.no(at)),
    )];
    let rows = rebuild_rows(view, &header, &cells, &mut warnings);
    let unshaped = warnings
        .iter()
        .filter(|w| w.code == WarningCode::FlattenedRowGuessed)
        .count();
    let groups = rows
        .iter()
        .filter(|r| r.cells.first().is_some_and(|c| !c.is_empty()))
        .count();
    Some(Proposal {
        segmentation: Segmentation::OnePerLine,
        header,
        rows,
        end,
        warnings,
        unread: 0,
        margin: None,
        misshapen: (unshaped as f32 / groups.max(1) as f32).min(1.0),
    })
}

/// The cell lines after the header, up to a signature line, a title or a form label.
pub(crate) fn cell_lines(view: &View<'_>, from: usize) -> (Vec<usize>, usize) {
    let mut cells = Vec::new();
    let mut i = from;
    while i < view.len() {
        if !view.is_blank(i) {
            let f = view.facts(i);
            if f.is(fact::ANCHOR | fact::TITLE) || f.label.is_some() {
                break;
            }
            cells.push(i);
        }
        i += 1;
    }
    (cells, i)
}

/// Group cell lines into rows and lay them on the columns.
fn rebuild_rows(
    view: &View<'_>,
    header: &Header,
    cells: &[usize],
    warnings: &mut Vec<Warning>,
) -> Vec<Row> {
    let n = header.width();
    let has_no = header.columns.first() == Some(&Some(Column::No));
    let groups: Vec<&[usize]> = if has_no {
        split_at_numbers(view, cells)
    } else {
        cells.chunks(n).collect()
    };
    let sasaran_at = header.index(Column::Sasaran);
    let mut rows = Vec::new();
    for group in groups {
        let Some(&first) = group.first() else {
            continue;
        };
        let texts: Vec<&str> = group.iter().map(|&i| view.text(i)).collect();
        // Continuation rows after the first: the columns right of the sasaran.
        let tail_width = sasaran_at.map_or(n, |s| n - s - 1);
        let shaped = texts.len() == n
            || (texts.len() > n && tail_width > 0 && (texts.len() - n).is_multiple_of(tail_width));
        if !shaped {
            warnings.push(Warning::new(
                WarningCode::FlattenedRowGuessed,
                format!(
                    "{} cell lines do not fill {} columns; laid in order",
                    texts.len(),
                    n
                ),
                Some(view.no(first)),
            ));
        }
        let mut first_row: Vec<String> = texts.iter().take(n).map(|t| t.to_string()).collect();
        first_row.resize(n, String::new());
        let mut row = Row::new(first_row, first);
        row.guessed = true;
        rows.push(row);
        if shaped && texts.len() > n {
            for (k, chunk) in texts[n..].chunks(tail_width).enumerate() {
                let mut cells = vec![String::new(); n - tail_width];
                cells.extend(chunk.iter().map(|t| t.to_string()));
                cells.resize(n, String::new());
                let at = group.get(n + k * tail_width).copied().unwrap_or(first);
                let mut row = Row::new(cells, at);
                row.guessed = true;
                rows.push(row);
            }
        } else if texts.len() > n {
            warnings.push(Warning::new(
                WarningCode::UnattributedText,
                format!(
                    "cell text not attributed to a column: \"{}\"",
                    texts[n..].join(" | ")
                ),
                Some(view.no(first)),
            ));
        }
    }
    rows
}

/// Split cell lines at row numbers (a number line starts a row).
fn split_at_numbers<'a>(view: &View<'_>, cells: &'a [usize]) -> Vec<&'a [usize]> {
    let starts: Vec<usize> = cells
        .iter()
        .enumerate()
        .filter(|(_, &i)| is_row_number(view.text(i)))
        .map(|(k, _)| k)
        .collect();
    let mut groups = Vec::new();
    for (k, &s) in starts.iter().enumerate() {
        let e = starts.get(k + 1).copied().unwrap_or(cells.len());
        groups.push(&cells[s..e]);
    }
    groups
}
