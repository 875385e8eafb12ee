//! Family 13: the reading orders OCR engines and PDF converters give a table whose cells they
//! cannot line up.
//!
//! - **Column-major**: each column's name, then its cells top to bottom (an empty cell an
//!   empty line), then the next column.
//! - **Interleaved**: each row read visual line by visual line, left to right, every cell
//!   fragment on a line of its own and no mark where a row ends. No and Sasaran span their
//!   continuation rows, so a sasaran's fragments stand between its indicators' fragments.

use crate::form::{Cell, Table};
use crate::table::{cell_lines, column_width, is_lead_column};
use crate::writer::Writer;

/// Column by column.
pub(crate) fn column_major(w: &mut Writer, table: &Table, headers: &[String]) {
    for (i, name) in headers.iter().enumerate() {
        w.text(name.clone());
        for row in &table.rows {
            cell_on_lines(w, &row[i]);
        }
    }
}

/// A cell on a line of its own (an empty cell an empty line), bullet entries one a line.
fn cell_on_lines(w: &mut Writer, cell: &Cell) {
    let bullet = w.style.marks.bullet;
    if cell.bullets && !cell.is_empty() {
        for part in &cell.parts {
            w.text(format!("{bullet} {part}"));
        }
    } else {
        w.text(cell.inline(bullet));
    }
}

/// Visual line by visual line, every fragment on a line of its own.
pub(crate) fn interleaved(w: &mut Writer, table: &Table, headers: &[String], middle: bool) {
    for name in headers {
        w.text(name.clone());
    }
    let widths: Vec<usize> = (0..table.columns.len())
        .map(|i| column_width(w, table, headers, i))
        .collect();
    let lead: Vec<bool> = table.columns.iter().map(|c| is_lead_column(*c)).collect();
    for group in groups(table, &lead) {
        // Every cell's fragments, row by row of the group.
        let pieces: Vec<Vec<Vec<String>>> = group
            .iter()
            .map(|r| {
                table.rows[*r]
                    .iter()
                    .zip(&widths)
                    .map(|(cell, width)| cell_lines(w, cell, *width))
                    .collect()
            })
            .collect();
        let mut heights: Vec<usize> = pieces
            .iter()
            .map(|row| {
                let tallest = row.iter().zip(&lead).filter(|(_, l)| !**l);
                tallest.map(|(p, _)| p.len()).max().unwrap_or(0).max(1)
            })
            .collect();
        let spanned = pieces[0]
            .iter()
            .zip(&lead)
            .filter(|(_, l)| **l)
            .map(|(p, _)| p.len())
            .max()
            .unwrap_or(0);
        let total: usize = heights.iter().sum();
        if spanned > total {
            if let Some(last) = heights.last_mut() {
                *last += spanned - total;
            }
        }
        let total: usize = heights.iter().sum();
        let mut starts = Vec::with_capacity(heights.len());
        let mut at = 0;
        for h in &heights {
            starts.push(at);
            at += h;
        }
        for k in 0..total {
            let row = starts.iter().rposition(|s| *s <= k).unwrap_or(0);
            for (i, is_lead) in lead.iter().enumerate() {
                let piece = if *is_lead {
                    let cell = &pieces[0][i];
                    let offset = if middle { (total - cell.len()) / 2 } else { 0 };
                    k.checked_sub(offset).and_then(|j| cell.get(j))
                } else {
                    pieces[row][i].get(k - starts[row])
                };
                if let Some(piece) = piece {
                    w.text(piece.clone());
                }
            }
        }
    }
}

/// The table's rows grouped: a row whose No and Sasaran cells are empty joins the group above.
fn groups(table: &Table, lead: &[bool]) -> Vec<Vec<usize>> {
    let has_lead = lead.iter().any(|l| *l);
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (r, row) in table.rows.iter().enumerate() {
        let continues = has_lead
            && row
                .iter()
                .zip(lead)
                .filter(|(_, l)| **l)
                .all(|(c, _)| c.is_empty());
        match groups.last_mut() {
            Some(group) if continues => group.push(r),
            _ => groups.push(vec![r]),
        }
    }
    groups
}
