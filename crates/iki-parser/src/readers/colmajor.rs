//! Tables read column by column (OCR engines and converters that follow a table's columns
//! rather than its rows): a column's name, then its cells top to bottom, then the next
//! column's name and cells.
//!
//! ```text
//! table   = 3*section                  ; at least three columns, one of them the indicator
//! section = column-name *cell-line     ; an empty cell may stand as an empty line
//! ```
//!
//! The row count is not written anywhere, so it is proposed from what the sections say: the
//! line counts of sections (blank lines kept as empty cells, or dropped), the row numbers of a
//! No column. For each count every section is laid on the rows — line by line when its count
//! fits, its lines joined into cells where they outnumber the rows (cut where a cell plainly
//! starts: an item number, a bullet, a capital after a finished line), its cells spread over
//! row groups where a spanning column (No, Sasaran) has fewer — and the count whose reading
//! explains the region best wins ([`score`]). Its margin over the runner-up is kept: a row
//! count guessed by a small margin lowers the rows' confidence.

use crate::classify::{is_row_number, View};
use crate::items;
use crate::model::{Warning, WarningCode};
use crate::readers::{ends_region, score, Header, Proposal, Row, Segmentation};
use crate::vocab::Column;

/// Whether line `at` opens a column-major table.
pub fn opens(view: &View<'_>, at: usize) -> bool {
    sections(view, at).is_some()
}

/// Most lines a column-major table may span above one of its column names.
const MAX_SPAN: usize = 400;

/// Whether line `at` (which may read as the IKI title, "Indikator Kinerja Individu") names a
/// column of a column-major table that starts above it.
pub fn names_column(view: &View<'_>, at: usize) -> bool {
    let mut first = None;
    for i in (at.saturating_sub(MAX_SPAN)..at).rev() {
        if view.is_blank(i) {
            continue;
        }
        if view.facts(i).column.is_some() {
            first = Some(i);
        } else if ends_region(view, i) || view.facts(i).header.is_some() {
            break;
        }
    }
    first.is_some_and(|k| sections(view, k).is_some_and(|(_, end)| end > at))
}

/// One column's name and the lines below it, up to the next column's name.
struct Section {
    column: Column,
    /// Lines after the name, blank lines kept (trailing blanks of the last section dropped).
    lines: Vec<usize>,
    /// Its cells could extend over trailing blank lines (the last section): an empty last
    /// cell leaves only a blank line, indistinguishable from the space after the table.
    open_end: bool,
}

/// Most rows a table read this way may have (a bound on the counts tried).
const MAX_ROWS: usize = 200;

/// Read a column-major table whose first column name stands at `at`, if one does.
pub fn read(view: &View<'_>, at: usize) -> Option<Proposal> {
    let (sections, end) = sections(view, at)?;
    from_sections(view, at, sections, end, "column names between their cells")
}

