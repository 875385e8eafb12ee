//! Space-aligned tables, as `pdftotext -layout` writes them, rewritten as tab-separated lines
//! before the line model is built, so the one table grammar reads them too.
//!
//! A table is found by its header row: segments separated by two or more spaces that name
//! known columns (the header may wrap over a few lines). Column boundaries are then placed in
//! the gaps that the rows share: between two header starts, at the position the fewest words
//! cross. Each physical line's words fall into columns by where they start, and physical lines
//! are grouped into logical rows (a long cell wraps inside its column over several lines):
//! a new row starts at a row number, or where a column that had ended in this row starts
//! again (cells are top-aligned, so a wrapped cell never has a hole).
//!
//! The rewritten row stands on its first physical line; the other lines it used become empty,
//! so line numbers still point at the source.

use crate::normalize::is_furniture_text;
use crate::signature::is_signature_anchor;
use crate::vocab::{column, fold, is_header_words, is_iki_title, Column};

/// Lines longer than this are never table lines (hostile input stays linear).
const MAX_LINE_CHARS: usize = 2_000;
/// Consecutive blank lines that end a table.
const MAX_BLANK_RUN: usize = 3;

/// A word of a physical line with its character span.
#[derive(Debug, Clone)]
struct Word<'a> {
    start: usize,
    end: usize,
    text: &'a str,
}

fn words(line: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    // (character column, byte offset) where the current word started.
    let mut current: Option<(usize, usize)> = None;
    for (x, (byte, c)) in line.char_indices().enumerate() {
        match (c.is_whitespace(), current) {
            (true, Some((start, from))) => {
                out.push(Word {
                    start,
                    end: x,
                    text: &line[from..byte],
                });
                current = None;
            }
            (false, None) => current = Some((x, byte)),
            _ => {}
        }
    }
    if let Some((start, from)) = current {
        out.push(Word {
            start,
            end: start + line[from..].chars().count(),
            text: &line[from..],
        });
    }
    out
}

/// Runs of words separated by at least two spaces: (start, end, text).
fn segments(line: &str) -> Vec<(usize, usize, String)> {
    let mut out: Vec<(usize, usize, String)> = Vec::new();
    for w in words(line) {
        match out.last_mut() {
            Some(seg) if w.start <= seg.1 + 1 => {
                seg.1 = w.end;
                seg.2.push(' ');
                seg.2.push_str(w.text);
            }
            _ => out.push((w.start, w.end, w.text.to_string())),
        }
    }
    out
}

/// A header column: where its name starts and the name itself.
#[derive(Debug, Clone)]
struct HeaderCol {
    start: usize,
    name: String,
}

/// Header columns of a physical line, when it is a table header: every segment names a
/// column, at least two do, one of them the indicator (or sasaran and rumus).
fn header_cols(line: &str) -> Option<Vec<HeaderCol>> {
    if line.contains('\t') || line.chars().count() > MAX_LINE_CHARS || !line.contains("  ") {
        return None;
    }
    let segs = segments(line);
    if segs.len() < 2 {
        return None;
    }
    let mut cols: Vec<Option<Column>> = Vec::with_capacity(segs.len());
    for seg in &segs {
        cols.push(Some(column(&fold(&seg.2))?));
    }
    let has = |c: Column| cols.contains(&Some(c));
    if !(has(Column::Indikator) || (has(Column::Sasaran) && has(Column::Rumus))) {
        return None;
    }
    Some(
        segs.into_iter()
            .map(|(start, _, name)| HeaderCol { start, name })
            .collect(),
    )
}

fn is_header_tail(line: &str) -> bool {
    is_header_words(line)
}

/// Rewrite every space-aligned table of `text` as tab-separated lines.
pub fn rewrite_tables(text: &str) -> String {
    if !text.contains("  ") {
        return text.to_string();
    }
    let raw: Vec<&str> = text.split('\n').collect();
    let mut out: Vec<String> = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match header_cols(raw[i]) {
            Some(cols) => {
                let (lines, next) = rewrite_table(&raw, i, cols);
                out.extend(lines);
                i = next;
            }
            None => {
                out.push(raw[i].to_string());
                i += 1;
            }
        }
    }
    out.join("\n")
}

/// Whether a physical line ends the table: a signature line, a title, a form label.
fn ends_table(line: &str) -> bool {
    if line.contains('\t') {
        return true;
    }
    let collapsed = line.split_whitespace().collect::<Vec<_>>().join(" ");
    is_signature_anchor(&collapsed)
        || is_iki_title(&fold(&collapsed))
        || (collapsed.contains(':') && crate::header::label_line(&collapsed).is_some())
}

