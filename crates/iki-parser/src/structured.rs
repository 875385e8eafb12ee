//! The explicit-cells input ([`iki_model::structured`]) laid out as lines: each text line is
//! one line, each table row one line of tab-separated cells on the table's column grid.
//!
//! Spans are laid onto the grid here, once: a cell spanning columns is followed by empty
//! cells, a cell spanning rows leaves an empty cell in the rows below (the shape of a
//! continuation row). Line breaks inside a cell are joined with a space (text inside one cell
//! belongs together); tabs inside a cell become spaces, so a cell never splits.

use iki_model::structured::{Block, Row, StructuredText, Table};

/// Rows and columns a table may declare; larger spans are clamped (hostile input stays
/// linear).
const MAX_SPAN: usize = 64;

/// The document as text, one line per text line and per table row (see the module docs).
pub fn render_text(doc: &StructuredText) -> String {
    let mut out = String::new();
    for block in &doc.blocks {
        match block {
            Block::Line(line) => {
                push_cell(&mut out, &line.text);
                out.push('\n');
            }
            Block::Table(table) => render_table(table, &mut out),
            Block::PageBreak { .. } => {}
        }
    }
    out
}

fn render_table(table: &Table, out: &mut String) {
    for cells in grid(&table.rows) {
        // A one-cell row is still a table row: a trailing tab marks it.
        let mut first = true;
        for cell in &cells {
            if !first {
                out.push('\t');
            }
            first = false;
            push_cell(out, cell);
        }
        if cells.len() == 1 {
            out.push('\t');
        }
        out.push('\n');
    }
}

/// The rows laid on a grid: one text per grid column, spans resolved.
fn grid(rows: &[Row]) -> Vec<Vec<&str>> {
    // Columns still covered by a cell from a row above: (column, rows left).
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
                // This row counts as one of the span's rows; the rows below are covered.
                covered[col + k] = rows_down;
            }
            col += cols;
            next = cells.next();
        }
        // Columns covered from above past the row's last cell.
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

/// A cell's text on one line: its line breaks and tabs become spaces.
fn push_cell(out: &mut String, text: &str) {
    for c in text.chars() {
        out.push(if matches!(c, '\n' | '\r' | '\t') {
            ' '
        } else {
            c
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use iki_model::structured::Cell;

    fn cell(text: &str, col_span: u32, row_span: u32) -> Cell {
        Cell {
            col_span,
            row_span,
            ..Cell::text(text)
        }
    }

    #[test]
    fn spans_are_laid_on_the_grid() {
        // | No | Sasaran (2 rows) | Indikator |
        // |    |                  | second    |
        // | wide over two columns | x         |
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
}