/// Read the cells under a flattened header (column names on consecutive lines from `at`) as
/// standing column by column: where one column's cells end and the next one's begin is not
/// marked, so for each row count the lines are cut into the header's columns in order by a DP
/// that weighs how well each line reads as its column, how far a column's cell count is from
/// the row count (a spanning No or Sasaran may have fewer), and cuts inside a numbered list.
/// Each count's sections are then laid on rows and judged like named sections; the row-major
/// reading ([`super::flat`]) competes with the winner.
pub fn read_flattened(view: &View<'_>, at: usize) -> Option<Proposal> {
    let (columns, body) = super::flat::header_lines(view, at)?;
    let (lines, end) = super::flat::cell_lines(view, body);
    let columns: Vec<Column> = columns.into_iter().flatten().collect();
    let n = lines.len();
    if n < columns.len() || n > MAX_ROWS * columns.len() {
        return None;
    }
    let fit = line_fits(view, &columns, &lines);
    let header = Header {
        xs: (0..columns.len() as u16).collect(),
        columns: columns.iter().map(|c| Some(*c)).collect(),
        at,
        body,
    };
    let mut readings: Vec<(f32, usize, Vec<Section>)> = Vec::new();
    for rows in 1..=n.div_ceil(2).min(MAX_ROWS) {
        let Some(cuts) = cut_sections(view, &columns, &lines, &fit, rows) else {
            continue;
        };
        let sections: Vec<Section> = columns
            .iter()
            .zip(cuts.windows(2))
            .map(|(&column, w)| Section {
                column,
                lines: lines[w[0]..w[1]].to_vec(),
                open_end: false,
            })
            .collect();
        if sections.iter().filter(|s| !s.lines.is_empty()).count() < 3 {
            continue;
        }
        let reading = lay(view, &sections, rows);
        readings.push((judge(view, &header, &reading), rows, sections));
    }
    readings.sort_by(|a, b| b.0.total_cmp(&a.0));
    let margin = readings.get(1).map(|r| readings[0].0 - r.0);
    let (_, _, sections) = readings.into_iter().next()?;
    // Blank lines inside a column's run of cells (not between columns) speak for rows
    // standing one after another, as a flattened row-major table separates them.
    let blank_runs = sections
        .iter()
        .filter(|s| s.lines.len() > 1)
        .map(|s| {
            (s.lines[0]..s.lines[s.lines.len() - 1])
                .filter(|&i| view.is_blank(i) && !view.is_blank(i + 1))
                .count()
        })
        .sum::<usize>();
    // Columns whose first line continues the line above: a cut inside a cell.
    let mid_cell = sections
        .windows(2)
        .filter_map(|w| Some((*w[0].lines.last()?, *w[1].lines.first()?)))
        .filter(|&(prev, l)| start_cue(view, prev, l) < 0.0)
        .count();
    let blank_runs = blank_runs + mid_cell;
    let width = sections.len() as f32;
    let mut proposal = from_sections(view, at, sections, end, "one column's cells after another")?;
    proposal.header.body = body;
    proposal.misshapen = (proposal.misshapen + blank_runs as f32 / width).min(1.0);
    // Under a flattened header the row-major reading is the usual one: a column-major one
    // is proposed only when it explains nearly every column cleanly.
    if proposal.misshapen > MAX_MISSHAPEN {
        return None;
    }
    proposal.margin = match (proposal.margin, margin) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    Some(proposal)
}

/// `fit[j][k]`: how well line `j` reads as column `k` ([`score::piece_fit`]).
fn line_fits(view: &View<'_>, columns: &[Column], lines: &[usize]) -> Vec<Vec<f32>> {
    let model = score::model();
    let header: Vec<Option<Column>> = columns.iter().map(|c| Some(*c)).collect();
    lines
        .iter()
        .map(|&l| {
            let text = view.text(l);
            columns
                .iter()
                .map(|c| score::piece_fit(model, text, Some(*c), &header))
                .collect()
        })
        .collect()
}

/// Largest misshapen share of a column-major reading under a flattened header.
const MAX_MISSHAPEN: f32 = 0.15;

/// Cost per cell line of a column's count differing from the row count.
const COUNT_COST: f32 = 1.5;
/// Cost of a cut before an item numbered above 1 (a numbered list runs on in one column).
const LIST_CUT_COST: f32 = 3.0;

