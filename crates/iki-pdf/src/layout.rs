//! Positioned glyphs to text that keeps the page's layout, in the manner of `pdftotext -layout`.
//!
//! ```text
//! page  := line*                 glyphs whose baselines lie within 0.45 em, top to bottom
//! line  := chunk (gap chunk)*    gap: ≥ 0.8 em of white, or a vertical table rule in between
//! chunk := word (' ' word)*      words: glyphs closer than 0.15 em and no space glyph between
//! ```
//! Columns line up because every chunk start is snapped to a *stop*: chunk starts across the
//! page are clustered by x, and each stop gets one character column — at least its x divided by
//! the page's mean glyph width, and always two columns past the end of any chunk that precedes
//! it on a line. Cells of one table column therefore start at the same character column on every
//! line, separated from their neighbours by at least two spaces, which is what the space-aligned
//! table reader of `iki-parser` expects. A vertical gap of more than about two lines becomes
//! blank lines, as it does in `pdftotext -layout`.

use crate::page::{Glyph, Page, Rule};

/// Glyphs whose baselines differ by less than this many ems share a line.
const LINE_TOLERANCE: f64 = 0.45;
/// A horizontal gap wider than this many ems separates words.
const WORD_GAP: f64 = 0.15;
/// A horizontal gap at least this many ems wide separates chunks (table cells, label / value).
const CHUNK_GAP: f64 = 0.8;
/// Baseline distance (in ems) past which blank lines are written.
const PARAGRAPH_GAP: f64 = 2.2;
/// Most blank lines written for one vertical gap.
const MAX_BLANK_LINES: usize = 3;
/// Widest text line written, in characters (a guard against absurd coordinates).
const MAX_COLUMNS: usize = 1000;

/// One output line of a page.
#[derive(Debug, Clone, PartialEq)]
pub struct TextLine {
    /// The line with cells placed at their character columns, no trailing spaces.
    pub text: String,
    /// Baseline, downwards from the top of the page frame, in points.
    pub y: f64,
    /// Median font size on the line, in points.
    pub size: f64,
    /// Blank lines to write before this one (vertical white space above it).
    pub blank_before: usize,
}

/// A run of glyphs without a word break.
#[derive(Debug, Clone)]
struct Word {
    x0: f64,
    x1: f64,
    text: String,
}

/// Words of one line that belong together (one table cell, one paragraph line).
#[derive(Debug, Clone)]
struct Chunk {
    x0: f64,
    x1: f64,
    /// Where the chunk's column starts: the left border of its table cell when the chunk sits
    /// between two vertical rules (so centred headers and numbers line up with their cells),
    /// else its own left edge.
    anchor: f64,
    text: String,
}

/// A line before it is put on the character grid.
#[derive(Debug, Clone)]
struct RawLine {
    y: f64,
    size: f64,
    chunks: Vec<Chunk>,
}

/// How glyphs become words: text-layer glyphs are letters; OCR glyphs are already words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GlyphKind {
    Letters,
    Words,
}

/// Lay out one page: its lines, top to bottom.
pub fn layout_page(page: &Page, kind: GlyphKind) -> Vec<TextLine> {
    layout_pages(std::slice::from_ref(page), kind)
        .pop()
        .unwrap_or_default()
}

/// Lay out a document's pages on one character grid, so a table that runs over a page break
/// keeps its columns at the same character positions on every page.
pub fn layout_pages(pages: &[Page], kind: GlyphKind) -> Vec<Vec<TextLine>> {
    let raw: Vec<Vec<RawLine>> = pages.iter().map(|p| raw_lines(p, kind)).collect();
    let pitch = pitch(pages.iter().flat_map(|p| p.glyphs.iter()));
    let grid = Grid::new(&raw, pitch);
    raw.iter()
        .zip(pages)
        .map(|(lines, page)| {
            let horizontal: Vec<&Rule> = page.rules.iter().filter(|r| !r.vertical).collect();
            place(lines, &grid, &horizontal)
        })
        .collect()
}

