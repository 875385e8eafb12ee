//! A page's ruled tables with their text, as explicit cells.
//!
//! The page's rules (vector rules of the text layer, or rules found in a scan's image) are
//! cut into cell grids ([`crate::grid`]); every glyph or OCR word falls into the cell under
//! its centre, and each cell's words become its text, line by line, so text inside one
//! ruled cell stays together however narrow the cell (a label column that wraps `JAB` /
//! `ATA` / `N` reads `JABATAN`). Glyphs outside every table stay on the page for the layout.

use crate::grid::{find_grids, Grid};
use crate::layout::{plain_lines, GlyphKind, PlainLine};
use crate::page::{Glyph, Page};
use iki_model::structured::{Cell, CellEvidence, Origin, Row, Table, TableEvidence};

/// Rules closer than this many points are one line: PDF rules drawn cell by cell are a
/// fraction of a point apart, rules found in a scan a pixel or two.
pub const RULE_TOLERANCE: f64 = 2.5;
/// OCR words below this confidence count as doubtful in a cell's evidence.
pub const LOW_CONFIDENCE: f32 = 0.6;

/// One ruled table of a page with its cells' text.
#[derive(Debug, Clone, PartialEq)]
pub struct PageTable {
    pub table: Table,
    /// Top and bottom of the table, in points.
    pub top: f64,
    pub bottom: f64,
}

/// The ruled tables of `page` with their text, and the page without the glyphs they took.
pub fn split_tables(page: &Page, kind: GlyphKind) -> (Vec<PageTable>, Page) {
    let grids = find_grids(&page.rules, RULE_TOLERANCE);
    let mut rest = Page {
        glyphs: Vec::new(),
        ..page.clone()
    };
    if grids.is_empty() {
        rest.glyphs = page.glyphs.clone();
        return (Vec::new(), rest);
    }
    // Glyphs of each cell of each grid.
    let mut buckets: Vec<Vec<Vec<&Glyph>>> = grids
        .iter()
        .map(|g| vec![Vec::new(); g.cells.len()])
        .collect();
    for glyph in &page.glyphs {
        let (x, y) = centre(glyph);
        let found = grids
            .iter()
            .enumerate()
            .find_map(|(i, g)| g.cell_at(x, y).map(|c| (i, c)));
        match found {
            Some((grid, cell)) => buckets[grid][cell].push(glyph),
            None => rest.glyphs.push(glyph.clone()),
        }
    }
    let tables = grids
        .iter()
        .zip(buckets)
        .map(|(grid, cells)| page_table(page, grid, cells, kind))
        .collect();
    (tables, rest)
}

/// Where a glyph counts as lying: the middle of its x-height.
fn centre(g: &Glyph) -> (f64, f64) {
    ((g.x0 + g.x1) / 2.0, g.y - 0.3 * g.size)
}

fn page_table(page: &Page, grid: &Grid, cells: Vec<Vec<&Glyph>>, kind: GlyphKind) -> PageTable {
    let origin = |bbox: [f64; 4]| {
        Some(Origin {
            page: page.number as u32,
            bbox: bbox.map(|v| v as f32),
        })
    };
    let mut rows: Vec<Row> = vec![Row::default(); grid.rows()];
    for (cell, glyphs) in grid.cells.iter().zip(cells) {
        let bbox = grid.cell_box(cell);
        rows[cell.row].cells.push(Cell {
            text: cell_text(&glyphs, bbox, kind),
            col_span: cell.cols as u32,
            row_span: cell.rows as u32,
            evidence: evidence(&glyphs, bbox),
            origin: origin(bbox),
        });
    }
    let [_, top, _, bottom] = grid.bbox();
    PageTable {
        table: Table {
            rows,
            evidence: TableEvidence {
                residual_skew_degrees: page.skew_degrees.map(|d| d.abs() as f32),
                inferred_rules: grid.inferred_rules,
            },
            origin: origin(grid.bbox()),
        },
        top,
        bottom,
    }
}

/// A cell's text: its lines joined by `\n`, except where a word too long for the cell was
/// broken across lines (then the pieces join without a break).
fn cell_text(glyphs: &[&Glyph], bbox: [f64; 4], kind: GlyphKind) -> String {
    let lines = plain_lines(glyphs.to_vec(), kind);
    let mut text = String::new();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 && !broken_word(&lines, i - 1, bbox) {
            text.push('\n');
        }
        text.push_str(&line.text);
    }
    text
}

/// Whether line `i` of a cell ends inside a word that goes on at the start of the next line.
/// Both sides of the break must be letters or digits, and the line must fill the cell to its
/// right border (less the padding seen on the left). A filled line is ambiguous on its own:
/// an auto-sized column is exactly as wide as its widest word, which then fills its line too.
/// So the break counts as inside a word only when the cell is too narrow for words (the
/// filled line holds at most [`NARROW_WORD`] characters, "a few letters a line", spaces
/// included: such a cell breaks wherever the width ends) or the line is one word and the
/// next line fills the cell as well (a word broken over three lines or more).
fn broken_word(lines: &[PlainLine], i: usize, bbox: [f64; 4]) -> bool {
    let (line, next) = (&lines[i], &lines[i + 1]);
    let joins =
        line.text.ends_with(char::is_alphanumeric) && next.text.starts_with(char::is_alphanumeric);
    let left = lines.iter().map(|l| l.x0).fold(f64::INFINITY, f64::min);
    let padding = (left - bbox[0]).max(0.0);
    let fills = |l: &PlainLine| {
        let chars = l.text.chars().count();
        let char_width = (l.x1 - l.x0) / chars.max(1) as f64;
        chars > 0 && bbox[2] - padding - l.x1 < 1.2 * char_width
    };
    let narrow = line.text.chars().count() <= NARROW_WORD;
    let one_word = !line.text.contains(' ');
    let next_fills = i + 2 < lines.len() && fills(next);
    joins && fills(line) && (narrow || (one_word && next_fills))
}