/// Rewrite the table whose header starts at `at`; returns its output lines and the index of
/// the first line after it.
fn rewrite_table(raw: &[&str], at: usize, mut cols: Vec<HeaderCol>) -> (Vec<String>, usize) {
    // Header lines: the header row and the tails of names that wrapped.
    let mut header_end = at + 1;
    while header_end < raw.len() && header_end <= at + 2 && is_header_tail(raw[header_end]) {
        for w in words(raw[header_end]) {
            let col = nearest_col(&cols, w.start);
            cols[col].name.push(' ');
            cols[col].name.push_str(w.text);
        }
        header_end += 1;
    }
    // The table's physical lines.
    let mut end = header_end;
    let mut blanks = 0;
    while end < raw.len() {
        let line = raw[end];
        let blank = line.trim().is_empty() || is_furniture_text(line.trim());
        if blank {
            blanks += 1;
            if blanks > MAX_BLANK_RUN {
                break;
            }
        } else {
            if ends_table(line) || line.chars().count() > MAX_LINE_CHARS {
                break;
            }
            blanks = 0;
        }
        end += 1;
    }
    // Leave trailing blank lines outside the table.
    while end > header_end && raw[end - 1].trim().is_empty() {
        end -= 1;
    }
    let body: Vec<Vec<Word<'_>>> = raw[header_end..end]
        .iter()
        .map(|l| {
            if is_furniture_text(l.trim()) || header_cols(l).is_some() {
                Vec::new()
            } else {
                words(l)
            }
        })
        .collect();
    let bounds = boundaries(&cols, &body);
    let mut out: Vec<String> = Vec::with_capacity(end - at);
    out.push(
        cols.iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join("\t"),
    );
    out.extend((at + 1..header_end).map(|_| String::new()));
    let no_col = cols
        .iter()
        .position(|c| column(&fold(&c.name)) == Some(Column::No));
    let rows = group_rows(&body, &bounds, no_col);
    let mut by_line: Vec<String> = vec![String::new(); body.len()];
    for row in rows {
        by_line[row.first] = row.cells.join("\t");
    }
    for (k, line) in by_line.into_iter().enumerate() {
        // A header repeated after a page break stays a header line.
        let raw_line = raw[header_end + k];
        if header_cols(raw_line).is_some() {
            out.push(
                segments(raw_line)
                    .into_iter()
                    .map(|s| s.2)
                    .collect::<Vec<_>>()
                    .join("\t"),
            );
        } else {
            out.push(line);
        }
    }
    (out, end)
}

fn nearest_col(cols: &[HeaderCol], x: usize) -> usize {
    cols.iter()
        .enumerate()
        .min_by_key(|(_, c)| c.start.abs_diff(x))
        .map_or(0, |(i, _)| i)
}

