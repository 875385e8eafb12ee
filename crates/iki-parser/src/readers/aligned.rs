//! Space-aligned tables, as `pdftotext -layout` writes them: words fall into columns by where
//! they stand, and a row's cells wrap over several physical lines.
//!
//! Column boundaries are placed in the gaps the rows share: between two header starts, at the
//! position the fewest words cross. Physical lines are grouped into rows by the first rule
//! that fits the table:
//! 1. rows separated by blank lines: each blank-delimited block is a row (when no block holds
//!    two row numbers);
//! 2. middle-aligned rows (text above the first row number): each column's text is split
//!    around the row numbers, which stand at the vertical middle of their rows;
//! 3. top-aligned rows: a row starts at a row number, or where a column that had ended in this
//!    row starts again (cells are top-aligned, so a wrapped cell never has a hole).

use crate::classify::{fact, HeaderFact, View};
use crate::model::{Warning, WarningCode};
use crate::readers::{ends_region, Header, Proposal, Row, Segmentation};
use crate::scan::{Delim, Word};
use crate::vocab::Column;

/// Consecutive blank lines that end a table.
const MAX_BLANK_RUN: usize = 3;

/// Read the space-aligned table whose header is line `at`.
pub fn read(view: &View<'_>, at: usize, h: &HeaderFact) -> Option<Proposal> {
    let columns: Vec<Option<Column>> = h.columns.iter().map(|c| c.column).collect();
    let xs: Vec<u16> = h.columns.iter().map(|c| c.x).collect();
    // Header lines: the header row and the tails of names that wrapped (two at most).
    let mut body = at + 1;
    while body < view.len() && body <= at + 2 && view.facts(body).is(fact::HEADER_WORDS) {
        body += 1;
    }
    // The table's physical lines.
    let mut end = body;
    let mut blanks = 0;
    let mut next_part: Option<usize> = None;
    while end < view.len() {
        if view.is_blank(end) {
            blanks += 1;
            if blanks > MAX_BLANK_RUN {
                // A page break inside the table: page furniture among the blank lines, then
                // the rows go on, under the header repeated (laid out anew on its page) or not.
                match continues_after_break(view, end + 1 - blanks, h) {
                    Some(Continuation::Rows(j)) => {
                        blanks = 0;
                        end = j;
                        continue;
                    }
                    Some(Continuation::Header(j)) => next_part = Some(j),
                    None => {}
                }
                break;
            }
        } else {
            if view.line(end).delim != Delim::Gap || ends_region(view, end) {
                break;
            }
            blanks = 0;
        }
        end += 1;
    }
    while end > body && view.is_blank(end - 1) {
        end -= 1;
    }
    let scan = view.scan;
    let lines: Vec<&[Word]> = (body..end)
        .map(|i| {
            let repeated_header = view.header(i).is_some_and(|h| h.by_cells);
            if view.is_blank(i) || repeated_header {
                &[][..]
            } else {
                scan.words_of(view.line(i))
            }
        })
        .collect();
    let bounds = boundaries(&xs, &lines);
    let no_col = columns.iter().position(|c| *c == Some(Column::No));
    let cells: Vec<Option<Vec<String>>> = lines
        .iter()
        .map(|ws| (!ws.is_empty()).then(|| cells_of(view, ws, &bounds)))
        .collect();
    let numbered: Vec<bool> = cells
        .iter()
        .map(|c| {
            c.as_ref()
                .zip(no_col)
                .is_some_and(|(c, n)| crate::classify::is_row_number(&c[n]))
        })
        .collect();
    let mut rows = group_rows(&cells, &numbered, no_col.is_some(), &columns);
    for row in &mut rows {
        row.first += body;
    }
    // The part after a page break with its own header: read on its own columns, its rows
    // joined to these.
    let mut warnings = Vec::new();
    if let Some(part) = next_part.and_then(|j| read(view, j, view.header(j)?)) {
        warnings.push(Warning::new(
            WarningCode::PageFurniture,
            "the table goes on after a page break under its header repeated",
            Some(view.no(part.header.at)),
        ));
        rows.extend(part.rows);
        warnings.extend(part.warnings);
        end = part.end;
    }
    let header = Header {
        columns,
        xs,
        at,
        body,
    };
    Some(Proposal {
        segmentation: Segmentation::Aligned,
        header,
        rows,
        end,
        warnings,
        unread: 0,
        margin: None,
        misshapen: 0.0,
    })
}