/// Most characters a line of a cell too narrow for words holds.
const NARROW_WORD: usize = 5;

/// What the cell's words say about how well it was read.
fn evidence(glyphs: &[&Glyph], [left, top, right, bottom]: [f64; 4]) -> CellEvidence {
    let mut evidence = CellEvidence::default();
    let (mut weighted, mut chars) = (0.0f64, 0.0f64);
    for g in glyphs {
        if let Some(c) = g.confidence {
            let n = g.text.chars().count() as f64;
            weighted += f64::from(c) * n;
            chars += n;
            if c < LOW_CONFIDENCE {
                evidence.low_confidence_words += 1;
            }
        }
        let width = g.x1 - g.x0;
        let slack = RULE_TOLERANCE.max(0.25 * width);
        if g.x0 < left - slack || g.x1 > right + slack {
            evidence.words_crossing_rule += 1;
        }
        let height = g.size;
        if g.y - 0.7 * height < top - 0.5 * height || g.y > bottom + 0.5 * height {
            evidence.overflow = true;
        }
    }
    if chars > 0.0 {
        evidence.ocr_confidence = Some((weighted / chars) as f32);
    }
    evidence
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::Rule;

    /// Glyphs for `text` from x, 5 pt per char, size 10, baseline y.
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

    /// A two-column ruled box: columns at x 40 | 60 | 200, rows at y 80 | 130 | 150.
    fn ruled() -> Vec<Rule> {
        let mut rules = Vec::new();
        for at in [80.0, 130.0, 150.0] {
            rules.push(Rule {
                vertical: false,
                at,
                from: 40.0,
                to: 200.0,
            });
        }
        for at in [40.0, 60.0, 200.0] {
            rules.push(Rule {
                vertical: true,
                at,
                from: 80.0,
                to: 150.0,
            });
        }
        rules
    }

    #[test]
    fn a_word_wrapped_in_a_narrow_cell_reads_whole() {
        // "JABATAN" in a 20 pt column (3 letters a line) beside "Camat", then a row below.
        let mut glyphs = run("JAB", 42.0, 92.0);
        glyphs.extend(run("ATA", 42.0, 104.0));
        glyphs.extend(run("N", 42.0, 116.0));
        glyphs.extend(run("Camat Ranuyoso", 64.0, 92.0));
        glyphs.extend(run("1", 42.0, 142.0));
        glyphs.extend(run("Kepala", 64.0, 142.0));
        glyphs.extend(run("Seksi", 64.0, 175.0)); // below the table
        let page = Page {
            number: 1,
            width: 600.0,
            height: 800.0,
            glyphs,
            rules: ruled(),
            ..Page::default()
        };
        let (tables, rest) = split_tables(&page, GlyphKind::Letters);
        assert_eq!(tables.len(), 1);
        let rows = &tables[0].table.rows;
        assert_eq!(rows.len(), 2);
        let texts: Vec<&str> = rows[0].cells.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["JABATAN", "Camat Ranuyoso"]);
        assert_eq!(rows[1].cells[1].text, "Kepala");
        assert_eq!(rest.glyphs.len(), "Seksi".len());
        let origin = rows[0].cells[0].origin.unwrap();
        assert_eq!(origin.bbox, [40.0, 80.0, 60.0, 130.0]);
    }

    #[test]
    fn words_wrapped_at_spaces_keep_their_lines() {
        // "Camat" does not fill the 140 pt cell: a break between words.
        let mut glyphs = run("Sekretaris", 64.0, 92.0);
        glyphs.extend(run("Camat", 64.0, 104.0));
        let page = Page {
            number: 1,
            glyphs,
            rules: ruled(),
            ..Page::default()
        };
        let (tables, _) = split_tables(&page, GlyphKind::Letters);
        assert_eq!(tables[0].table.rows[0].cells[1].text, "Sekretaris\nCamat");
    }

    #[test]
    fn ocr_evidence_counts_doubtful_and_straddling_words() {
        let word = |text: &str, x0: f64, x1: f64, confidence: f32| Glyph {
            x0,
            x1,
            y: 92.0,
            size: 10.0,
            text: text.to_string(),
            confidence: Some(confidence),
        };
        let page = Page {
            number: 2,
            glyphs: vec![
                word("Persentase", 64.0, 110.0, 0.95),
                word("kegiatan|Jumlah", 115.0, 240.0, 0.4),
            ],
            rules: ruled(),
            ..Page::default()
        };
        let (tables, _) = split_tables(&page, GlyphKind::Words);
        let e = &tables[0].table.rows[0].cells[1].evidence;
        assert_eq!(e.low_confidence_words, 1);
        assert_eq!(e.words_crossing_rule, 1);
        let c = e.ocr_confidence.unwrap();
        assert!(c > 0.6 && c < 0.7, "{c}");
    }

    #[test]
    fn a_page_without_rules_has_no_tables() {
        let page = Page {
            glyphs: run("Jabatan : Camat", 40.0, 100.0),
            ..Page::default()
        };
        let (tables, rest) = split_tables(&page, GlyphKind::Letters);
        assert!(tables.is_empty());
        assert_eq!(rest.glyphs.len(), page.glyphs.len());
    }
}