/// Where each column's lines start (and the end), for `rows` rows: the cut points that
/// maximise the lines' fit less the count and list-cut costs.
fn cut_sections(
    view: &View<'_>,
    columns: &[Column],
    lines: &[usize],
    fit: &[Vec<f32>],
    rows: usize,
) -> Option<Vec<usize>> {
    let (n, m) = (lines.len(), columns.len());
    // prefix[k][j]: summed fit of lines 0..j as column k.
    let prefix: Vec<Vec<f32>> = (0..m)
        .map(|k| {
            let mut p = vec![0.0; n + 1];
            for j in 0..n {
                p[j + 1] = p[j] + fit[j][k];
            }
            p
        })
        .collect();
    let cut_cost = |a: usize| {
        if a == 0 || a == n {
            return 0.0;
        }
        match item_number(view.text(lines[a])) {
            Some(no) if no != "1" => LIST_CUT_COST,
            // A column's first cell does not open mid-sentence.
            _ if start_cue(view, lines[a - 1], lines[a]) < 0.0 => LIST_CUT_COST,
            _ => 0.0,
        }
    };
    let count_cost = |k: usize, len: usize| {
        let over = len.saturating_sub(rows);
        let under = if spans(columns[k]) {
            0
        } else {
            rows.saturating_sub(len)
        };
        COUNT_COST * (over + under) as f32
    };
    // best[k][b]: columns 0..k hold lines 0..b.
    let mut best = vec![vec![f32::NEG_INFINITY; n + 1]; m + 1];
    let mut back = vec![vec![0usize; n + 1]; m + 1];
    best[0][0] = 0.0;
    for k in 0..m {
        for b in 0..=n {
            // Wrapped cells may take a few lines more than the rows; bound the section.
            let lo = b.saturating_sub(3 * rows + 2);
            for a in lo..=b {
                let prev = best[k][a];
                if !prev.is_finite() {
                    continue;
                }
                let v = prev + prefix[k][b]
                    - prefix[k][a]
                    - count_cost(k, b - a)
                    - if b > a { cut_cost(a) } else { 0.0 };
                if v > best[k + 1][b] {
                    best[k + 1][b] = v;
                    back[k + 1][b] = a;
                }
            }
        }
    }
    if !best[m][n].is_finite() {
        return None;
    }
    let mut cuts = vec![n; m + 1];
    let mut b = n;
    for k in (1..=m).rev() {
        cuts[k] = b;
        b = back[k][b];
    }
    cuts[0] = 0;
    Some(cuts)
}

fn from_sections(
    view: &View<'_>,
    at: usize,
    sections: Vec<Section>,
    end: usize,
    how: &str,
) -> Option<Proposal> {
    let mut candidates: Vec<usize> = Vec::new();
    for (k, s) in sections.iter().enumerate() {
        let filled = filled(view, &s.lines).len();
        candidates.push(filled);
        if k + 1 < sections.len() {
            candidates.push(s.lines.len());
        }
        if s.column == Column::No {
            let numbers = s
                .lines
                .iter()
                .filter(|&&i| is_row_number(view.text(i)))
                .count();
            candidates.push(numbers);
        }
    }
    candidates.retain(|&r| (1..=MAX_ROWS).contains(&r));
    candidates.sort_unstable();
    candidates.dedup();

    let columns: Vec<Option<Column>> = sections.iter().map(|s| Some(s.column)).collect();
    let base = Header {
        xs: (0..columns.len() as u16).collect(),
        columns,
        at,
        body: at + 1,
    };
    let mut readings: Vec<(f32, Reading)> = candidates
        .into_iter()
        .map(|r| {
            let reading = lay(view, &sections, r);
            (judge(view, &base, &reading), reading)
        })
        .collect();
    readings.sort_by(|a, b| b.0.total_cmp(&a.0));
    let margin = readings.get(1).map(|(s, _)| readings[0].0 - s);
    let (_, reading) = readings.into_iter().next()?;

    let mut warnings = vec![Warning::new(
        WarningCode::FlattenedTable,
        format!(
            "table read column by column ({how}); {} rows inferred from the columns' cell counts",
            reading.rows
        ),
        Some(view.no(at)),
    )];
    if reading.forced > 0 {
        warnings.push(Warning::new(
            WarningCode::FlattenedRowGuessed,
            format!(
                "{} columns had fewer cells than rows; their cells were placed by guess",
                reading.forced
            ),
            Some(view.no(at)),
        ));
    }
    let misshapen = (reading.forced + reading.joined) as f32 / sections.len() as f32;
    let (header, rows) = finish(view, base, reading);
    Some(Proposal {
        segmentation: Segmentation::ColumnMajor,
        header,
        rows,
        end,
        warnings,
        unread: 0,
        margin,
        misshapen,
    })
}

