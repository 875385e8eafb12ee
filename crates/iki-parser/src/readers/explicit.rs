//! Tables whose cells are explicit: tab-separated fields, Markdown pipe rows, HTML rows and
//! the cells an office file or a ruled page image gave. Each line is a row; a cell stands in
//! the column of its position. Nothing is guessed.
//!
//! ```text
//! table = header *(row | header_tail | repeated_header | blank | furniture_run)
//! ```
//! The table ends at the first line that is not a row, except a short run of page furniture
//! (running header, page number) followed by more rows.

use crate::classify::{fact, HeaderFact, View};
use crate::model::{Warning, WarningCode};
use crate::readers::{Header, Proposal, Row, Segmentation};
use crate::scan::Delim;
use crate::vocab::{self, Column};

/// Read the explicit-cells table whose header is line `at`.
pub fn read(view: &View<'_>, at: usize, h: &HeaderFact) -> Option<Proposal> {
    let mut header = Header {
        columns: h.columns.iter().map(|c| c.column).collect(),
        xs: (0..h.columns.len() as u16).collect(),
        at,
        body: at + 1,
    };
    let mut table = view.line(at).table;
    let mut rows: Vec<Row> = Vec::new();
    let mut warnings = Vec::new();
    let mut i = at + 1;
    let mut end = view.len();
    while i < view.len() {
        if view.is_blank(i) {
            i += 1;
            continue;
        }
        // The rest of a header whose names wrapped onto a second line ("Individu",
        // "Target IKI" under "Capaian").
        let names_words = view.facts(i).is(fact::HEADER_WORDS) || view.header(i).is_some();
        if rows.is_empty() && names_words && is_row_line(view, i, table) {
            complete_names(view, at, i, &mut header.columns);
            i += 1;
            continue;
        }
        if let Some(next) = repeated_header(view, i, table, h) {
            // A header repeated after a page break; a ruled table split over two pages comes
            // as two given tables, and the rows of the second continue this one.
            table = next;
            i += 1;
            continue;
        }
        if !is_row_line(view, i, table) {
            match resumes_after(view, i, table, header.width()) {
                Some(resume) => {
                    table = view.line(resume).table;
                    if resume > i {
                        warnings.push(Warning::new(
                            WarningCode::PageFurniture,
                            format!("skipped {} line(s) between parts of a table", resume - i),
                            Some(view.no(i)),
                        ));
                    }
                    i = resume;
                    continue;
                }
                None => {
                    end = i;
                    break;
                }
            }
        }
        let short = short_row(view, i, header.width());
        let cells = match &short {
            // A row with fewer cells than the header (rows shifted left under a spanning
            // cell, as pipe tables made from HTML come): its cells go where they read best.
            Some(pieces) => crate::readers::gaps::align(pieces, &header.columns),
            None => fit_cells(view, i, header.width(), &mut warnings),
        };
        let mut row = Row::new(cells, i);
        row.guessed = short.is_some();
        row.doubtful = view.line(i).doubtful;
        rows.push(row);
        i += 1;
    }
    // Trailing blank lines stay outside the table.
    while end > at + 1 && view.is_blank(end - 1) {
        end -= 1;
    }
    Some(Proposal {
        segmentation: Segmentation::Explicit,
        header,
        rows,
        end,
        warnings,
        unread: 0,
        margin: None,
        misshapen: 0.0,
    })
}

/// Columns whose name on the header line says nothing known ("Capaian") read again with the
/// rest of their name from the wrapped line below ("Capaian" + "Target IKI": Target).
fn complete_names(view: &View<'_>, at: usize, tail: usize, columns: &mut [Option<Column>]) {
    let scan = view.scan;
    let (head, more) = (scan.cells_of(view.line(at)), scan.cells_of(view.line(tail)));
    for (k, column) in columns.iter_mut().enumerate() {
        if !matches!(column, None | Some(Column::Other)) {
            continue;
        }
        if let (Some(a), Some(b)) = (head.get(k), more.get(k)) {
            let joined = vocab::fold(&format!("{} {}", scan.cell(a), scan.cell(b)));
            if let Some(named) = vocab::column(&joined).filter(|c| *c != Column::Other) {
                *column = Some(named);
            }
        }
    }
}

/// The given table that line `i` opens by repeating this table's header (the same columns):
/// the next page's part of the table. Tab and pipe rows keep table 0.
fn repeated_header(view: &View<'_>, i: usize, table: u32, h: &HeaderFact) -> Option<u32> {
    let again = view.header(i)?;
    let line = view.line(i);
    let continues = is_row_line(view, i, table)
        || (line.delim == Delim::Given && table != 0 && again.same_columns(h));
    (again.by_cells && continues).then_some(line.table)
}

/// A row of this table: explicit cells, two or more (a given row of the same source table
/// may have one). A line whose only text is its first cell is running text a spreadsheet
/// export laid in column A (a title, a label, a signature line), not a row; so is a title.
fn is_row_line(view: &View<'_>, i: usize, table: u32) -> bool {
    let line = view.line(i);
    let scan = view.scan;
    let first_only = || {
        let cells = scan.cells_of(line);
        scan.filled(line) == 1 && cells.first().is_some_and(|c| !c.span.is_empty())
    };
    if view.facts(i).is(fact::TITLE) {
        return false;
    }
    match line.delim {
        Delim::Given => line.table == table || table == 0,
        // A signature line laid out with tabs ("Mengetahui,<tab>Place, date") is no row.
        Delim::Tab | Delim::Pipe => {
            line.cell_count() >= 2 && !first_only() && !view.facts(i).is(fact::ANCHOR)
        }
        Delim::Gap => false,
    }
}