/// How a table goes on after a page break.
enum Continuation {
    /// Its header repeated at this line, with the same columns.
    Header(usize),
    /// A numbered row at this line, laid on the same columns.
    Rows(usize),
}

/// Where a table goes on after the run of blank lines from `from` on, if the run holds page
/// furniture (a page break) and the table does go on.
fn continues_after_break(view: &View<'_>, from: usize, h: &HeaderFact) -> Option<Continuation> {
    let j = (from..view.len().min(from + 16)).find(|&j| !view.is_blank(j))?;
    let page_break = (from..j).any(|k| view.facts(k).is(fact::FURNITURE));
    if !page_break || view.line(j).delim != Delim::Gap || ends_region(view, j) {
        return None;
    }
    if let Some(again) = view.header(j) {
        let same = again.same_columns(h);
        return same.then_some(Continuation::Header(j));
    }
    view.facts(j)
        .is(fact::ROW_NUMBER)
        .then_some(Continuation::Rows(j))
}

/// Left edge of each column: column 0 starts at 0; the boundary before column c lies between
/// the starts of header c-1 and c, where the fewest body words cross (the rightmost such).
fn boundaries(xs: &[u16], body: &[&[Word]]) -> Vec<usize> {
    // crossing[x]: how many body words have start < x < end (a difference array keeps this
    // linear in the number of words).
    let width = body
        .iter()
        .flat_map(|ws| ws.iter())
        .map(|w| w.x_end as usize)
        .max()
        .unwrap_or(0)
        + 2;
    let mut crossing = vec![0i64; width + 1];
    for w in body.iter().flat_map(|ws| ws.iter()) {
        crossing[w.x as usize + 1] += 1;
        crossing[w.x_end as usize] -= 1;
    }
    for x in 1..crossing.len() {
        crossing[x] += crossing[x - 1];
    }
    let at = |x: usize| crossing.get(x).copied().unwrap_or(0);
    let mut bounds = vec![0];
    for c in 1..xs.len() {
        let lo = bounds[c - 1].max(xs[c - 1] as usize) + 1;
        let hi = (xs[c] as usize).max(lo);
        let best = (lo..=hi).rev().min_by_key(|&x| at(x)).unwrap_or(hi);
        bounds.push(best);
    }
    bounds
}

fn cells_of(view: &View<'_>, words: &[Word], bounds: &[usize]) -> Vec<String> {
    let mut cells = vec![String::new(); bounds.len()];
    for w in words {
        let col = bounds.iter().rposition(|&b| b <= w.x as usize).unwrap_or(0);
        if !cells[col].is_empty() {
            cells[col].push(' ');
        }
        cells[col].push_str(view.scan.word(w));
    }
    cells
}

/// Group physical lines into rows by the first rule that fits (see the module docs).
fn group_rows(
    cells: &[Option<Vec<String>>],
    numbered: &[bool],
    has_no: bool,
    columns: &[Option<Column>],
) -> Vec<Row> {
    let ncols = columns.len();
    if let Some(rows) = rows_by_blank_lines(cells, numbered, has_no) {
        return rows;
    }
    let first_number = numbered.iter().position(|&n| n);
    let text_above = first_number.is_some_and(|f| cells[..f].iter().any(Option::is_some));
    if text_above {
        return rows_by_centers(cells, numbered, ncols);
    }
    rows_top_aligned(cells, numbered, columns)
}