/// The sections from `at`, and the index of the line after the table. `None` unless there are
/// three or more columns, the indicator among them, and the columns before the last carry
/// cells (column names standing on consecutive lines are a flattened header, not this).
fn sections(view: &View<'_>, at: usize) -> Option<(Vec<Section>, usize)> {
    let first = view.facts(at).column?;
    let mut sections = vec![Section {
        column: first,
        lines: Vec::new(),
        open_end: false,
    }];
    let mut i = at + 1;
    while i < view.len() {
        if !view.is_blank(i) {
            let f = view.facts(i);
            let new_column = f
                .column
                .filter(|c| sections.iter().all(|s| s.column != *c) && *c != Column::Other);
            if let Some(column) = new_column {
                sections.push(Section {
                    column,
                    lines: Vec::new(),
                    open_end: false,
                });
                i += 1;
                continue;
            }
            if f.header.is_some() || f.column.is_some() || ends_region(view, i) {
                break;
            }
        }
        if let Some(s) = sections.last_mut() {
            s.lines.push(i);
        }
        i += 1;
    }
    let last = sections.last_mut()?;
    let trailing = last
        .lines
        .iter()
        .rev()
        .take_while(|&&l| view.is_blank(l))
        .count();
    last.lines.truncate(last.lines.len() - trailing);
    last.open_end = trailing > 0;
    let with_cells = sections
        .iter()
        .filter(|s| !filled(view, &s.lines).is_empty())
        .count();
    let before_last_empty = sections[..sections.len() - 1]
        .iter()
        .filter(|s| filled(view, &s.lines).is_empty())
        .count();
    let indicator = sections
        .iter()
        .any(|s| s.column == Column::Indikator && !filled(view, &s.lines).is_empty());
    (sections.len() >= 3 && with_cells >= 3 && indicator && before_last_empty * 3 < sections.len())
        .then_some((sections, i))
}

fn filled(view: &View<'_>, lines: &[usize]) -> Vec<usize> {
    lines
        .iter()
        .copied()
        .filter(|&i| !view.is_blank(i))
        .collect()
}

/// A reading of the sections as `rows` rows: per row, per column, the lines of its cell.
struct Reading {
    rows: usize,
    cells: Vec<Vec<Vec<usize>>>,
    /// Summed cost of the cuts and joins made where the text says otherwise.
    strain: f32,
    /// Sections (not spanning ones) with fewer cells than rows, placed by guess, or without
    /// any cell.
    forced: usize,
    /// Sections whose lines were joined into fewer cells (wrapped cells, or a wrong count).
    joined: usize,
    /// Per section: its cells were fewer than the rows and span the rows below them (merged
    /// cells), rather than standing each in its row.
    spanning: Vec<bool>,
}

/// Columns whose cell may span several rows (merged cells of the rows of one sasaran).
fn spans(col: Column) -> bool {
    matches!(col, Column::No | Column::Sasaran)
}

/// Lay the sections on `rows` rows.
fn lay(view: &View<'_>, sections: &[Section], rows: usize) -> Reading {
    let mut cells = vec![vec![Vec::new(); sections.len()]; rows];
    let mut strain = 0.0;
    let mut forced = 0;
    let mut joined = 0;
    let mut spanning = vec![false; sections.len()];
    // Non-spanning columns first: the indicator's numbering tells where spanning cells start.
    let order = (0..sections.len())
        .filter(|&k| !spans(sections[k].column))
        .chain((0..sections.len()).filter(|&k| spans(sections[k].column)));
    for k in order {
        let s = &sections[k];
        let lines = &s.lines;
        let full = filled(view, lines);
        let fits_with_blanks = lines.len() == rows || (s.open_end && lines.len() < rows);
        if fits_with_blanks && full.len() != rows {
            for (r, &l) in lines.iter().enumerate() {
                if !view.is_blank(l) {
                    cells[r][k].push(l);
                }
            }
        } else if full.len() >= rows {
            let (groups, cost) = join(view, &full, rows);
            strain += cost;
            if full.len() > rows {
                joined += 1;
            }
            for (r, g) in groups.into_iter().enumerate() {
                cells[r][k] = g;
            }
        } else if full.is_empty() {
            // A named column without a cell: every cell empty, or its cells read elsewhere.
            forced += 1;
        } else {
            let starts = if spans(s.column) {
                group_starts(view, sections, &cells, full.len())
            } else {
                None
            };
            if starts.is_none() && !(spans(s.column) && full.len() == 1) {
                forced += 1;
            }
            spanning[k] = spans(s.column);
            let starts = starts.unwrap_or_else(|| (0..full.len()).collect());
            for (&r, &l) in starts.iter().zip(&full) {
                cells[r][k].push(l);
            }
        }
    }
    Reading {
        rows,
        cells,
        strain,
        forced,
        joined,
        spanning,
    }
}

