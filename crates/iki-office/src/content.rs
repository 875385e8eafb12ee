//! What a word-processor document holds, in reading order, before it becomes the parser's
//! [`StructuredText`]: paragraphs and tables whose cells hold content of their own. The
//! `.docx` and `.odt` readers build it; [`into_blocks`] decides once, for both, which tables
//! are data and which only place text on the page.
//!
//! A table is kept as a [`Table`] of given cells ("as the file gives it") unless the file
//! itself says it is page layout:
//!
//! - it holds another table (a form laid out inside a frame table): its cells are read as
//!   the document they contain, cell after cell;
//! - it has no visible borders and a row places blocks of text side by side (two or more
//!   cells of several lines each, as signer and approver blocks are) or holds a single
//!   block: that row's cells are read as lines, left cell first. Its other rows (a
//!   borderless `Jabatan | : | value` header block) stay table rows.
//!
//! Ruled tables are always data, whatever their cells hold.

use iki_model::structured::{Block, Cell, Row, StructuredText, Table};

/// One item of a document body or a cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    /// A paragraph; `\n` where the file breaks its line.
    Paragraph(String),
    Table(TableContent),
}

/// A table as read: rows of cells with their spans resolved (a cell spanning rows is given
/// once, on its first row), and whether any of its edges is drawn.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TableContent {
    pub rows: Vec<Vec<CellContent>>,
    pub ruled: bool,
}

/// One cell and what it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct CellContent {
    pub content: Vec<Content>,
    pub col_span: u32,
    pub row_span: u32,
}

impl CellContent {
    pub fn new(content: Vec<Content>, col_span: u32) -> CellContent {
        CellContent {
            content,
            col_span: col_span.max(1),
            row_span: 1,
        }
    }

    /// The cell's text: its paragraphs joined by line breaks, trailing empty ones dropped.
    fn text(&self) -> String {
        let mut lines: Vec<&str> = Vec::new();
        for item in &self.content {
            if let Content::Paragraph(p) = item {
                lines.extend(p.split('\n'));
            }
        }
        while lines.last().is_some_and(|l| l.trim().is_empty()) {
            lines.pop();
        }
        while lines.first().is_some_and(|l| l.trim().is_empty()) {
            lines.remove(0);
        }
        lines.join("\n")
    }

    fn holds_table(&self) -> bool {
        self.content.iter().any(|c| matches!(c, Content::Table(_)))
    }

    fn is_empty(&self) -> bool {
        self.content.iter().all(|c| match c {
            Content::Paragraph(p) => p.trim().is_empty(),
            Content::Table(_) => false,
        })
    }

    fn line_count(&self) -> usize {
        self.text().lines().filter(|l| !l.trim().is_empty()).count()
    }
}

/// The parser's input for a document body.
pub fn into_blocks(content: Vec<Content>) -> StructuredText {
    let mut blocks = Vec::new();
    push_all(content, &mut blocks);
    StructuredText { blocks }
}

fn push_all(content: Vec<Content>, out: &mut Vec<Block>) {
    for item in content {
        match item {
            Content::Paragraph(text) => push_lines(&text, out),
            Content::Table(table) => push_table(table, out),
        }
    }
}

fn push_lines(text: &str, out: &mut Vec<Block>) {
    for line in text.split('\n') {
        out.push(Block::line(line));
    }
}

fn push_table(table: TableContent, out: &mut Vec<Block>) {
    if table.rows.iter().flatten().any(CellContent::holds_table) {
        for cell in table.rows.into_iter().flatten() {
            push_all(cell.content, out);
        }
        return;
    }
    let ruled = table.ruled;
    // Runs of table rows between rows read as lines.
    let mut run: Vec<Vec<CellContent>> = Vec::new();
    for row in table.rows {
        if !ruled && is_layout_row(&row) {
            flush_run(&mut run, out);
            for cell in row.into_iter().filter(|c| !c.is_empty()) {
                push_all(cell.content, out);
            }
        } else {
            run.push(row);
        }
    }
    flush_run(&mut run, out);
}

