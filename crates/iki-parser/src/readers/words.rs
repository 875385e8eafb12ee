//! Tables run together into running text: the cells of every row one after another, single
//! spaced, in one paragraph or one line per row (text previews, pasted paragraphs). Nothing
//! marks where a cell ends, so the words are cut into cells by what they read like.
//!
//! Cells are spans of words taken in reading order, each assigned to a column: the next
//! column of the row (empty cells skipped at a cost) or, after the row's last cell, a column
//! of a new row (its first, or the indicator for a continuation row). A cell starts only
//! where a cell can start (a capital, a digit, a parenthesis, a word that opens a cell such as
//! "persentase"). The best cutting maximises how well each span reads like its column (the
//! column model) plus a reward per cell, by dynamic programming over cut points × columns.

use crate::classify::{HeaderFact, View};
use crate::readers::score::{model, piece_fit};
use crate::readers::{ends_region, Header, Proposal, Row, Segmentation};
use crate::scan::Delim;
use crate::vocab::{self, Column};

/// Consecutive blank lines that end a table.
const MAX_BLANK_RUN: usize = 3;
/// Longest cell, in words.
const MAX_CELL_WORDS: usize = 40;
/// Reward for each cell, so that text cut where it should be is not outscored by text
/// left whole.
const CELL: f32 = 1.0;
/// Cost of an empty cell inside a row.
const SKIP_INSIDE: f32 = 1.5;
/// Cost of an empty cell at a row's start or end.
const SKIP_EDGE: f32 = 0.6;
/// Cost of an empty cell at a row's end: rows of a table fill their columns, so a row cut
/// short is more likely a cell given to the wrong column.
const SKIP_TRAILING: f32 = 2.0;
/// Cost of a word inside a cell that opens cells of its own ("Persentase", "Meningkatnya"):
/// a cut was likely missed there.
const INNER_OPENER: f32 = 1.5;

/// A word of the body: its text and the line it stands on.
struct Word<'a> {
    text: &'a str,
    line: usize,
}

/// Read the table whose header is line `at` as words run together.
pub fn read(view: &View<'_>, at: usize, h: &HeaderFact) -> Option<Proposal> {
    let columns: Vec<Option<Column>> = h.columns.iter().map(|c| c.column).collect();
    let header = Header {
        xs: h.columns.iter().map(|c| c.x).collect(),
        columns,
        at,
        body: at + 1,
    };
    let scan = view.scan;
    let mut words: Vec<Word<'_>> = Vec::new();
    // A header glued to its first row: the row's words follow the names on the same line.
    if let Some(rest) = h.rest {
        let line = view.line(at);
        words.extend(
            scan.words[rest as usize..line.words.1 as usize]
                .iter()
                .map(|w| Word {
                    text: scan.word(w),
                    line: at,
                }),
        );
    }
    let mut end = at + 1;
    let mut blanks = 0;
    while end < view.len() {
        if view.is_blank(end) {
            blanks += 1;
            if blanks > MAX_BLANK_RUN {
                break;
            }
            end += 1;
            continue;
        }
        if view.line(end).delim != Delim::Gap
            || ends_region(view, end)
            || view.header(end).is_some()
        {
            break;
        }
        blanks = 0;
        words.extend(scan.words_of(view.line(end)).iter().map(|w| Word {
            text: scan.word(w),
            line: end,
        }));
        end += 1;
    }
    while end > at + 1 && view.is_blank(end - 1) {
        end -= 1;
    }
    if words.len() < 2 {
        return None;
    }
    let rows = cut(&words, &header.columns);
    Some(Proposal {
        segmentation: Segmentation::Gaps,
        header,
        rows,
        end,
        warnings: Vec::new(),
        unread: 0,
        margin: None,
        misshapen: 0.0,
    })
}

/// Whether a cell may start at word `i`.
fn may_start(words: &[Word<'_>], i: usize) -> bool {
    if i == 0 {
        return true;
    }
    let w = words[i].text;
    let prev = words[i - 1].text;
    w.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit() || c == '(' || c == '-')
        || prev.ends_with(['%', ')', ';'])
        || vocab::opens_cell(&capitalised(w))
}

fn is_number(word: &str) -> bool {
    let t = word.trim_end_matches(['%', '.', ',']);
    !t.is_empty()
        && t.bytes()
            .all(|b| b.is_ascii_digit() || b == b',' || b == b'.')
}