/// Rows where the groups of a spanning column start, told by the indicator cells' numbers
/// starting again at 1 ("1. …", "2. …", "1. …"): `None` unless there are exactly `groups`.
fn group_starts(
    view: &View<'_>,
    sections: &[Section],
    cells: &[Vec<Vec<usize>>],
    groups: usize,
) -> Option<Vec<usize>> {
    let k = sections
        .iter()
        .position(|s| s.column == Column::Indikator)?;
    let starts: Vec<usize> = cells
        .iter()
        .enumerate()
        .filter(|(_, row)| {
            row[k]
                .first()
                .is_some_and(|&l| item_number(view.text(l)).is_some_and(|n| n == "1"))
        })
        .map(|(r, _)| r)
        .collect();
    (starts.len() == groups && starts.first() == Some(&0)).then_some(starts)
}

/// The item number a cell line opens with ("1." / "2)"), if any.
fn item_number(text: &str) -> Option<&str> {
    items::marker(text.trim_start())
        .ok()
        .map(|(_, n)| n)
        .filter(|n| n.bytes().all(|b| b.is_ascii_digit()))
}

/// How plainly line `l` starts a cell of its own (positive) or continues the line above
/// (negative).
fn start_cue(view: &View<'_>, prev: usize, l: usize) -> f32 {
    let text = view.text(l).trim_start();
    let before = view.text(prev).trim_end();
    let bullet = |t: &str| t.starts_with(['-', '•', '*']);
    if bullet(text) {
        // The next entry of a bulleted cell, or the first of one.
        return if bullet(before.trim_start()) {
            0.0
        } else {
            1.0
        };
    }
    if item_number(text).is_some() {
        return 1.0;
    }
    let first = text.chars().next();
    let ends_open = before.ends_with([',', '/', '-', '(', '+', ':'])
        || before
            .rsplit(' ')
            .next()
            .is_some_and(crate::vocab::is_connective);
    if ends_open || first.is_some_and(|c| c.is_lowercase()) {
        return -1.0;
    }
    if before.ends_with(['.', ';', '%']) || first.is_some_and(|c| c.is_uppercase()) {
        return 0.5;
    }
    0.0
}

/// Join `lines` into `rows` cells of consecutive lines: the cuts are chosen where cells most
/// plainly start (a DP over cut points). Returns the cells and the cost of going against the
/// cues (a cut before a continuation, a join over an item number).
fn join(view: &View<'_>, lines: &[usize], rows: usize) -> (Vec<Vec<usize>>, f32) {
    let n = lines.len();
    if rows == 0 || n < rows {
        return (vec![Vec::new(); rows], 0.0);
    }
    if n == rows {
        return (lines.iter().map(|&l| vec![l]).collect(), 0.0);
    }
    // cue[j]: line j starts a cell (j >= 1).
    let cue: Vec<f32> = (0..n)
        .map(|j| {
            if j == 0 {
                0.0
            } else {
                start_cue(view, lines[j - 1], lines[j])
            }
        })
        .collect();
    // Cost of a cut before line j, of a join over line j.
    let cut = |j: usize| (-cue[j]).max(0.0);
    let keep = |j: usize| cue[j].max(0.0);
    // best[c][j]: least cost with c cuts among lines 1..=j (cut before j counted at j).
    let inf = f32::INFINITY;
    let mut best = vec![vec![inf; n]; rows];
    let mut from = vec![vec![false; n]; rows];
    best[0][0] = 0.0;
    for j in 1..n {
        for c in 0..rows {
            let joined = best[c][j - 1] + keep(j);
            let cutting = if c > 0 {
                best[c - 1][j - 1] + cut(j)
            } else {
                inf
            };
            if cutting < joined {
                best[c][j] = cutting;
                from[c][j] = true;
            } else {
                best[c][j] = joined;
            }
        }
    }
    let cost = best[rows - 1][n - 1];
    let mut cuts = vec![false; n];
    let mut c = rows - 1;
    for j in (1..n).rev() {
        if from[c][j] {
            cuts[j] = true;
            c -= 1;
        }
    }
    let mut groups: Vec<Vec<usize>> = Vec::with_capacity(rows);
    for (j, &l) in lines.iter().enumerate() {
        if j == 0 || cuts[j] {
            groups.push(Vec::new());
        }
        if let Some(g) = groups.last_mut() {
            g.push(l);
        }
    }
    (groups, cost)
}