/// Append a physical line's cells to a row's; the lines of a cell stay apart (`\n`) until
/// the row becomes an indicator (a rumus over lines may be a fraction).
fn append(target: &mut [String], extra: &[String]) {
    for (t, e) in target.iter_mut().zip(extra) {
        if e.is_empty() {
            continue;
        }
        if !t.is_empty() {
            t.push('\n');
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
            let mut cells_of_row = cells[s].clone().unwrap_or_default();
            for c in cells[s + 1..e].iter().flatten() {
                append(&mut cells_of_row, c);
            }
            let mut row = Row::new(cells_of_row, s);
            row.lines = (e - s) as u16;
            row
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
        .map(|&c| Row::new(vec![String::new(); ncols], c))
        .collect();
    let mut last: Vec<usize> = centers.clone();
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
                last[row] = last[row].max(e);
                for c in cells[s..=e].iter().flatten() {
                    let target = &mut rows[row].cells[col];
                    if !target.is_empty() {
                        target.push('\n');
                    }
                    target.push_str(&c[col]);
                }
            }
        }
    }
    for (r, row) in rows.iter_mut().enumerate() {
        let lines = (row.first..=last[r])
            .filter(|&k| cells[k].is_some())
            .count();
        row.lines = lines.max(1) as u16;
        let blank_after = cells.get(last[r] + 1).is_some_and(Option::is_none);
        // Told apart only by where their numbers stand: the number below the first line,
        // no blank line after the row.
        row.by_numbers = row.lines > 1 && centers[r] > row.first && !blank_after;
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
fn rows_top_aligned(
    cells: &[Option<Vec<String>>],
    numbered: &[bool],
    columns: &[Option<Column>],
) -> Vec<Row> {
    let ncols = columns.len();
    let col = |c: Column| columns.iter().position(|x| *x == Some(c));
    // Without row numbers, rows whose cells fill every line follow each other with no hole
    // to tell them apart; a line whose sasaran and indicator both open a cell of their kind
    // ("Terpenuhinya ...", "Jumlah ..."), after lines that did not stop mid-phrase, starts one.
    let openers = (!numbered.iter().any(|&n| n))
        .then(|| col(Column::Sasaran).zip(col(Column::Indikator)))
        .flatten();
    let opens_row = |line: &[String], row: &Row| {
        openers.is_some_and(|(s, i)| {
            let after_whole = |c: usize| {
                let cell = &row.cells[c];
                !cell.trim().is_empty() && !crate::vocab::ends_mid_phrase(cell)
            };
            crate::vocab::opens_sasaran(line[s].trim())
                && crate::vocab::opens_indicator(line[i].trim())
                && after_whole(s)
                && after_whole(i)
        })
    };
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
            Some(row) if !numbered[k] && !restarted && !opens_row(line, row) => {
                append(&mut row.cells, line);
                row.lines += 1;
                for (rf, f) in row_filled.iter_mut().zip(&filled) {
                    *rf |= f;
                }
            }
            _ => {
                rows.push(Row::new(line.clone(), k));
                row_filled = filled.clone();
            }
        }
        prev_line = filled;
    }
    rows
}

#[cfg(test)]
mod tests {
    use crate::classify::{classify, View};
    use crate::input::from_text;
    use crate::readers::read_table;
    use crate::scan::Scan;

    fn rows(text: &str) -> Vec<Vec<String>> {
        let scan = Scan::new(&from_text(text));
        let c = classify(&scan);
        let view = View { scan: &scan, c: &c };
        let read = read_table(&view, 0).expect("a table");
        // The lines of a cell stay apart until the row becomes an indicator.
        read.proposal
            .rows
            .into_iter()
            .map(|r| r.cells.iter().map(|c| c.replace('\n', " ")).collect())
            .collect()
    }