/// A row of this table, or of the next given table when that one goes on with rows of the
/// same width and no header of its own (a ruled table's part on the next page).
fn continues(view: &View<'_>, j: usize, table: u32, width: usize) -> bool {
    let line = view.line(j);
    is_row_line(view, j, table)
        || (line.delim == Delim::Given
            && table != 0
            && line.table != table
            && line.cell_count() == width
            && view.header(j).is_none()
            && is_row_line(view, j, line.table))
}

/// The cells of a pipe or tab row that has fewer cells than the header (its trailing empty
/// cells cut off by the converter do not count: only rows short of cells at all), as pieces
/// to place by content; `None` for rows that fill the header's width or are given cells.
fn short_row(view: &View<'_>, i: usize, n: usize) -> Option<Vec<String>> {
    let line = view.line(i);
    if line.delim != Delim::Pipe || line.cell_count() >= n {
        return None;
    }
    let scan = view.scan;
    let pieces: Vec<String> = scan
        .cells_of(line)
        .iter()
        .map(|c| collapse(scan.cell(c)))
        .collect();
    (pieces.iter().all(|p| !p.is_empty()) && pieces.len() >= 2).then_some(pieces)
}

/// The line's cells laid on the header's columns; surplus cells join the last column.
fn fit_cells(view: &View<'_>, i: usize, n: usize, warnings: &mut Vec<Warning>) -> Vec<String> {
    let scan = view.scan;
    let line = view.line(i);
    let cells = scan.cells_of(line);
    let mut out: Vec<String> = cells
        .iter()
        .take(n)
        .map(|c| collapse(scan.cell(c)))
        .collect();
    out.resize(n, String::new());
    let surplus: Vec<&str> = cells
        .iter()
        .skip(n)
        .map(|c| scan.cell(c))
        .filter(|c| !c.is_empty())
        .collect();
    if !surplus.is_empty() && n > 0 {
        let last = &mut out[n - 1];
        for extra in surplus {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(&collapse(extra));
        }
        warnings.push(Warning::new(
            WarningCode::ExtraCells,
            format!("row has {} cells, header {}", cells.len(), n),
            Some(view.no(i)),
        ));
    }
    out
}

/// Whitespace runs collapsed to one space.
pub fn collapse(cell: &str) -> String {
    let mut out = String::with_capacity(cell.len());
    for word in cell.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Where a table goes on after page furniture (a running header, a page number) that sits
/// between two of its parts: the index of the next row line, when only a few short lines that
/// are not labels, titles or signature lines come first.
fn resumes_after(view: &View<'_>, at: usize, table: u32, width: usize) -> Option<usize> {
    let mut furniture = 0;
    for j in at..view.len().min(at + 10) {
        if view.is_blank(j) {
            continue;
        }
        if continues(view, j, table, width) && view.facts(j).label.is_none() {
            return Some(j);
        }
        let f = view.facts(j);
        furniture += 1;
        if furniture > 3
            || view.line(j).word_count() > 10
            || f.label.is_some()
            || f.is(fact::ANCHOR)
        {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use iki_model::structured::{Block, Row, StructuredText, Table};

    fn header() -> Row {
        Row::of(["No", "Sasaran", "Indikator Kinerja", "Sumber Data"])
    }

    fn row(n: u32) -> Row {
        let n = n.to_string();
        Row::of([
            n.as_str(),
            &format!("Meningkatnya layanan {n}"),
            &format!("Persentase layanan {n}"),
            "Kecamatan",
        ])
    }

    /// A form whose ruled table goes on over a page break as a second source table, with or
    /// without its header repeated.
    fn split_form(repeat_header: bool) -> StructuredText {
        let mut second = vec![row(3), row(4)];
        if repeat_header {
            second.insert(0, header());
        }
        StructuredText {
            blocks: vec![
                Block::line("INDIKATOR KINERJA INDIVIDU"),
                Block::line("Jabatan : Camat"),
                Block::Table(Table::from_rows(vec![header(), row(1), row(2)])),
                Block::PageBreak { page: 2 },
                Block::Table(Table::from_rows(second)),
                Block::line("Lumajang, 2 Januari 2024"),
                Block::line("CAMAT"),
                Block::line("BUDI SANTOSO"),
                Block::line("NIP. 19700101 199003 1 001"),
            ],
        }
    }

    #[test]
    fn a_ruled_table_split_over_pages_is_one_table() {
        for repeat_header in [true, false] {
            let src = crate::source("x", b"x", crate::SourceFormat::Pdf, None);
            let doc = crate::extract_structured(src, &split_form(repeat_header));
            let numbers: Vec<_> = doc.records[0]
                .indicators
                .iter()
                .map(|i| i.indikator.clone())
                .collect();
            assert_eq!(
                numbers,
                [1, 2, 3, 4].map(|n| format!("Persentase layanan {n}")),
                "header repeated: {repeat_header}"
            );
            assert_eq!(doc.signatories.len(), 1);
        }
    }
}