/// The rows of a reading, each cell's lines joined by newlines (as wrapped cells are).
fn rows_of(view: &View<'_>, reading: &Reading, indikator: Option<usize>) -> Vec<Row> {
    reading
        .cells
        .iter()
        .enumerate()
        .filter(|(_, row)| row.iter().any(|c| !c.is_empty()))
        .map(|(r, row)| {
            let text = |c: &Vec<usize>| {
                c.iter()
                    .map(|&l| view.text(l).trim())
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            // Its first line in reading order within the row: the row's cells above the
            // indicator's (a spanning number, a sasaran) stand in earlier sections.
            let first = indikator
                .and_then(|k| row[..=k].iter().filter_map(|c| c.first().copied()).min())
                .or_else(|| row.iter().filter_map(|c| c.first().copied()).min())
                .unwrap_or(r);
            let mut out = Row::new(row.iter().map(text).collect(), first);
            out.lines = row.iter().map(|c| c.len()).max().unwrap_or(1).max(1) as u16;
            out.guessed = true;
            out
        })
        .collect()
}

/// How well a reading explains the sections: the mean fit of its cells to their columns, less
/// the strain of its cuts (per row), sections placed by guess and rows without an indicator.
fn judge(view: &View<'_>, header: &Header, reading: &Reading) -> f32 {
    let indikator = header.index(Column::Indikator);
    let rows = rows_of(view, reading, indikator);
    let (fit, cells) = score::cell_fit(header, &rows);
    if cells == 0 {
        return -10.0;
    }
    let n = rows.len().max(1) as f32;
    let without = rows
        .iter()
        .filter(|r| indikator.is_some_and(|i| !r.filled(i)))
        .count() as f32;
    fit - reading.strain / n - 0.5 * reading.forced as f32 / header.width() as f32 - without / n
}

/// The header and rows of the winning reading: an indicator's own item number is taken as the
/// row number when the table has no No column (the sasaran, spanning its rows, repeated).
fn finish(view: &View<'_>, mut header: Header, reading: Reading) -> (Header, Vec<Row>) {
    let ind = header.index(Column::Indikator);
    let mut rows = rows_of(view, &reading, ind);
    // A merged sasaran cell spans numbered rows too: repeat it where the row has its own
    // number (an unnumbered row repeats it anyway, as a continuation row).
    if let (Some(s), Some(no)) = (header.index(Column::Sasaran), header.index(Column::No)) {
        if reading.spanning.get(s) == Some(&true) {
            let mut last = String::new();
            for row in &mut rows {
                if row.cells[s].is_empty() && !row.cells[no].is_empty() {
                    row.cells[s] = last.clone();
                } else if !row.cells[s].is_empty() {
                    last = row.cells[s].clone();
                }
            }
        }
    }
    let Some(ind) = ind else {
        return (header, rows);
    };
    let numbered = rows
        .iter()
        .filter(|r| item_number(&r.cells[ind]).is_some())
        .count();
    if header.index(Column::No).is_some() || numbered * 2 < rows.len() || numbered == 0 {
        return (header, rows);
    }
    let sasaran = header.index(Column::Sasaran);
    let mut last_sasaran = String::new();
    for row in &mut rows {
        let cell = row.cells[ind].trim_start().to_string();
        let no = match items::marker(&cell) {
            Ok((rest, n)) if n.bytes().all(|b| b.is_ascii_digit()) => {
                row.cells[ind] = rest.trim_start().to_string();
                n.to_string()
            }
            _ => String::new(),
        };
        if let Some(s) = sasaran {
            if row.cells[s].is_empty() {
                row.cells[s] = last_sasaran.clone();
            } else {
                last_sasaran = row.cells[s].clone();
            }
        }
        row.cells.insert(0, no);
    }
    header.columns.insert(0, Some(Column::No));
    header.xs = (0..header.columns.len() as u16).collect();
    (header, rows)
}

#[cfg(test)]
mod tests {
    use crate::model::Indicator;
    use crate::readers::{first_table, Segmentation};

    fn table(text: &str) -> (Segmentation, Vec<Indicator>) {
        let (segmentation, ind, _) = first_table(text);
        (segmentation, ind)
    }

    #[test]
    fn named_columns_with_a_wrapped_cell_and_a_spanning_sasaran() {
        let text = "No\n1\n2\n3\nSasaran\nMeningkatnya layanan\n\
                    Indikator Kinerja\nPersentase permohonan yang\ndiselesaikan tepat waktu\n\
                    Jumlah laporan yang disusun\nIndeks kepuasan masyarakat\n\
                    Rumus\nJumlah permohonan selesai dibagi jumlah permohonan x 100%\n\
                    Jumlah laporan\nNilai survei kepuasan\n\
                    Sumber Data\nRegister permohonan\nArsip laporan\nHasil survei\n";
        let (seg, ind) = table(text);
        assert_eq!(seg, Segmentation::ColumnMajor);
        assert_eq!(ind.len(), 3);
        assert_eq!(
            ind[0].indikator,
            "Persentase permohonan yang diselesaikan tepat waktu"
        );
        assert_eq!(ind[2].sumber_data.as_deref(), Some("Hasil survei"));
        assert!(ind
            .iter()
            .all(|i| i.sasaran.as_deref() == Some("Meningkatnya layanan")));
        assert_eq!(ind[1].no.as_deref(), Some("2"));
    }

    #[test]
    fn empty_cells_as_blank_lines_keep_their_rows() {
        let text = "No\n1\n2\nSasaran\nMeningkatnya layanan\n\nIndikator Kinerja\n\
                    Persentase permohonan selesai\nJumlah laporan yang disusun\n\
                    Rumus\n\nJumlah laporan\nSumber Data\nRegister permohonan\nArsip laporan\n";
        let (_, ind) = table(text);
        assert_eq!(ind.len(), 2);
        assert_eq!(ind[0].rumus, None);
        assert_eq!(ind[1].rumus.as_deref(), Some("Jumlah laporan"));
    }

    #[test]
    fn cells_after_a_flattened_header_read_column_by_column() {
        let text = "Sasaran\nIndikator Kinerja\nRumus\nSumber Data\n\
                    Meningkatnya layanan\n1. Persentase permohonan selesai\n\
                    2. Jumlah laporan yang disusun\n\
                    Jumlah permohonan selesai dibagi jumlah permohonan x 100%\n\
                    Jumlah laporan yang disusun\nRegister permohonan\nArsip laporan\n";
        let (seg, ind) = table(text);
        assert_eq!(seg, Segmentation::ColumnMajor);
        assert_eq!(ind.len(), 2);
        assert_eq!(ind[1].no.as_deref(), Some("2"));
        assert_eq!(ind[1].indikator, "Jumlah laporan yang disusun");
        assert_eq!(ind[1].sumber_data.as_deref(), Some("Arsip laporan"));
        assert_eq!(ind[1].sasaran.as_deref(), Some("Meningkatnya layanan"));
    }
}
