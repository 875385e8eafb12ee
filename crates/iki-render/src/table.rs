//! The indicator table in the style's shape: tab rows, space-aligned word-wrapped columns,
//! Markdown pipes (continuation rows maybe shifted left), HTML (with or without rowspan) or
//! one cell per line here; unaligned space runs (`spaced`), pasted rows (`paste`), reading
//! orders (`order`) and paragraphs (`paragraph`) in modules of their own.

use crate::form::{Cell, Column, Table};
use crate::lines::Line;
use crate::style::{HeaderRows, HtmlShape, TableKind};
use crate::text::{longest_word, pad, wrap};
use crate::writer::Writer;
use crate::{ocr, order, paragraph, paste, spaced};

/// Writes the table between blank lines.
pub(crate) fn write(w: &mut Writer, table: &Table) {
    let headers = headers(w, &table.columns);
    match w.style.table {
        TableKind::Tabs => tabs(w, table, headers),
        TableKind::Aligned {
            gap,
            middle,
            blank_between_rows,
        } => aligned(w, table, &headers, gap, middle, blank_between_rows),
        TableKind::Pipe { rule } => pipe(w, table, &headers, rule, false),
        TableKind::Html {
            shape,
            rowspan,
            list_cells,
        } => html(w, table, &headers, shape, rowspan, list_cells),
        TableKind::Flat => flat(w, table, &headers),
        TableKind::Spaced {
            wrap,
            runs,
            broken_header,
            merged_no,
        } => {
            let knobs = spaced::Knobs {
                wrap,
                runs,
                broken_header,
                merged_no,
            };
            spaced::write(w, table, &headers, knobs)
        }
        TableKind::PastedTabs {
            breaks,
            blank_between_rows,
        } => paste::tabs(w, table, &headers, breaks, blank_between_rows),
        TableKind::CellLines => paste::cell_lines(w, table, &headers),
        TableKind::ShiftedPipes { rule } => pipe(w, table, &headers, rule, true),
        TableKind::ColumnMajor => order::column_major(w, table, &headers),
        TableKind::Interleaved { middle } => order::interleaved(w, table, &headers, middle),
        TableKind::Paragraph { per_row } => paragraph::table(w, table, &headers, per_row),
    }
    w.blanks(1, 2);
}

/// The printed column names (slipped in family 8).
fn headers(w: &mut Writer, columns: &[Column]) -> Vec<String> {
    columns
        .iter()
        .map(|c| {
            let name = w.style.header(*c).to_string();
            if w.style.ocr {
                ocr::slip_phrase(&name, 0.3, 1, w.dice)
            } else {
                name
            }
        })
        .collect()
}

fn tabs(w: &mut Writer, table: &Table, headers: Vec<String>) {
    let mut rows = table.rows.iter();
    match w.style.header_rows {
        HeaderRows::One => w.lines.push(Line::Row {
            cells: headers,
            columns: table.columns.clone(),
            header: true,
        }),
        HeaderRows::Broken => broken_header(w, &headers),
        HeaderRows::Glued => {
            // The names' line break lost: the first row goes on after the last name.
            let first = rows.next().map(|r| tab_cells(w, r)).unwrap_or_default();
            w.text(format!("{} {}", headers.join("\t"), first.join("\t")));
        }
    }
    for row in rows {
        w.lines.push(Line::Row {
            cells: tab_cells(w, row),
            columns: table.columns.clone(),
            header: false,
        });
    }
}

/// A row's cells for a tab row; a spreadsheet with line breaks inside cells puts each bullet
/// entry on a line of its own.
fn tab_cells(w: &Writer, row: &[Cell]) -> Vec<String> {
    let bullet = w.style.marks.bullet;
    let breaks = w.style.sheet.as_ref().is_some_and(|s| s.line_breaks);
    row.iter()
        .map(|c| {
            if breaks && c.bullets {
                let entries: Vec<String> =
                    c.parts.iter().map(|p| format!("{bullet} {p}")).collect();
                entries.join("\n")
            } else {
                c.inline(bullet)
            }
        })
        .collect()
}

/// The column names broken over two lines at a word, tab-separated on both.
fn broken_header(w: &mut Writer, headers: &[String]) {
    let (mut top, mut bottom) = (Vec::new(), Vec::new());
    for name in headers {
        let words: Vec<&str> = name.split_whitespace().collect();
        let at = if words.len() < 2 {
            words.len()
        } else {
            w.dice.between(1, words.len() - 1)
        };
        top.push(words[..at].join(" "));
        bottom.push(words[at..].join(" "));
    }
    w.text(top.join("\t"));
    w.text(bottom.join("\t").trim_end_matches('\t').to_string());
}

