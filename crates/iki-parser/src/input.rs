//! What the scanner reads: source lines, each with its line number and whether its cells are
//! given.
//!
//! A text dump is its lines (CR, CRLF and LF all end one). HTML tables inside a text become
//! one line per `<tr>` whose tab-separated cells are *given* (the markup says where each cell
//! begins and ends), standing at the line where the row starts, so later line numbers do not
//! shift. An explicit-cells document ([`StructuredText`]: office files, ruled tables read from
//! a page image) becomes one line per text line and per table row, numbered in order, its rows
//! given. Spans are laid onto the table's column grid here, once.

use std::borrow::Cow;

use iki_model::structured::{Block, Row, StructuredText};

/// One line for the scanner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLine<'a> {
    /// 1-based line number the output points at.
    pub no: u32,
    pub text: Cow<'a, str>,
    /// The line's tab-separated fields are the cells of a row of the source's table number
    /// `Some(n)` (tables numbered from 1 in document order), as its source gave them.
    pub given: Option<u32>,
    /// Cells of the row whose reading the source doubts (OCR words of low confidence, words
    /// across a rule, overflowing text).
    pub doubtful: u16,
}

/// The lines of a decoded text dump.
pub fn from_text(text: &str) -> Vec<SourceLine<'_>> {
    if let Some(lines) = crate::html_table::source_lines(text) {
        return lines;
    }
    if let Some(lines) = crate::delimited::source_lines(text) {
        return lines;
    }
    let lines = split_lines(text)
        .enumerate()
        .map(|(i, line)| SourceLine {
            no: i as u32 + 1,
            text: Cow::Borrowed(line),
            given: None,
            doubtful: 0,
        })
        .collect();
    crate::paragraph::unflatten(lines)
}

/// The lines of `text`: CRLF, CR and LF each end one.
pub fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let t = rest?;
        // A byte scan: both breaks are ASCII, and a `[char]` pattern decodes every char.
        match t.bytes().position(|b| b == b'\n' || b == b'\r') {
            Some(i) => {
                let after = if t[i..].starts_with("\r\n") {
                    i + 2
                } else {
                    i + 1
                };
                rest = Some(&t[after..]);
                Some(&t[..i])
            }
            None => {
                rest = None;
                Some(t)
            }
        }
    })
}

/// Rows and columns a span may cover; larger spans are clamped (hostile input stays linear).
const MAX_SPAN: usize = 64;

/// The lines of an explicit-cells document: each text line and each table row is one line.
pub fn from_structured(doc: &StructuredText) -> Vec<SourceLine<'static>> {
    let mut out = Vec::new();
    let mut no = 0u32;
    let mut tables = 0u32;
    for block in &doc.blocks {
        match block {
            Block::Line(line) => {
                no += 1;
                out.push(SourceLine {
                    no,
                    text: Cow::Owned(one_line(&line.text)),
                    given: None,
                    doubtful: 0,
                });
            }
            Block::Table(table) => {
                tables += 1;
                for (row, cells) in table.rows.iter().zip(grid(&table.rows)) {
                    no += 1;
                    let text = cells
                        .iter()
                        .map(|c| one_line(c))
                        .collect::<Vec<_>>()
                        .join("\t");
                    let doubtful = row
                        .cells
                        .iter()
                        .filter(|c| c.evidence.is_doubtful())
                        .count();
                    out.push(SourceLine {
                        no,
                        text: Cow::Owned(text),
                        given: Some(tables),
                        doubtful: doubtful.min(u16::MAX as usize) as u16,
                    });
                }
            }
            Block::PageBreak { .. } => {}
        }
    }
    out
}

/// The document as text, one line per text line and table row (cells joined by tabs): what
/// the output's line numbers count, for a reviewer.
pub fn render_text(doc: &StructuredText) -> String {
    let mut out = String::new();
    for line in from_structured(doc) {
        out.push_str(&line.text);
        out.push('\n');
    }
    out
}

/// A cell's or line's text on one line: line breaks and tabs become spaces (text inside one
/// cell belongs together).
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| {
            if matches!(c, '\n' | '\r' | '\t') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// The rows laid on a grid: one text per grid column, spans resolved. A cell spanning columns
/// is followed by empty cells; a cell spanning rows leaves an empty cell in the rows below
/// (the shape of a continuation row).
fn grid(rows: &[Row]) -> Vec<Vec<&str>> {
    // Rows still covered by a cell from above, per column.
    let mut covered: Vec<usize> = Vec::new();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let mut line: Vec<&str> = Vec::new();
        let mut col = 0;
        let mut cells = row.cells.iter();
        let mut next = cells.next();
        loop {
            if covered.get(col).copied().unwrap_or(0) > 0 {
                line.push("");
                col += 1;
                continue;
            }
            let Some(cell) = next else { break };
            let cols = (cell.col_span as usize).clamp(1, MAX_SPAN);
            let rows_down = (cell.row_span as usize).clamp(1, MAX_SPAN);
            for k in 0..cols {
                line.push(if k == 0 { cell.text.as_str() } else { "" });
                if covered.len() <= col + k {
                    covered.resize(col + k + 1, 0);
                }
                covered[col + k] = rows_down;
            }
            col += cols;
            next = cells.next();
        }
        while col < covered.len() {
            if covered[col] > 0 {
                line.push("");
            }
            col += 1;
        }
        for c in covered.iter_mut() {
            *c = c.saturating_sub(1);
        }
        out.push(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use iki_model::structured::{Cell, Table};

    fn cell(text: &str, col_span: u32, row_span: u32) -> Cell {
        Cell {
            col_span,
            row_span,
            ..Cell::text(text)
        }
    }

    #[test]
    fn spans_are_laid_on_the_grid() {
        // | 1 (2 rows) | S (2 rows) | I1 |
        // |            |            | I2 |
        // | wide over two columns   | x  |
        let table = Table::from_rows(vec![
            Row {
                cells: vec![cell("1", 1, 2), cell("S", 1, 2), cell("I1", 1, 1)],
            },
            Row {
                cells: vec![cell("I2", 1, 1)],
            },
            Row {
                cells: vec![cell("wide", 2, 1), cell("x", 1, 1)],
            },
        ]);
        let doc = StructuredText {
            blocks: vec![Block::line("JABATAN : CAMAT"), Block::Table(table)],
        };
        assert_eq!(
            render_text(&doc),
            "JABATAN : CAMAT\n1\tS\tI1\n\t\tI2\nwide\t\tx\n"
        );
        let lines = from_structured(&doc);
        assert_eq!(
            lines.iter().map(|l| (l.no, l.given)).collect::<Vec<_>>(),
            [(1, None), (2, Some(1)), (3, Some(1)), (4, Some(1))]
        );
    }

    #[test]
    fn cell_text_stays_in_its_cell() {
        let doc = StructuredText {
            blocks: vec![Block::Table(Table::from_rows(vec![Row::of([
                "JAB\nATA\nN",
                "a\tb",
            ])]))],
        };
        assert_eq!(render_text(&doc), "JAB ATA N\ta b\n");
    }

    #[test]
    fn line_ends() {
        let lines = from_text("a\r\nb\rc\nd");
        let got: Vec<(u32, &str)> = lines.iter().map(|l| (l.no, l.text.as_ref())).collect();
        assert_eq!(got, [(1, "a"), (2, "b"), (3, "c"), (4, "d")]);
        assert_eq!(split_lines("x\n").collect::<Vec<_>>(), ["x", ""]);
    }
}
