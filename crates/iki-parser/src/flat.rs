//! Tables flattened one cell per line (pdftotext without `-layout`, web transcripts): the
//! header names stand on consecutive lines, then each row's cells follow one per line.
//!
//! Empty cells leave no line, so cells are attributed by count: with a No column a row runs
//! from one row number to the next; its lines fill the columns in order, and lines beyond one
//! full row are continuation rows (indicator onwards, the sasaran cell being merged). Rows
//! whose count fits no such shape are filled in order and marked as guesses. The table is
//! handed on as ordinary tab lines, with a header marked `guessed` so confidence says so.

use crate::header::label_line;
use crate::model::{Warning, WarningCode};
use crate::normalize::Line;
use crate::signature::is_signature_anchor;
use crate::table::Header;
use crate::vocab::{column, fold, is_iki_title, Column};

/// A flattened table found at a line: its header, rows rebuilt as tab lines, and the index of
/// the first line after it.
pub struct FlatTable {
    pub header: Header,
    pub rows: Vec<Line>,
    pub end: usize,
    pub warnings: Vec<Warning>,
}

fn column_line(line: &Line) -> Option<Column> {
    if line.filled() != 1
        || line.text.split_whitespace().nth(7).is_some()
        || label_line(&line.text).is_some()
    {
        return None;
    }
    column(&fold(&line.text)).filter(|c| *c != Column::Other || !line.text.is_empty())
}

/// Whether line `at` — which reads as the IKI title — is a column name inside a flattened
/// header ("No" / "Sasaran" / "Indikator Kinerja Individu" / "Rumus" on consecutive lines).
pub fn is_header_cell(lines: &[Line], at: usize) -> bool {
    let prev = lines[..at].iter().rev().find(|l| !l.is_blank());
    prev.is_some_and(|l| column_line(l).is_some_and(|c| c != Column::Indikator))
}

/// Read a flattened table whose header starts at `at`, if one does.
pub fn read(lines: &[Line], at: usize) -> Option<FlatTable> {
    let mut columns = Vec::new();
    let mut i = at;
    while i < lines.len() {
        if lines[i].is_blank() {
            i += 1;
            continue;
        }
        match column_line(&lines[i]) {
            Some(c) if !columns.contains(&Some(c)) => columns.push(Some(c)),
            _ => break,
        }
        i += 1;
    }
    if columns.len() < 3 || !columns.contains(&Some(Column::Indikator)) {
        return None;
    }
    let header = Header {
        columns,
        line: lines[at].no,
        guessed: true,
    };
    let (cells, end) = cell_lines(lines, i);
    let mut warnings = Vec::new();
    let rows = rebuild_rows(&header, &cells, &mut warnings);
    Some(FlatTable {
        header,
        rows,
        end,
        warnings,
    })
}

/// The cell lines after the header, up to a signature line, a title or a form label.
fn cell_lines(lines: &[Line], from: usize) -> (Vec<&Line>, usize) {
    let mut cells = Vec::new();
    let mut i = from;
    while i < lines.len() {
        let l = &lines[i];
        if !l.is_blank() {
            if is_signature_anchor(&l.text)
                || is_iki_title(&fold(&l.text))
                || label_line(&l.text).is_some()
            {
                break;
            }
            cells.push(l);
        }
        i += 1;
    }
    (cells, i)
}

fn is_row_number(text: &str) -> bool {
    let t = text.trim_end_matches(['.', ')']);
    !t.is_empty() && t.len() <= 3 && t.chars().all(|c| c.is_ascii_digit())
}