/// A borderless row that places blocks of text: one non-empty cell of several lines, or
/// several non-empty cells that all hold several lines.
fn is_layout_row(row: &[CellContent]) -> bool {
    let filled: Vec<&CellContent> = row.iter().filter(|c| !c.is_empty()).collect();
    match filled.len() {
        0 => false,
        1 => filled[0].line_count() >= 2,
        _ => filled.iter().all(|c| c.line_count() >= 2),
    }
}

/// The rows gathered so far as one table; spans are cut at the run's last row.
fn flush_run(run: &mut Vec<Vec<CellContent>>, out: &mut Vec<Block>) {
    if run.is_empty() {
        return;
    }
    let count = run.len();
    let rows = run
        .drain(..)
        .enumerate()
        .map(|(i, cells)| Row {
            cells: cells
                .into_iter()
                .map(|c| Cell {
                    col_span: c.col_span,
                    row_span: c.row_span.clamp(1, (count - i) as u32),
                    ..Cell::text(c.text())
                })
                .collect(),
        })
        .collect();
    out.push(Block::Table(Table::from_rows(rows)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::render;

    fn texts(doc: &StructuredText) -> Vec<String> {
        render(&doc.blocks)
    }

    fn para(text: &str) -> Content {
        Content::Paragraph(text.to_string())
    }

    fn cell(paras: &[&str]) -> CellContent {
        CellContent::new(paras.iter().map(|p| para(p)).collect(), 1)
    }

    #[test]
    fn ruled_tables_stay_tables_with_cell_lines() {
        let table = TableContent {
            rows: vec![vec![cell(&["1"]), cell(&["- Camat", "- Sekcam"])]],
            ruled: true,
        };
        let doc = into_blocks(vec![para("TITLE"), Content::Table(table)]);
        assert_eq!(texts(&doc), ["TITLE", "1[1x1]|- Camat\n- Sekcam[1x1]"]);
    }

    #[test]
    fn borderless_side_by_side_blocks_become_lines() {
        let table = TableContent {
            rows: vec![
                vec![cell(&["Jabatan"]), cell(&[":"]), cell(&["Camat"])],
                vec![
                    cell(&["Mengetahui", "Camat", "", "BUDI"]),
                    cell(&[]),
                    cell(&["Lumajang, 2 Januari 2024", "Sekretaris", "", "ANI"]),
                ],
            ],
            ruled: false,
        };
        let doc = into_blocks(vec![Content::Table(table)]);
        assert_eq!(
            texts(&doc),
            [
                "Jabatan[1x1]|:[1x1]|Camat[1x1]",
                "Mengetahui",
                "Camat",
                "",
                "BUDI",
                "Lumajang, 2 Januari 2024",
                "Sekretaris",
                "",
                "ANI"
            ]
        );
    }

    #[test]
    fn a_frame_table_is_read_as_the_document_it_holds() {
        let inner = TableContent {
            rows: vec![vec![cell(&["No"]), cell(&["Sasaran"])]],
            ruled: true,
        };
        let frame = TableContent {
            rows: vec![vec![CellContent::new(
                vec![para("JABATAN : CAMAT"), Content::Table(inner)],
                1,
            )]],
            ruled: true,
        };
        let doc = into_blocks(vec![Content::Table(frame)]);
        assert_eq!(texts(&doc), ["JABATAN : CAMAT", "No[1x1]|Sasaran[1x1]"]);
    }

    #[test]
    fn row_spans_end_with_their_run() {
        let mut merged = cell(&["S"]);
        merged.row_span = 5;
        let table = TableContent {
            rows: vec![vec![merged, cell(&["a"])], vec![cell(&["b"])]],
            ruled: true,
        };
        let doc = into_blocks(vec![Content::Table(table)]);
        let Block::Table(t) = &doc.blocks[0] else {
            panic!("table")
        };
        assert_eq!(t.rows[0].cells[0].row_span, 2);
    }
}