fn is_operator(word: &str) -> bool {
    matches!(
        word,
        "x" | "X" | "×" | "*" | "/" | ":" | "÷" | "dikali" | "kali" | "dibagi"
    )
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Cut the words into rows of cells (see the module docs).
fn cut(words: &[Word<'_>], columns: &[Option<Column>]) -> Vec<Row> {
    let k = columns.len();
    let starts: Vec<usize> = (0..words.len()).filter(|&i| may_start(words, i)).collect();
    // Cut points: cell starts, and the end.
    let mut points = starts.clone();
    points.push(words.len());
    let p = points.len();
    let model = model();
    let indikator = columns.iter().position(|c| *c == Some(Column::Indikator));
    // best[a][c]: best score of the words before points[a] with the last cell in column c;
    // back[a][c]: (previous point, previous column) on that path, `usize::MAX` at the start.
    let mut best = vec![vec![f32::NEG_INFINITY; k]; p];
    let mut back = vec![vec![(usize::MAX, usize::MAX); k]; p];
    let mut span_text = String::new();
    for a in 0..p - 1 {
        // Columns the cell starting at points[a] may take, with their costs.
        let entries: Vec<(usize, usize, f32)> = if a == 0 {
            (0..k)
                .map(|c| (usize::MAX, c, -SKIP_EDGE * c as f32))
                .collect()
        } else {
            (0..k)
                .filter(|&prev| best[a][prev].is_finite())
                .flat_map(|prev| {
                    let base = best[a][prev];
                    (0..k).map(move |c| {
                        let step = if c > prev {
                            -SKIP_INSIDE * (c - prev - 1) as f32
                        } else {
                            // A new row: the old one's trailing empty cells, and the new
                            // one's leading ones (a continuation row starts at the indicator).
                            let leading = if Some(c) == indikator { 0.0 } else { c as f32 };
                            -SKIP_TRAILING * (k - 1 - prev) as f32 - SKIP_EDGE * leading
                        };
                        (prev, c, base + step)
                    })
                })
                .collect()
        };
        for b in a + 1..p {
            let len = points[b] - points[a];
            if len > MAX_CELL_WORDS {
                break;
            }
            span_text.clear();
            for (n, w) in words[points[a]..points[b]].iter().enumerate() {
                if n > 0 {
                    span_text.push(' ');
                }
                span_text.push_str(w.text);
            }
            let span = &words[points[a]..points[b]];
            let mut inner = span[1..]
                .iter()
                .filter(|w| vocab::opens_cell(w.text))
                .count() as f32;
            // A bare number closing a longer span, not a scale ("x 100%"): a target left
            // inside the cell before it.
            if span.len() >= 3
                && is_number(span[span.len() - 1].text)
                && !is_operator(span[span.len() - 2].text)
            {
                inner += 1.0;
            }
            let fits: Vec<f32> = (0..k)
                .map(|c| piece_fit(model, &span_text, columns[c], columns) - INNER_OPENER * inner)
                .collect();
            for &(prev, c, score) in &entries {
                let total = score + fits[c] + CELL;
                if total > best[b][c] {
                    best[b][c] = total;
                    back[b][c] = (a, prev);
                }
            }
        }
    }
    // Trace back from the best end.
    let Some(last) = (0..k).max_by(|&x, &y| {
        let ex = best[p - 1][x] - SKIP_EDGE * (k - 1 - x) as f32;
        let ey = best[p - 1][y] - SKIP_EDGE * (k - 1 - y) as f32;
        ex.total_cmp(&ey)
    }) else {
        return Vec::new();
    };
    if !best[p - 1][last].is_finite() {
        return Vec::new();
    }
    let mut cells: Vec<(usize, usize, usize)> = Vec::new(); // (from word, to word, column)
    let (mut b, mut c) = (p - 1, last);
    while b != usize::MAX && b > 0 {
        let (a, prev) = back[b][c];
        cells.push((points[a], points[b], c));
        if prev == usize::MAX {
            break;
        }
        b = a;
        c = prev;
    }
    cells.reverse();
    let mut rows: Vec<Row> = Vec::new();
    let mut last_col: Option<usize> = None;
    for (from, to, col) in cells {
        if last_col.is_none_or(|l| col <= l) {
            let mut row = Row::new(vec![String::new(); k], words[from].line);
            row.guessed = true;
            rows.push(row);
        }
        let row = rows.last_mut().expect("a row was opened");
        let text: Vec<&str> = words[from..to].iter().map(|w| w.text).collect();
        row.cells[col] = text.join(" ");
        row.lines = row.lines.max((words[to - 1].line - row.first + 1) as u16);
        last_col = Some(col);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_run_together_are_cut_by_content() {
        let text = "1 Meningkatnya kualitas pelayanan administrasi Persentase layanan yang selesai sesuai standar waktu Jumlah layanan selesai tepat waktu dibagi jumlah layanan yang diterima x 100% 95 % 2 Meningkatnya kepuasan masyarakat Indeks kepuasan masyarakat terhadap layanan kecamatan Nilai rata-rata hasil survei kepuasan masyarakat 80";
        let words: Vec<Word<'_>> = text.split(' ').map(|w| Word { text: w, line: 0 }).collect();
        let columns: Vec<Option<Column>> = [
            Column::No,
            Column::Sasaran,
            Column::Indikator,
            Column::Rumus,
            Column::Target,
        ]
        .into_iter()
        .map(Some)
        .collect();
        let rows = cut(&words, &columns);
        let cells: Vec<Vec<String>> = rows.into_iter().map(|r| r.cells).collect();
        assert_eq!(cells.len(), 2, "{cells:?}");
        assert_eq!(cells[0][0], "1");
        assert_eq!(cells[0][1], "Meningkatnya kualitas pelayanan administrasi");
        assert_eq!(
            cells[0][2],
            "Persentase layanan yang selesai sesuai standar waktu"
        );
        assert_eq!(cells[0][4], "95 %");
        assert_eq!(cells[1][0], "2");
        assert_eq!(
            cells[1][2],
            "Indeks kepuasan masyarakat terhadap layanan kecamatan"
        );
        assert_eq!(cells[1][4], "80");
    }
}
