//! Family 14: text previews of document-sharing sites, where the layout is gone: the table
//! runs together with single spaces (one paragraph, or one per row; each row's cells run into
//! the next row's), and sometimes the whole text does, page by page.

use crate::form::{Cell, Table};
use crate::lines::Line;
use crate::rng::Dice;
use crate::text::wrap;
use crate::writer::Writer;

/// The table as one paragraph (maybe wrapped at a width), or one paragraph per row.
pub(crate) fn table(w: &mut Writer, table: &Table, headers: &[String], per_row: bool) {
    let bullet = w.style.marks.bullet;
    let row_text = |row: &[Cell]| {
        let cells: Vec<String> = row
            .iter()
            .filter(|c| !c.is_empty())
            .map(|c| c.inline(bullet))
            .collect();
        cells.join(" ")
    };
    if per_row {
        w.text(headers.join(" "));
        for row in &table.rows {
            w.text(row_text(row));
        }
        return;
    }
    let mut parts = vec![headers.join(" ")];
    parts.extend(table.rows.iter().map(|r| row_text(r)));
    let text = parts.join(" ");
    if w.dice.chance(0.5) {
        let width = w.dice.between(90, 160);
        for line in wrap(&text, width) {
            w.text(line);
        }
    } else {
        w.text(text);
    }
}

/// The whole text run together: about every `n` lines become one paragraph (words joined by
/// single spaces), paragraphs separated by a blank line.
pub(crate) fn run_together(lines: Vec<Line>, n: usize, dice: &mut Dice) -> Vec<Line> {
    let mut out = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut taken = 0;
    let mut size = dice.between(n / 2, n + n / 2).max(1);
    for line in lines {
        let text = line.render();
        words.extend(text.split_whitespace().map(str::to_string));
        taken += 1;
        if taken >= size && !words.is_empty() {
            out.push(Line::Text(std::mem::take(&mut words).join(" ")));
            out.push(Line::Text(String::new()));
            taken = 0;
            size = dice.between(n / 2, n + n / 2).max(1);
        }
    }
    if !words.is_empty() {
        out.push(Line::Text(words.join(" ")));
    }
    out
}