/// `pdftotext -layout`: every column a fixed width (at least its longest word), cells
/// word-wrapped inside it, rows as tall as their tallest cell, text top- or middle-aligned.
fn aligned(
    w: &mut Writer,
    table: &Table,
    headers: &[String],
    gap: usize,
    middle: bool,
    blank_between_rows: bool,
) {
    let widths: Vec<usize> = (0..table.columns.len())
        .map(|i| column_width(w, table, headers, i))
        .collect();
    let header_cells: Vec<Vec<String>> = headers
        .iter()
        .zip(&widths)
        .map(|(h, width)| wrap(h, *width))
        .collect();
    block(w, &header_cells, &widths, gap, middle);
    for row in &table.rows {
        if blank_between_rows {
            w.text("");
        }
        let cells: Vec<Vec<String>> = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| cell_lines(w, cell, *width))
            .collect();
        block(w, &cells, &widths, gap, middle);
    }
}

/// A column's width: drawn per table, never narrower than its longest word.
pub(crate) fn column_width(w: &mut Writer, table: &Table, headers: &[String], i: usize) -> usize {
    let column = table.columns[i];
    let drawn = match column {
        Column::No => w.dice.between(3, 5),
        Column::Target | Column::Satuan => w.dice.between(6, 12),
        _ => w.dice.between(12, 36),
    };
    let longest = table
        .rows
        .iter()
        .map(|r| longest_word(&r[i].inline("-")))
        .chain(std::iter::once(longest_word(&headers[i])))
        .max()
        .unwrap_or(1);
    let fractions = match w.style.fractions {
        Some(style) if !style.dashes => table
            .rows
            .iter()
            .filter_map(|r| r[i].fraction.as_ref())
            .map(|f| f.one_line_width(style))
            .max()
            .unwrap_or(0),
        _ => 0,
    };
    drawn.max(longest).max(fractions)
}

/// A cell's physical lines: its text wrapped, each bullet entry starting a line, a fraction
/// over its lines (family 15).
pub(crate) fn cell_lines(w: &Writer, cell: &Cell, width: usize) -> Vec<String> {
    let bullet = w.style.marks.bullet;
    if let (Some(fraction), Some(style)) = (&cell.fraction, w.style.fractions) {
        return fraction.lines(width, style);
    }
    if !cell.bullets {
        return wrap(&cell.inline(bullet), width);
    }
    cell.parts
        .iter()
        .flat_map(|p| wrap(&format!("{bullet} {p}"), width))
        .collect()
}

/// Prints one table row of wrapped cells side by side.
fn block(w: &mut Writer, cells: &[Vec<String>], widths: &[usize], gap: usize, middle: bool) {
    let height = cells.iter().map(Vec::len).max().unwrap_or(0);
    for line in 0..height {
        let mut text = String::new();
        for (cell, width) in cells.iter().zip(widths) {
            let offset = if middle { (height - cell.len()) / 2 } else { 0 };
            let part = line
                .checked_sub(offset)
                .and_then(|i| cell.get(i))
                .map(String::as_str)
                .unwrap_or("");
            text.push_str(&pad(part, *width));
            text.push_str(&" ".repeat(gap));
        }
        w.text(text.trim_end().to_string());
    }
}

/// `| a | b |` rows, with or without the `|---|` rule. With `shift` (pipe rows made from an
/// HTML table with rowspan), a continuation row has no cells where the row above spans it, so
/// its cells stand left of their columns.
fn pipe(w: &mut Writer, table: &Table, headers: &[String], rule: bool, shift: bool) {
    w.text(pipe_row(headers));
    if rule {
        let rules: Vec<String> = headers.iter().map(|_| "---".to_string()).collect();
        w.text(pipe_row(&rules));
    }
    let bullet = w.style.marks.bullet;
    let spans = if shift {
        row_spans(table)
    } else {
        vec![1; table.rows.len()]
    };
    for (row, span) in table.rows.iter().zip(spans) {
        let cells: Vec<String> = row
            .iter()
            .zip(&table.columns)
            .filter(|(_, column)| span > 0 || !is_lead_column(**column))
            .map(|(cell, _)| cell.inline(bullet))
            .collect();
        w.text(pipe_row(&cells));
    }
}

fn pipe_row(cells: &[String]) -> String {
    let escaped: Vec<String> = cells.iter().map(|c| c.replace('|', "\\|")).collect();
    format!("| {} |", escaped.join(" | "))
}