/// Group cell lines into rows and lay them on the columns.
fn rebuild_rows(header: &Header, cells: &[&Line], warnings: &mut Vec<Warning>) -> Vec<Line> {
    let n = header.columns.len();
    let has_no = header.columns.first() == Some(&Some(Column::No));
    let groups: Vec<&[&Line]> = if has_no {
        split_at_numbers(cells)
    } else {
        cells.chunks(n).collect()
    };
    let sasaran_at = header
        .columns
        .iter()
        .position(|c| *c == Some(Column::Sasaran));
    let mut rows = Vec::new();
    for group in groups {
        let Some(first) = group.first() else { continue };
        let texts: Vec<String> = group.iter().map(|l| l.text.clone()).collect();
        let full = n;
        // Continuation rows after the first: the columns right of the sasaran.
        let tail_width = sasaran_at.map_or(n, |s| n - s - 1);
        let shaped = texts.len() == full
            || (texts.len() > full
                && tail_width > 0
                && (texts.len() - full).is_multiple_of(tail_width));
        if !shaped {
            warnings.push(Warning::new(
                WarningCode::FlattenedRowGuessed,
                format!(
                    "{} cell lines do not fill {} columns; laid in order",
                    texts.len(),
                    n
                ),
                Some(first.no),
            ));
        }
        let first_row: Vec<String> = texts.iter().take(full).cloned().collect();
        rows.push(synthetic(first.no, first_row, n));
        if shaped && texts.len() > full {
            for (k, chunk) in texts[full..].chunks(tail_width).enumerate() {
                let mut row = vec![String::new(); n - tail_width];
                row.extend(chunk.iter().cloned());
                let line_no = group.get(full + k * tail_width).map_or(first.no, |l| l.no);
                rows.push(synthetic(line_no, row, n));
            }
        } else if texts.len() > full {
            warnings.push(Warning::new(
                WarningCode::UnattributedText,
                format!(
                    "cell text not attributed to a column: \"{}\"",
                    texts[full..].join(" | ")
                ),
                Some(first.no),
            ));
        }
    }
    rows
}

/// Split cell lines at row numbers (a number line starts a row).
fn split_at_numbers<'a>(cells: &'a [&'a Line]) -> Vec<&'a [&'a Line]> {
    let starts: Vec<usize> = cells
        .iter()
        .enumerate()
        .filter(|(_, l)| is_row_number(&l.text))
        .map(|(i, _)| i)
        .collect();
    let mut groups = Vec::new();
    for (k, &s) in starts.iter().enumerate() {
        let e = starts.get(k + 1).copied().unwrap_or(cells.len());
        groups.push(&cells[s..e]);
    }
    groups
}

fn synthetic(no: usize, mut cells: Vec<String>, n: usize) -> Line {
    cells.resize(n, String::new());
    let text = cells
        .iter()
        .filter(|c| !c.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    Line {
        no,
        starts: (0..n).map(|i| i * crate::normalize::TAB_X).collect(),
        cells,
        text,
        tabbed: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::lines;
    use crate::table::TableBuilder;

    #[test]
    fn flattened_rows_are_rebuilt() {
        let text = "No\nSasaran\nIndikator Kinerja\nRumus\n1\nMeningkatnya A\nPersentase A\nJumlah A dibagi B\nPersentase A2\nJumlah A2 dibagi B\n2\nMeningkatnya C\nJumlah C\nJumlah C\n\nLumajang, 02 Februari 2023\n";
        let ls = lines(text);
        let flat = read(&ls, 0).expect("flattened table");
        assert_eq!(ls[flat.end].text, "Lumajang, 02 Februari 2023");
        assert!(
            flat.header.guessed,
            "rows attributed by count are marked as guesses"
        );
        let mut t = TableBuilder::new(flat.header);
        for row in &flat.rows {
            assert!(t.push(row));
        }
        let (ind, _) = t.finish();
        let got: Vec<(Option<&str>, Option<&str>, &str)> = ind
            .iter()
            .map(|i| (i.no.as_deref(), i.sasaran.as_deref(), i.indikator.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (Some("1"), Some("Meningkatnya A"), "Persentase A"),
                (Some("1"), Some("Meningkatnya A"), "Persentase A2"),
                (Some("2"), Some("Meningkatnya C"), "Jumlah C"),
            ]
        );
    }
}