/// A line of words without layout: one line of a table cell's text.
#[derive(Debug, Clone, PartialEq)]
pub struct PlainLine {
    /// The words, one space between them.
    pub text: String,
    pub x0: f64,
    pub x1: f64,
    /// Baseline.
    pub y: f64,
    /// Median font size.
    pub size: f64,
}

/// Glyphs (of one table cell) as lines of words, top to bottom; the words of a line are
/// joined by one space, however wide the gap.
pub fn plain_lines(glyphs: Vec<&Glyph>, kind: GlyphKind) -> Vec<PlainLine> {
    let glyphs: Vec<&Glyph> = glyphs
        .into_iter()
        .filter(|g| g.x0.is_finite() && g.x1.is_finite() && g.y.is_finite() && g.size > 0.0)
        .collect();
    group_lines(glyphs)
        .into_iter()
        .filter_map(|line| raw_line(line, &[], kind))
        .map(|line| PlainLine {
            text: line
                .chunks
                .iter()
                .map(|c| c.text.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            x0: line.chunks.first().map_or(0.0, |c| c.x0),
            x1: line
                .chunks
                .iter()
                .map(|c| c.x1)
                .fold(f64::NEG_INFINITY, f64::max),
            y: line.y,
            size: line.size,
        })
        .collect()
}

/// A page's glyphs as lines of chunks.
fn raw_lines(page: &Page, kind: GlyphKind) -> Vec<RawLine> {
    let glyphs: Vec<&Glyph> = page
        .glyphs
        .iter()
        .filter(|g| g.x0.is_finite() && g.x1.is_finite() && g.y.is_finite() && g.size > 0.0)
        .collect();
    let vertical: Vec<&Rule> = page.rules.iter().filter(|r| r.vertical).collect();
    group_lines(glyphs)
        .into_iter()
        .filter_map(|line| raw_line(line, &vertical, kind))
        .collect()
}

/// Glyphs sorted top to bottom and grouped by baseline.
fn group_lines(mut glyphs: Vec<&Glyph>) -> Vec<Vec<&Glyph>> {
    glyphs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0.total_cmp(&b.x0)));
    let mut lines: Vec<Vec<&Glyph>> = Vec::new();
    let mut anchor = (f64::NEG_INFINITY, 0.0);
    for g in glyphs {
        let tolerance = LINE_TOLERANCE * g.size.min(anchor.1).max(1.0);
        match lines.last_mut() {
            Some(line) if (g.y - anchor.0).abs() <= tolerance => line.push(g),
            _ => {
                anchor = (g.y, g.size);
                lines.push(vec![g]);
            }
        }
    }
    lines
}

/// One line's glyphs (any order) into chunks of words; `None` when it holds only spaces.
fn raw_line(mut glyphs: Vec<&Glyph>, rules: &[&Rule], kind: GlyphKind) -> Option<RawLine> {
    glyphs.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    let visible: Vec<f64> = glyphs
        .iter()
        .filter(|g| !g.is_space())
        .map(|g| g.size)
        .collect();
    if visible.is_empty() {
        return None;
    }
    let size = median(visible);
    let y = median(
        glyphs
            .iter()
            .filter(|g| !g.is_space())
            .map(|g| g.y)
            .collect(),
    );
    let words = words(&dedupe(glyphs), size, kind);
    let chunks = chunks(words, size, y, rules);
    Some(RawLine { y, size, chunks })
}

/// Drop glyphs drawn twice at (nearly) the same place, as fake-bold text does.
fn dedupe(glyphs: Vec<&Glyph>) -> Vec<&Glyph> {
    let mut out: Vec<&Glyph> = Vec::with_capacity(glyphs.len());
    for g in glyphs {
        let twin = out.iter().rev().take(4).any(|k| {
            k.text == g.text
                && (k.x0 - g.x0).abs() < 0.2 * g.size
                && (k.y - g.y).abs() < 0.2 * g.size
        });
        if !twin {
            out.push(g);
        }
    }
    out
}

