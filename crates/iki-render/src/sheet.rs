//! Family 10: the whole sheet exported from a spreadsheet as delimited rows (`,`, `;` or tab):
//! the title and signature lines in the first cell, label, colon and value in cells of their
//! own, the table's cells in theirs. Cells holding the delimiter, a quote or a line break are
//! quoted (quotes doubled); with `quote_all` every non-empty cell is. Line breaks inside cells
//! (Alt+Enter) put bullet entries, and now and then a long text, on lines of their own inside
//! the quotes; a careful reader joins them with a space.

use crate::lines::Line;
use crate::rng::Dice;
use crate::style::Sheet;

/// Every line as a sheet row.
pub(crate) fn rows(lines: Vec<Line>, sheet: &Sheet, dice: &mut Dice) -> Vec<Line> {
    let cells: Vec<Vec<String>> = lines.iter().map(cells_of).collect();
    let width = cells.iter().map(Vec::len).max().unwrap_or(1);
    cells
        .into_iter()
        .map(|row| {
            let mut fields: Vec<String> = row
                .iter()
                .map(|cell| field(&line_break(cell, sheet, dice), sheet))
                .collect();
            if sheet.pad {
                fields.resize(width, String::new());
            }
            Line::Text(fields.join(&sheet.delimiter.to_string()))
        })
        .collect()
}

/// A line's cells: a table row's own, a text line split at its tabs (label, colon, value).
fn cells_of(line: &Line) -> Vec<String> {
    match line {
        Line::Row { cells, .. } => cells.clone(),
        Line::Text(text) if text.trim().is_empty() => Vec::new(),
        Line::Text(text) => text.split('\t').map(|c| c.trim().to_string()).collect(),
    }
}

/// Now and then a line break at a word of a long cell.
fn line_break(cell: &str, sheet: &Sheet, dice: &mut Dice) -> String {
    let words: Vec<&str> = cell.split(' ').collect();
    if !sheet.line_breaks || cell.contains('\n') || words.len() < 8 || !dice.chance(0.25) {
        return cell.to_string();
    }
    let at = dice.between(3, words.len() - 3);
    format!("{}\n{}", words[..at].join(" "), words[at..].join(" "))
}

/// One cell as written: quoted when it must be (or always, with `quote_all`).
fn field(cell: &str, sheet: &Sheet) -> String {
    let must = cell.contains(sheet.delimiter) || cell.contains('"') || cell.contains('\n');
    if must || (sheet.quote_all && !cell.is_empty()) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(delimiter: char, quote_all: bool) -> Sheet {
        Sheet {
            delimiter,
            quote_all,
            pad: true,
            line_breaks: false,
        }
    }

    #[test]
    fn cells_are_quoted_when_they_must_be() {
        let s = sheet(',', false);
        assert_eq!(field("MASRUHIN, S.Sos", &s), "\"MASRUHIN, S.Sos\"");
        assert_eq!(field("a \"b\"", &s), "\"a \"\"b\"\"\"");
        assert_eq!(field("- A\n- B", &s), "\"- A\n- B\"");
        assert_eq!(field("100 %", &s), "100 %");
        assert_eq!(field("100 %", &sheet(';', true)), "\"100 %\"");
        assert_eq!(field("", &sheet(';', true)), "");
    }

    #[test]
    fn rows_are_padded_to_the_sheet_width() {
        let lines = vec![
            Line::Text("INDIKATOR KINERJA INDIVIDU".to_string()),
            Line::Text("Jabatan\t:\tCamat".to_string()),
            Line::Text(String::new()),
        ];
        let mut dice = Dice::new(crate::family::Family::Spreadsheet, 0);
        let out: Vec<String> = rows(lines, &sheet(';', false), &mut dice)
            .iter()
            .map(Line::render)
            .collect();
        assert_eq!(
            out,
            ["INDIKATOR KINERJA INDIVIDU;;", "Jabatan;:;Camat", ";;"]
        );
    }
}