/// Left edge of each column: column 0 starts at 0; the boundary before column c lies between
/// the starts of header c-1 and c, where the fewest body words cross (the rightmost such).
fn boundaries(cols: &[HeaderCol], body: &[Vec<Word<'_>>]) -> Vec<usize> {
    // crossing[x]: how many body words have start < x < end (a difference array keeps this
    // linear in the number of words).
    let width = body.iter().flatten().map(|w| w.end).max().unwrap_or(0) + 2;
    let mut crossing = vec![0i64; width + 1];
    for w in body.iter().flatten() {
        crossing[w.start + 1] += 1;
        crossing[w.end] -= 1;
    }
    for x in 1..crossing.len() {
        crossing[x] += crossing[x - 1];
    }
    let at = |x: usize| crossing.get(x).copied().unwrap_or(0);
    let mut bounds = vec![0];
    for c in 1..cols.len() {
        let lo = bounds[c - 1].max(cols[c - 1].start) + 1;
        let hi = cols[c].start.max(lo);
        let best = (lo..=hi).rev().min_by_key(|&x| at(x)).unwrap_or(hi);
        bounds.push(best);
    }
    bounds
}

/// A logical table row: the first physical line (index into the body) and its cells.
struct Row {
    first: usize,
    cells: Vec<String>,
}

fn cells_of(words: &[Word<'_>], bounds: &[usize]) -> Vec<String> {
    let mut cells = vec![String::new(); bounds.len()];
    for w in words {
        let col = bounds.iter().rposition(|&b| b <= w.start).unwrap_or(0);
        if !cells[col].is_empty() {
            cells[col].push(' ');
        }
        cells[col].push_str(w.text);
    }
    cells
}

fn is_row_number(cell: &str) -> bool {
    let t = cell.trim_end_matches(['.', ')']);
    !t.is_empty() && t.len() <= 4 && t.chars().all(|c| c.is_ascii_digit())
}

/// Group physical lines into logical rows, by the first rule that fits the table:
/// 1. rows separated by blank lines: each blank-delimited block is a row (when no block holds
///    two row numbers);
/// 2. middle-aligned rows (text above the first row number): each column's text is split
///    around the row numbers, which stand at the vertical middle of their rows;
/// 3. top-aligned rows: a row starts at a row number or where a column that had ended in this
///    row starts again (cells are top-aligned, so a wrapped cell never has a hole).
fn group_rows(body: &[Vec<Word<'_>>], bounds: &[usize], no_col: Option<usize>) -> Vec<Row> {
    let cells: Vec<Option<Vec<String>>> = body
        .iter()
        .map(|ws| (!ws.is_empty()).then(|| cells_of(ws, bounds)))
        .collect();
    let numbered: Vec<bool> = cells
        .iter()
        .map(|c| {
            c.as_ref()
                .zip(no_col)
                .is_some_and(|(c, n)| is_row_number(&c[n]))
        })
        .collect();
    if let Some(rows) = rows_by_blank_lines(&cells, &numbered, no_col.is_some()) {
        return rows;
    }
    let first_number = numbered.iter().position(|&n| n);
    let text_above = first_number.is_some_and(|f| cells[..f].iter().any(Option::is_some));
    if text_above {
        return rows_by_centers(&cells, &numbered, bounds.len());
    }
    rows_top_aligned(&cells, &numbered, bounds.len())
}

fn append(target: &mut [String], extra: &[String]) {
    for (t, e) in target.iter_mut().zip(extra) {
        if e.is_empty() {
            continue;
        }
        if !t.is_empty() {
            t.push(' ');
        }
        t.push_str(e);
    }
}

/// Rule 1: blank-delimited blocks, when there are several and none holds two row numbers.
fn rows_by_blank_lines(
    cells: &[Option<Vec<String>>],
    numbered: &[bool],
    has_no: bool,
) -> Option<Vec<Row>> {
    let mut blocks: Vec<(usize, usize)> = Vec::new();
    let mut start: Option<usize> = None;
    for (k, c) in cells.iter().enumerate() {
        match (c.is_some(), start) {
            (true, None) => start = Some(k),
            (false, Some(s)) => {
                blocks.push((s, k));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        blocks.push((s, cells.len()));
    }
    if blocks.len() < 2 {
        return None;
    }
    let numbers = |&(s, e): &(usize, usize)| numbered[s..e].iter().filter(|&&n| n).count();
    if blocks.iter().any(|b| numbers(b) > 1) {
        return None;
    }
    if has_no && blocks.iter().all(|b| numbers(b) == 0) {
        return None;
    }
    let rows = blocks
        .iter()
        .map(|&(s, e)| {
            let mut row = cells[s].clone().unwrap_or_default();
            for c in cells[s + 1..e].iter().flatten() {
                append(&mut row, c);
            }
            Row {
                first: s,
                cells: row,
            }
        })
        .collect();
    Some(rows)
}

/// Rule 2: middle-aligned rows. Each column's runs of filled lines are cut into blocks, one
/// per row number inside the run, each block centred on its row number.
fn rows_by_centers(cells: &[Option<Vec<String>>], numbered: &[bool], ncols: usize) -> Vec<Row> {
    let centers: Vec<usize> = (0..cells.len()).filter(|&k| numbered[k]).collect();
    let mut rows: Vec<Row> = centers
        .iter()
        .map(|&c| Row {
            first: c,
            cells: vec![String::new(); ncols],
        })
        .collect();
    for col in 0..ncols {
        let filled = |k: usize| cells[k].as_ref().is_some_and(|c| !c[col].is_empty());
        let mut k = 0;
        while k < cells.len() {
            if !filled(k) {
                k += 1;
                continue;
            }
            let start = k;
            while k < cells.len() && filled(k) {
                k += 1;
            }
            for (row, (s, e)) in split_run(start, k - 1, &centers) {
                rows[row].first = rows[row].first.min(s);
                for c in cells[s..=e].iter().flatten() {
                    let target = &mut rows[row].cells[col];
                    if !target.is_empty() {
                        target.push(' ');
                    }
                    target.push_str(&c[col]);
                }
            }
        }
    }
    rows
}

/// Cut the run of lines `[s, e]` into blocks centred on the row numbers inside it; a run with
/// no row number goes whole to the nearest one. Returns (row index, block).
fn split_run(s: usize, e: usize, centers: &[usize]) -> Vec<(usize, (usize, usize))> {
    let inside: Vec<usize> = (0..centers.len())
        .filter(|&i| (s..=e).contains(&centers[i]))
        .collect();
    if inside.is_empty() {
        let mid = (s + e) / 2;
        let nearest = (0..centers.len()).min_by_key(|&i| centers[i].abs_diff(mid));
        return nearest.map(|i| vec![(i, (s, e))]).unwrap_or_default();
    }
    let mut out = Vec::new();
    let mut block_start = s;
    for (j, &i) in inside.iter().enumerate() {
        let block_end = match inside.get(j + 1) {
            Some(&next) => (2 * centers[i])
                .saturating_sub(block_start)
                .clamp(centers[i], centers[next] - 1),
            None => e,
        };
        out.push((i, (block_start, block_end)));
        block_start = block_end + 1;
    }
    out
}

/// Rule 3: top-aligned rows.
fn rows_top_aligned(cells: &[Option<Vec<String>>], numbered: &[bool], ncols: usize) -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::new();
    let mut prev_line: Vec<bool> = vec![false; ncols];
    let mut row_filled: Vec<bool> = vec![false; ncols];
    for (k, line) in cells.iter().enumerate() {
        let Some(line) = line else { continue };
        let filled: Vec<bool> = line.iter().map(|c| !c.is_empty()).collect();
        let restarted = filled
            .iter()
            .enumerate()
            .any(|(c, &f)| f && !prev_line[c] && row_filled[c]);
        match rows.last_mut() {
            Some(row) if !numbered[k] && !restarted => {
                append(&mut row.cells, line);
                for (rf, f) in row_filled.iter_mut().zip(&filled) {
                    *rf |= f;
                }
            }
            _ => {
                rows.push(Row {
                    first: k,
                    cells: line.clone(),
                });
                row_filled = filled.clone();
            }
        }
        prev_line = filled;
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = "\
No  Sasaran              Indikator Kinerja     Rumus/                 Target
                         Individu              Formula
1.  Meningkatnya         Persentase            Jumlah desa dibagi     100 %
    Fasilitasi Desa      fasilitasi desa       jumlah desa x 100 %
                         Persentase APBDes     Jumlah APBDes dibagi   90 %
                                               jumlah desa
2.  Terlaksananya        Jumlah laporan        Jumlah laporan         12 laporan
    Evaluasi

Lumajang, 02 Februari 2023";

    #[test]
    fn wrapped_rows_become_tab_lines() {
        let out = rewrite_tables(TABLE);
        let lines: Vec<&str> = out.split('\n').collect();
        assert_eq!(lines.len(), TABLE.split('\n').count());
        assert_eq!(
            lines[0],
            "No\tSasaran\tIndikator Kinerja Individu\tRumus/ Formula\tTarget"
        );
        assert_eq!(lines[1], "");
        assert_eq!(
            lines[2],
            "1.\tMeningkatnya Fasilitasi Desa\tPersentase fasilitasi desa\tJumlah desa dibagi jumlah desa x 100 %\t100 %"
        );
        assert_eq!(lines[3], "");
        assert_eq!(
            lines[4],
            "\t\tPersentase APBDes\tJumlah APBDes dibagi jumlah desa\t90 %"
        );
        assert_eq!(
            lines[6],
            "2.\tTerlaksananya Evaluasi\tJumlah laporan\tJumlah laporan\t12 laporan"
        );
        assert_eq!(lines[9], "Lumajang, 02 Februari 2023");
    }

    #[test]
    fn middle_aligned_rows() {
        let table = "\
NO  SASARAN        INDIKATOR       RUMUS
                                   Jumlah A
    Meningkatnya   Persentase      dibagi
1   Fasilitasi     Fasilitasi      Jumlah B
    Desa           Desa            x 100 %
                                   yang
                   Persentase      Jumlah C
2   Terlaksananya  Laporan         dibagi D
                                   tepat waktu
Lumajang, 02 Februari 2023";
        let out = rewrite_tables(table);
        let rows: Vec<&str> = out.split('\n').filter(|l| l.contains('\t')).collect();
        assert_eq!(rows.len(), 3, "{out}");
        assert_eq!(rows[1], "1\tMeningkatnya Fasilitasi Desa\tPersentase Fasilitasi Desa\tJumlah A dibagi Jumlah B x 100 % yang");
        assert_eq!(
            rows[2],
            "2\tTerlaksananya\tPersentase Laporan\tJumlah C dibagi D tepat waktu"
        );
    }

    #[test]
    fn blank_separated_rows() {
        let table = "\
NO  SASARAN        INDIKATOR       RUMUS

    Meningkatnya   Persentase      Jumlah A
1   Fasilitasi     Fasilitasi      dibagi B

2   Terlaksananya  Laporan         Jumlah C
                   Tahunan

Lumajang, 02 Februari 2023";
        let out = rewrite_tables(table);
        let rows: Vec<&str> = out.split('\n').filter(|l| l.contains('\t')).collect();
        assert_eq!(
            rows[1],
            "1\tMeningkatnya Fasilitasi\tPersentase Fasilitasi\tJumlah A dibagi B"
        );
        assert_eq!(rows[2], "2\tTerlaksananya\tLaporan Tahunan\tJumlah C");
    }

    #[test]
    fn text_without_tables_is_unchanged() {
        let text = "Jabatan     : Kepala Seksi\nTugas Pokok : a.  menyusun";
        assert_eq!(rewrite_tables(text), text);
    }
}