/// Glyphs (sorted by x) into words.
fn words(glyphs: &[&Glyph], size: f64, kind: GlyphKind) -> Vec<Word> {
    let mut words: Vec<Word> = Vec::new();
    let mut broken = true;
    for g in glyphs {
        if g.is_space() {
            broken = true;
            continue;
        }
        let joins = match words.last() {
            Some(w) => !broken && kind == GlyphKind::Letters && g.x0 - w.x1 < WORD_GAP * size,
            None => false,
        };
        match words.last_mut() {
            Some(w) if joins => {
                w.text.push_str(&g.text);
                w.x1 = w.x1.max(g.x1);
            }
            _ => words.push(Word {
                x0: g.x0,
                x1: g.x1,
                text: g.text.clone(),
            }),
        }
        broken = false;
    }
    words
}

/// Words (sorted by x) into chunks: a wide gap or a vertical rule between two words splits.
fn chunks(words: Vec<Word>, size: f64, y: f64, rules: &[&Rule]) -> Vec<Chunk> {
    let mut chunks: Vec<Chunk> = Vec::new();
    let mut last_x1 = f64::NEG_INFINITY;
    for w in words {
        let split =
            w.x0 - last_x1 >= CHUNK_GAP * size || rule_between(rules, last_x1, w.x0, y, size);
        match chunks.last_mut() {
            Some(c) if !split => {
                c.text.push(' ');
                c.text.push_str(&w.text);
                c.x1 = c.x1.max(w.x1);
            }
            _ => chunks.push(Chunk {
                x0: w.x0,
                x1: w.x1,
                anchor: w.x0,
                text: w.text,
            }),
        }
        last_x1 = last_x1.max(w.x1);
    }
    for c in &mut chunks {
        c.anchor = cell_left(rules, c, y, size).unwrap_or(c.x0);
    }
    chunks
}

/// The left border of the table cell holding `chunk`: the nearest vertical rule left of it,
/// provided another rule closes the cell on its right.
fn cell_left(rules: &[&Rule], chunk: &Chunk, y: f64, size: f64) -> Option<f64> {
    let crossing = |r: &&&Rule| crosses_line(r, y, size);
    let left = rules
        .iter()
        .filter(crossing)
        .filter(|r| r.at <= chunk.x0 + 0.5)
        .map(|r| r.at)
        .max_by(f64::total_cmp)?;
    let closed = rules
        .iter()
        .filter(crossing)
        .any(|r| r.at >= chunk.x1 - 0.5);
    closed.then_some(left + 1.0)
}

/// Whether a vertical rule runs past the middle of a line with baseline `y`.
fn crosses_line(r: &Rule, y: f64, size: f64) -> bool {
    let middle = y - 0.35 * size;
    r.from <= middle + 0.1 * size && r.to >= middle - 0.1 * size
}

/// Whether a vertical rule crossing the line at baseline `y` lies between x `a` and `b`.
fn rule_between(rules: &[&Rule], a: f64, b: f64, y: f64, size: f64) -> bool {
    if !a.is_finite() {
        return false;
    }
    rules
        .iter()
        .any(|r| r.at > a - 0.5 && r.at < b + 0.5 && crosses_line(r, y, size))
}

/// Points per character column: the mean advance of the visible glyphs.
fn pitch<'a>(glyphs: impl Iterator<Item = &'a Glyph>) -> f64 {
    let mut width = 0.0;
    let mut chars = 0usize;
    for g in glyphs.filter(|g| !g.is_space()) {
        let n = g.text.chars().count();
        let w = g.x1 - g.x0;
        if n > 0 && w.is_finite() && w > 0.0 {
            width += w;
            chars += n;
        }
    }
    if chars == 0 || width <= 0.0 {
        5.0
    } else {
        (width / chars as f64).max(0.5)
    }
}

/// The character grid of a document: its stops and the column of each.
#[derive(Debug)]
struct Grid {
    stops: Stops,
    columns: Vec<usize>,
}

