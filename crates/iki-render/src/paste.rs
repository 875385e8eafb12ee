//! Tables pasted from a word processor or copied out of a web page (families 11, 12): single
//! tabs between cells with line breaks inside cells (each bullet entry, and maybe a break in a
//! long text, starts a new line, the next cell going on after it), or one cell per line with
//! a blank line after each row.

use crate::form::{Cell, Table};
use crate::writer::Writer;

/// Single tabs between cells; a cell's line breaks split its row over lines.
pub(crate) fn tabs(
    w: &mut Writer,
    table: &Table,
    headers: &[String],
    breaks: bool,
    blank_between_rows: bool,
) {
    w.text(headers.join("\t"));
    for row in &table.rows {
        let cells: Vec<String> = row.iter().map(|c| cell_text(w, c, breaks)).collect();
        for line in cells.join("\t").split('\n') {
            w.text(line.to_string());
        }
        if blank_between_rows {
            w.text("");
        }
    }
}

/// A cell's text with its line breaks: one line per bullet entry; with `breaks`, a long text
/// broken once at a word now and then (a manual line break in the cell).
fn cell_text(w: &mut Writer, cell: &Cell, breaks: bool) -> String {
    let bullet = w.style.marks.bullet;
    if cell.bullets {
        let entries: Vec<String> = cell.parts.iter().map(|p| format!("{bullet} {p}")).collect();
        return entries.join("\n");
    }
    let text = cell.inline(bullet);
    let words: Vec<&str> = text.split(' ').collect();
    if !breaks || words.len() < 6 || !w.dice.chance(0.4) {
        return text;
    }
    let at = w.dice.between(2, words.len() - 2);
    format!("{}\n{}", words[..at].join(" "), words[at..].join(" "))
}

/// One cell per line (bullet entries each on a line), a blank line after the names and after
/// every row.
pub(crate) fn cell_lines(w: &mut Writer, table: &Table, headers: &[String]) {
    for name in headers {
        w.text(name.clone());
    }
    w.text("");
    let bullet = w.style.marks.bullet;
    for row in &table.rows {
        for cell in row {
            if cell.bullets && !cell.is_empty() {
                for part in &cell.parts {
                    w.text(format!("{bullet} {part}"));
                }
            } else {
                w.text(cell.inline(bullet));
            }
        }
        w.text("");
    }
}