    /// A table over a page break: blank lines, the browser's print footer and header, then
    /// the header again laid out anew (its columns shifted) or the next numbered row.
    #[test]
    fn rows_go_on_after_a_page_break() {
        let first = "  No   Sasaran                 Indikator Kinerja          Sumber Data\n\
                     \x20 1.   Meningkatnya layanan    Persentase layanan         Kecamatan\n\
                     \n\n\n\n\
                     file:///tmp/iki.html                                       3/9\n\
                     11/26/26, 2:10 AM                                          IKI\n\
                     \n\n\n";
        let repeated = "    No     Sasaran                   Indikator Kinerja        Sumber Data\n\
                        \x20   2.     Meningkatnya kinerja      Persentase kinerja       Kecamatan\n";
        let numbered = "  2.   Meningkatnya kinerja    Persentase kinerja         Kecamatan\n";
        for rest in [repeated, numbered] {
            let got = rows(&format!("{first}{rest}"));
            let indicators: Vec<&str> = got.iter().map(|r| r[2].as_str()).collect();
            assert_eq!(
                indicators,
                ["Persentase layanan", "Persentase kinerja"],
                "{rest}"
            );
            assert_eq!(got[1][3], "Kecamatan");
        }
        // Without a page break (no furniture), four blank lines end the table.
        let plain: String = first
            .lines()
            .filter(|l| !l.contains("3/9") && !l.contains("AM "))
            .map(|l| format!("{l}\n"))
            .collect();
        assert_eq!(plain.lines().filter(|l| l.trim().is_empty()).count(), 7);
        assert_eq!(rows(&format!("{plain}{numbered}")).len(), 1);
    }

    /// No row numbers, no blank lines, every line filled: a row starts where the sasaran and
    /// the indicator both open a cell, unless the line above stopped mid-phrase.
    #[test]
    fn unnumbered_rows_start_where_both_cells_open() {
        let got = rows(
            "Sasaran                       Indikator Kinerja Individu          Target\n\
             Terpenuhinya pembayaran       Jumlah dokumen gaji dan             12 dokumen\n\
             gaji dan TPP PNS              tunjangan PNS\n\
             Tersusunnya Laporan model     Jumlah laporan model C dan          2 laporan\n\
             C dan SPT Tahunan ASN         Laporan SPT Tahunan ASN\n\
             Terlaksananya evaluasi dan    Persentase kegiatan yang\n\
             Terselenggaranya rapat        Jumlah rapat                        4 kali\n",
        );
        let sasaran: Vec<&str> = got.iter().map(|r| r[0].as_str()).collect();
        assert_eq!(
            sasaran,
            [
                "Terpenuhinya pembayaran gaji dan TPP PNS",
                "Tersusunnya Laporan model C dan SPT Tahunan ASN",
                // "dan" and "yang" end the lines above: the next line continues them.
                "Terlaksananya evaluasi dan Terselenggaranya rapat",
            ]
        );
    }

    #[test]
    fn wrapped_rows() {
        let table = "\
No  Sasaran              Indikator Kinerja     Rumus/                 Target
                         Individu              Formula
1.  Meningkatnya         Persentase            Jumlah desa dibagi     100 %
    Fasilitasi Desa      fasilitasi desa       jumlah desa x 100 %
                         Persentase APBDes     Jumlah APBDes dibagi   90 %
                                               jumlah desa
2.  Terlaksananya        Jumlah laporan        Jumlah laporan         12 laporan
    Evaluasi

Lumajang, 02 Februari 2023";
        let rows = rows(table);
        assert_eq!(
            rows[0],
            [
                "1.",
                "Meningkatnya Fasilitasi Desa",
                "Persentase fasilitasi desa",
                "Jumlah desa dibagi jumlah desa x 100 %",
                "100 %"
            ]
        );
        assert_eq!(
            rows[1],
            [
                "",
                "",
                "Persentase APBDes",
                "Jumlah APBDes dibagi jumlah desa",
                "90 %"
            ]
        );
        assert_eq!(rows[2][1], "Terlaksananya Evaluasi");
        assert_eq!(rows.len(), 3);
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
        let rows = rows(table);
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[0].join("|"),
            "1|Meningkatnya Fasilitasi Desa|Persentase Fasilitasi Desa|Jumlah A dibagi Jumlah B x 100 % yang"
        );
        assert_eq!(
            rows[1].join("|"),
            "2|Terlaksananya|Persentase Laporan|Jumlah C dibagi D tepat waktu"
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
        let rows = rows(table);
        assert_eq!(
            rows[0].join("|"),
            "1|Meningkatnya Fasilitasi|Persentase Fasilitasi|Jumlah A dibagi B"
        );
        assert_eq!(
            rows[1].join("|"),
            "2|Terlaksananya|Laporan Tahunan|Jumlah C"
        );
    }
}