impl Grid {
    fn new(pages: &[Vec<RawLine>], pitch: f64) -> Grid {
        let starts: Vec<f64> = pages
            .iter()
            .flatten()
            .flat_map(|l| l.chunks.iter().map(|c| c.anchor))
            .collect();
        let stops = Stops::new(&starts, pitch * 0.6);
        let columns = stop_columns(pages.iter().flatten(), &stops, pitch);
        Grid { stops, columns }
    }

    fn column(&self, anchor: f64) -> usize {
        self.columns
            .get(self.stops.index(anchor))
            .copied()
            .unwrap_or(0)
            .min(MAX_COLUMNS)
    }
}

/// Put a page's chunks on the character grid (see the module docs) and count blank lines.
fn place(lines: &[RawLine], grid: &Grid, horizontal: &[&Rule]) -> Vec<TextLine> {
    let mut out = Vec::with_capacity(lines.len());
    let mut previous: Option<&RawLine> = None;
    for line in lines {
        let mut text = String::new();
        let mut width = 0usize;
        for c in &line.chunks {
            let column = grid.column(c.anchor);
            let pad = if width == 0 {
                column
            } else {
                column.max(width + 2) - width
            };
            text.extend(std::iter::repeat_n(' ', pad));
            text.push_str(&c.text);
            width += pad + c.text.chars().count();
        }
        out.push(TextLine {
            text,
            y: line.y,
            size: line.size,
            blank_before: previous.map_or(0, |p| blank_lines(p, line, horizontal)),
        });
        previous = Some(line);
    }
    out
}

/// Blank lines that stand for the white space between two consecutive lines: one for a
/// horizontal rule between them (a table row border), more for a wide gap.
fn blank_lines(above: &RawLine, below: &RawLine, horizontal: &[&Rule]) -> usize {
    let size = above.size.max(below.size).max(1.0);
    let gap = below.y - above.y;
    if gap <= PARAGRAPH_GAP * size {
        return usize::from(rule_between_lines(above, below, horizontal));
    }
    let lines = (gap / (1.25 * size)).floor() as usize;
    lines.saturating_sub(1).clamp(1, MAX_BLANK_LINES)
}

/// Whether a horizontal rule runs between two lines, under some of the text of both.
fn rule_between_lines(above: &RawLine, below: &RawLine, horizontal: &[&Rule]) -> bool {
    let span = |l: &RawLine| {
        let x0 = l.chunks.iter().map(|c| c.x0).fold(f64::INFINITY, f64::min);
        let x1 = l
            .chunks
            .iter()
            .map(|c| c.x1)
            .fold(f64::NEG_INFINITY, f64::max);
        (x0, x1)
    };
    let (a0, a1) = span(above);
    let (b0, b1) = span(below);
    let top = above.y + 0.1 * above.size;
    let bottom = below.y - 0.75 * below.size;
    horizontal
        .iter()
        .any(|r| r.at > top && r.at < bottom && r.from < a1.min(b1) && r.to > a0.max(b0))
}

/// The character column of every stop: its own x position, pushed right past any chunk that
/// precedes it on some line (processed left to right, so pushes propagate).
fn stop_columns<'a>(
    lines: impl Iterator<Item = &'a RawLine>,
    stops: &Stops,
    pitch: f64,
) -> Vec<usize> {
    let left = stops.xs.first().copied().unwrap_or(0.0);
    let mut columns: Vec<usize> = stops
        .xs
        .iter()
        .map(|x| (((x - left) / pitch).round().max(0.0) as usize).min(MAX_COLUMNS))
        .collect();
    // (from stop, to stop, chars of the chunk at `from`) for consecutive chunks on a line
    let mut edges: Vec<(usize, usize, usize)> = Vec::new();
    for line in lines {
        for pair in line.chunks.windows(2) {
            let from = stops.index(pair[0].anchor);
            let to = stops.index(pair[1].anchor);
            edges.push((from, to, pair[0].text.chars().count()));
        }
    }
    edges.sort_by_key(|e| e.1);
    for (from, to, len) in edges {
        if from < to {
            let needed = (columns[from] + len + 2).min(MAX_COLUMNS);
            columns[to] = columns[to].max(needed);
        }
    }
    columns
}