/// An HTML table; with `rowspan` a continuation row leaves out the cells the row above spans,
/// else it has them empty. Bullet cells are `<br>` lines or a `<ul>` list.
fn html(
    w: &mut Writer,
    table: &Table,
    headers: &[String],
    shape: HtmlShape,
    rowspan: bool,
    list_cells: bool,
) {
    let mut rows: Vec<Vec<String>> = Vec::with_capacity(table.rows.len() + 1);
    rows.push(
        headers
            .iter()
            .map(|h| format!("<th>{}</th>", escape(h)))
            .collect(),
    );
    let spans = if rowspan {
        row_spans(table)
    } else {
        vec![1; table.rows.len()]
    };
    let bullet = w.style.marks.bullet;
    for (r, row) in table.rows.iter().enumerate() {
        let mut cells = Vec::with_capacity(row.len());
        for (c, cell) in row.iter().enumerate() {
            let spanned = is_lead_column(table.columns[c]);
            if spanned && spans[r] == 0 {
                continue;
            }
            let attr = if spanned && spans[r] > 1 {
                format!(" rowspan=\"{}\"", spans[r])
            } else {
                String::new()
            };
            cells.push(format!(
                "<td{attr}>{}</td>",
                html_cell(cell, bullet, list_cells)
            ));
        }
        rows.push(cells);
    }
    html_lines(w, &rows, shape);
}

pub(crate) fn is_lead_column(column: Column) -> bool {
    matches!(column, Column::No | Column::Sasaran)
}

/// Per row: how many rows its No / Sasaran cells span (0 for a continuation row).
fn row_spans(table: &Table) -> Vec<usize> {
    let lead: Vec<usize> = (0..table.columns.len())
        .filter(|c| is_lead_column(table.columns[*c]))
        .collect();
    let continues = |row: &Vec<Cell>| !lead.is_empty() && lead.iter().all(|c| row[*c].is_empty());
    let mut spans = vec![1; table.rows.len()];
    let mut owner = 0;
    for (r, row) in table.rows.iter().enumerate() {
        if r > 0 && continues(row) {
            spans[r] = 0;
            spans[owner] += 1;
        } else {
            owner = r;
        }
    }
    spans
}

fn html_cell(cell: &Cell, bullet: &str, list_cells: bool) -> String {
    if !cell.bullets {
        return escape(&cell.inline(bullet));
    }
    if list_cells {
        let items: String = cell
            .parts
            .iter()
            .map(|p| format!("<li>{}</li>", escape(p)))
            .collect();
        return format!("<ul>{items}</ul>");
    }
    let lines: Vec<String> = cell
        .parts
        .iter()
        .map(|p| format!("{bullet} {}", escape(p)))
        .collect();
    lines.join("<br>")
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn html_lines(w: &mut Writer, rows: &[Vec<String>], shape: HtmlShape) {
    match shape {
        HtmlShape::OneLine => {
            let body: String = rows
                .iter()
                .map(|r| format!("<tr>{}</tr>", r.concat()))
                .collect();
            w.text(format!("<table>{body}</table>"));
        }
        HtmlShape::RowPerLine => {
            w.text("<table>");
            for row in rows {
                w.text(format!("<tr>{}</tr>", row.concat()));
            }
            w.text("</table>");
        }
        HtmlShape::Pretty => {
            w.text("<table>");
            for row in rows {
                w.text("  <tr>");
                for cell in row {
                    w.text(format!("    {cell}"));
                }
                w.text("  </tr>");
            }
            w.text("</table>");
        }
    }
}

/// One cell per line: the column names, then every row's cells (an empty cell is an empty
/// line).
fn flat(w: &mut Writer, table: &Table, headers: &[String]) {
    for header in headers {
        w.text(header.clone());
    }
    let bullet = w.style.marks.bullet;
    for row in &table.rows {
        for cell in row {
            w.text(cell.inline(bullet));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(text: &str) -> Cell {
        Cell {
            parts: if text.is_empty() {
                vec![]
            } else {
                vec![text.to_string()]
            },
            bullets: false,
            fraction: None,
        }
    }

    #[test]
    fn continuation_rows_span() {
        let table = Table {
            columns: vec![Column::No, Column::Sasaran, Column::Indikator],
            rows: vec![
                vec![cell("1"), cell("S"), cell("A")],
                vec![cell(""), cell(""), cell("B")],
                vec![cell(""), cell(""), cell("C")],
                vec![cell("2"), cell("T"), cell("D")],
            ],
        };
        assert_eq!(row_spans(&table), vec![3, 0, 0, 1]);
    }

    #[test]
    fn pipes_and_markup_are_escaped() {
        assert_eq!(pipe_row(&["a|b".to_string()]), "| a\\|b |");
        assert_eq!(escape("A & B <x>"), "A &amp; B &lt;x&gt;");
    }
}
