//! Spreadsheet exports (CSV, semicolon-separated, TSV with quotes): every line of the form is
//! a record of fields, quoted fields may hold the delimiter and line breaks.
//!
//! A text is read as such an export when one of its lines, split by a candidate delimiter,
//! is a table header: three or more fields, each naming a column of the indicator table (a
//! short garbled name keeps a column's place). That is a strong sign (prose does not list
//! column names between commas) and cheap: only short lines holding the delimiter twice are
//! split. The records then become source lines: a record of several fields is a row of given
//! cells (consecutive such records form one table), a record of one field is a line of text.

use std::borrow::Cow;

use crate::input::{split_lines, SourceLine};
use crate::vocab::{self, Column};

/// Delimiters a spreadsheet export may use, in the order they are tried.
const DELIMITERS: [char; 3] = [',', ';', '\t'];

/// Longest header line tried, in bytes.
const MAX_HEADER_BYTES: usize = 300;

/// A quoted field may run over this many lines at most; a quote left open longer is a
/// literal quote.
const MAX_FIELD_LINES: usize = 50;

/// The source lines of `text` when it is a delimited export; `None` otherwise.
pub fn source_lines(text: &str) -> Option<Vec<SourceLine<'_>>> {
    let delimiter = detect(text)?;
    Some(records(text, delimiter))
}

/// The delimiter of the export, if `text` is one.
fn detect(text: &str) -> Option<char> {
    for d in DELIMITERS {
        if !text.contains(d) {
            continue;
        }
        // Tab-separated text without quotes is read as tab cells already.
        if d == '\t' && !text.contains("\"\t") && !text.contains("\t\"") {
            continue;
        }
        let header = split_lines(text)
            .take(5_000)
            .filter(|l| l.len() <= MAX_HEADER_BYTES && count_ascii(l, d) >= 2)
            .any(|l| names_columns(&fields_of_line(l, d)));
        if header {
            return Some(d);
        }
    }
    None
}

/// How many times the ASCII delimiter `d` occurs in `line` (a byte count: no decoding).
fn count_ascii(line: &str, d: char) -> usize {
    debug_assert!(d.is_ascii());
    line.bytes().filter(|&b| char::from(b) == d).count()
}

/// Whether fields name the columns of an indicator table.
fn names_columns(fields: &[String]) -> bool {
    let filled: Vec<&String> = fields.iter().filter(|f| !f.trim().is_empty()).collect();
    if filled.len() < 3 {
        return false;
    }
    let mut known = Vec::new();
    for f in filled {
        let folded = vocab::fold(f);
        match vocab::column(&folded) {
            Some(c) if c != Column::Other => known.push(c),
            Some(_) => {}
            None if folded.len() <= 3 => {}
            None => return false,
        }
    }
    known.len() >= 3
        && (known.contains(&Column::Indikator)
            || (known.contains(&Column::Sasaran) && known.contains(&Column::Rumus)))
}

/// The fields of one line, quotes honoured within the line.
fn fields_of_line(line: &str, d: char) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    let mut at_start = true;
    while let Some(c) = chars.next() {
        match c {
            '"' if at_start => quoted = true,
            '"' if quoted => {
                if chars.peek() == Some(&'"') {
                    field.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            }
            c if c == d && !quoted => {
                out.push(std::mem::take(&mut field));
                at_start = true;
                continue;
            }
            c => field.push(c),
        }
        at_start = false;
    }
    out.push(field);
    out
}

/// Every record as a source line: several fields are a row of given cells (joined by tabs),
/// one field a line of text.
fn records(text: &str, d: char) -> Vec<SourceLine<'_>> {
    let lines: Vec<&str> = split_lines(text).collect();
    let mut out = Vec::with_capacity(lines.len());
    let mut table = 0u32;
    let mut in_table = false;
    let mut i = 0;
    while i < lines.len() {
        let (fields, used) = record(&lines[i..], d);
        let no = i as u32 + 1;
        let filled = fields.iter().filter(|f| !f.trim().is_empty()).count();
        let first_only = filled <= 1 && fields.iter().skip(1).all(|f| f.trim().is_empty());
        if first_only {
            in_table = false;
            out.push(SourceLine {
                no,
                text: Cow::Owned(one_line(fields.first().map_or("", String::as_str))),
                given: None,
                doubtful: 0,
            });
        } else {
            if !in_table {
                table += 1;
                in_table = true;
            }
            let cells: Vec<String> = fields.iter().map(|f| one_line(f)).collect();
            out.push(SourceLine {
                no,
                text: Cow::Owned(cells.join("\t")),
                given: Some(table),
                doubtful: 0,
            });
        }
        i += used.max(1);
    }
    out
}

/// One record starting at `lines[0]`: its fields and how many lines it took (a quoted field
/// may hold line breaks).
fn record(lines: &[&str], d: char) -> (Vec<String>, usize) {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut at_start = true;
    for (k, line) in lines.iter().enumerate().take(MAX_FIELD_LINES) {
        if k > 0 {
            field.push('\n');
        }
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '"' if at_start => quoted = true,
                '"' if quoted => {
                    if chars.peek() == Some(&'"') {
                        field.push('"');
                        chars.next();
                    } else {
                        quoted = false;
                    }
                }
                c if c == d && !quoted => {
                    fields.push(std::mem::take(&mut field));
                    at_start = true;
                    continue;
                }
                c => field.push(c),
            }
            at_start = false;
        }
        if !quoted {
            fields.push(field);
            return (fields, k + 1);
        }
    }
    // A quote never closed: the first line as it stands, its quotes literal.
    (fields_of_line(&lines[0].replace('"', "\u{201d}"), d), 1)
}

/// A field on one line: line breaks and tabs become spaces.
fn one_line(field: &str) -> String {
    field
        .chars()
        .map(|c| {
            if matches!(c, '\n' | '\r' | '\t') {
                ' '
            } else {
                c
            }
        })
        .collect::<String>()
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_quotes_and_line_breaks() {
        let text = "INDIKATOR KINERJA INDIVIDU\nJabatan,:,Camat\nNo.,Sasaran,Indikator Kinerja,Rumus\n1,\"Meningkatnya A, B\",\"Persentase\nA\",\"A / B x 100%\"\nLumajang, 2 Mei 2024\n";
        let lines = source_lines(text).expect("a CSV export");
        let got: Vec<(u32, &str, bool)> = lines
            .iter()
            .map(|l| (l.no, l.text.as_ref(), l.given.is_some()))
            .collect();
        assert_eq!(
            got,
            [
                (1, "INDIKATOR KINERJA INDIVIDU", false),
                (2, "Jabatan\t:\tCamat", true),
                (3, "No.\tSasaran\tIndikator Kinerja\tRumus", true),
                (4, "1\tMeningkatnya A, B\tPersentase A\tA / B x 100%", true),
                // "Lumajang" and " 2 Mei 2024" are two fields of a comma export: a careful
                // reader rejoins them; the line keeps both as cells.
                (6, "Lumajang\t2 Mei 2024", true),
                (7, "", false),
            ]
        );
    }

    #[test]
    fn prose_with_commas_is_not_an_export() {
        let text = "Jabatan : Camat\nTugas : merencanakan, melaksanakan, dan mengendalikan\nNo\tSasaran\tIndikator\n";
        assert!(source_lines(text).is_none());
    }
}