/// Chunk start positions clustered into stops.
#[derive(Debug)]
struct Stops {
    /// Representative x of each stop, ascending.
    xs: Vec<f64>,
    /// Upper x bound of each stop (the last start that fell into it).
    ends: Vec<f64>,
}

impl Stops {
    /// Cluster sorted starts: a start within `tolerance` of the previous one (and of its stop's
    /// first start, so clusters cannot creep) joins that stop.
    fn new(starts: &[f64], tolerance: f64) -> Stops {
        let mut sorted: Vec<f64> = starts.iter().copied().filter(|x| x.is_finite()).collect();
        sorted.sort_by(f64::total_cmp);
        let mut xs: Vec<f64> = Vec::new();
        let mut ends: Vec<f64> = Vec::new();
        for x in sorted {
            match (xs.last(), ends.last_mut()) {
                (Some(first), Some(end))
                    if x - *end <= tolerance && x - first <= 2.0 * tolerance =>
                {
                    *end = x;
                }
                _ => {
                    xs.push(x);
                    ends.push(x);
                }
            }
        }
        Stops { xs, ends }
    }

    /// The stop a start belongs to.
    fn index(&self, x: f64) -> usize {
        let i = self.ends.partition_point(|end| *end < x);
        i.min(self.xs.len().saturating_sub(1))
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Glyphs for `text` starting at x, one per char, 5 pt wide, size 10.
    fn run(text: &str, x: f64, y: f64) -> Vec<Glyph> {
        text.chars()
            .enumerate()
            .map(|(i, c)| Glyph {
                x0: x + 5.0 * i as f64,
                x1: x + 5.0 * (i + 1) as f64,
                y,
                size: 10.0,
                text: c.to_string(),
                confidence: None,
            })
            .collect()
    }

    fn page(runs: Vec<Vec<Glyph>>, rules: Vec<Rule>) -> Page {
        Page {
            number: 1,
            width: 600.0,
            height: 800.0,
            glyphs: runs.into_iter().flatten().collect(),
            rules,
            ..Page::default()
        }
    }

    fn texts(p: &Page) -> Vec<String> {
        layout_page(p, GlyphKind::Letters)
            .into_iter()
            .map(|l| l.text)
            .collect()
    }

    #[test]
    fn words_and_lines() {
        let p = page(
            vec![
                run("Jabatan : Camat", 50.0, 100.0),
                run("Tugas", 50.0, 112.0),
            ],
            vec![],
        );
        assert_eq!(texts(&p), vec!["Jabatan : Camat", "Tugas"]);
    }

    #[test]
    fn gap_without_space_glyph_is_a_word_break() {
        let mut glyphs = run("ab", 50.0, 100.0);
        glyphs.extend(run("cd", 63.0, 100.0));
        let p = page(vec![glyphs], vec![]);
        assert_eq!(texts(&p), vec!["ab cd"]);
    }

    #[test]
    fn cells_line_up_in_columns() {
        let p = page(
            vec![
                run("No", 50.0, 100.0),
                run("Sasaran", 80.0, 100.0),
                run("Target", 200.0, 100.0),
                run("1.", 50.0, 112.0),
                run("Meningkatnya kinerja", 80.0, 112.0),
                run("100 %", 200.0, 112.0),
                run("pegawai", 80.0, 124.0),
            ],
            vec![],
        );
        let lines = texts(&p);
        let col = |line: &str, word: &str| line.find(word).unwrap();
        assert_eq!(col(&lines[0], "Sasaran"), col(&lines[1], "Meningkatnya"));
        assert_eq!(col(&lines[0], "Target"), col(&lines[1], "100 %"));
        assert_eq!(col(&lines[2], "pegawai"), col(&lines[1], "Meningkatnya"));
        assert!(lines[1].contains("Meningkatnya kinerja  "));
    }

    #[test]
    fn long_cell_pushes_the_next_column_right_on_every_line() {
        // Narrow glyphs make "Meningkatnya kinerja pegawai" (28 chars) only 84 pt wide, so by
        // x alone the Target column would start inside it: the column moves right for both
        // lines alike.
        let narrow = |text: &str, x: f64, y: f64| -> Vec<Glyph> {
            run(text, 0.0, y)
                .into_iter()
                .enumerate()
                .map(|(i, g)| Glyph {
                    x0: x + 3.0 * i as f64,
                    x1: x + 3.0 * (i + 1) as f64,
                    ..g
                })
                .collect()
        };
        let p = page(
            vec![
                run("Sasaran", 80.0, 100.0),
                run("Target", 175.0, 100.0),
                narrow("Meningkatnya kinerja pegawai", 80.0, 112.0),
                run("100 %", 175.0, 112.0),
            ],
            vec![],
        );
        let lines = texts(&p);
        assert_eq!(lines[0].find("Target"), lines[1].find("100 %"));
        assert!(lines[1].contains("pegawai  "), "{lines:?}");
    }

    #[test]
    fn centred_header_snaps_to_its_cell_border() {
        let rules = [50.0, 100.0, 200.0]
            .iter()
            .map(|&at| Rule {
                vertical: true,
                at,
                from: 80.0,
                to: 130.0,
            })
            .collect();
        let p = page(
            vec![
                run("Target", 130.0, 100.0),
                run("1.", 52.0, 100.0),
                run("100 %", 103.0, 114.0),
                run("2.", 52.0, 114.0),
            ],
            rules,
        );
        let lines = texts(&p);
        assert_eq!(lines[0].find("Target"), lines[1].find("100 %"), "{lines:?}");
    }

    #[test]
    fn horizontal_rule_between_rows_is_a_blank_line() {
        let rule = Rule {
            vertical: false,
            at: 104.0,
            from: 40.0,
            to: 300.0,
        };
        let p = page(
            vec![run("satu", 50.0, 100.0), run("dua", 50.0, 114.0)],
            vec![rule],
        );
        let lines = layout_page(&p, GlyphKind::Letters);
        assert_eq!(lines[1].blank_before, 1);
    }

    #[test]
    fn vertical_rule_splits_touching_cells() {
        let p = page(
            vec![run("abc", 50.0, 100.0), run("def", 68.0, 100.0)],
            vec![Rule {
                vertical: true,
                at: 66.0,
                from: 80.0,
                to: 120.0,
            }],
        );
        let lines = texts(&p);
        assert!(lines[0].contains("abc  "), "{lines:?}");
    }

    #[test]
    fn big_vertical_gap_gives_blank_lines() {
        let p = page(vec![run("a", 50.0, 100.0), run("b", 50.0, 160.0)], vec![]);
        let lines = layout_page(&p, GlyphKind::Letters);
        assert_eq!(lines[0].blank_before, 0);
        assert!(lines[1].blank_before >= 1);
    }

    #[test]
    fn fake_bold_twins_are_dropped() {
        let mut glyphs = run("IKI", 50.0, 100.0);
        glyphs.extend(run("IKI", 50.5, 100.2));
        let p = page(vec![glyphs], vec![]);
        assert_eq!(texts(&p), vec!["IKI"]);
    }

    #[test]
    fn empty_and_absurd_pages_do_not_panic() {
        assert!(texts(&page(vec![], vec![])).is_empty());
        let g = Glyph {
            x0: f64::NAN,
            x1: 1e300,
            y: -1e300,
            size: 1e-300,
            text: "x".into(),
            confidence: None,
        };
        let p = page(vec![vec![g], run("ok", 1e9, 0.0)], vec![]);
        let _ = texts(&p);
    }
}
