//! Renders hand-checked gold IKI documents (`fixtures/expected/*.json`) back into plain text in
//! the layout families seen in the field (issues #3 and #10), so every fixture becomes many
//! test inputs with a known answer.
//!
//! ```text
//! gold JSON ──GoldDoc──▶ forms (form: fields, table columns/cells, signature blocks)
//!            ──writer──▶ [Line]  (style: one per document, drawn from the seed)
//!                          fields · table (tabs | aligned | pipe | html | flat | spaced |
//!                          pasted | cell lines | shifted pipes | column-major | interleaved |
//!                          paragraph) · signature
//!            ──paragraph (14)──▶ the whole text run together
//!            ──sheet (10)──▶ every line a delimited row
//!            ──furniture (6) | site boilerplate (12, 14)──▶ page breaks, split rows
//!            ──encode (7)──▶ bytes (UTF-8 | BOM | windows-1252, CRLF, NBSP)
//! ```
//!
//! Families 1–8 are the layouts of issue #3; 9–16 draw what real archives from other offices
//! contain and 1–8 do not (`fixtures/README.md`, "Real layouts"): unaligned space runs (9), spreadsheet
//! exports (10), word-processor paste with lost bullet glyphs and labels apart from values (11),
//! web-page text with site boilerplate and rows shifted left (12), OCR reading orders (13),
//! preview paragraphs (14), fractions over lines (15), and form structure — forms running on,
//! labels in a block before their values, header rows broken or glued, renumbered rows (16).
//!
//! ```no_run
//! use iki_render::{render, Family, GoldDoc};
//! let doc = GoldDoc::from_path("fixtures/expected/lumajang-kec-ranuyoso-2023.json".as_ref())?;
//! let r = render(&doc, Family::Layout, 7);
//! let predicted = iki_parser::extract("x.txt", &r.bytes);
//! # Ok::<(), iki_render::GoldError>(())
//! ```
//!
//! The same seed always gives the same bytes. Text values are never changed by a layout, so
//! the answer of a rendering is its gold document, with these exceptions (each the reading a
//! careful reader writes down, as `fixtures/README.md` describes):
//!
//! - **Family 7 with math symbols**: the rumus is printed with "÷" for "dibagi" and "×" for a
//!   lone "x", "X", "*" or "dikali" before a number. The gold `rumus` (and the texts inside
//!   `formula`, which a careful reader takes from the printed rumus) get the same rewriting;
//!   the formula's kind, scale and unit stay.
//! - **Family 15**: a ratio formula printed as a fraction over lines reads `numerator /
//!   denominator x 100%` (the scale as printed), whichever line the scale stood on; that is its
//!   gold `rumus`. The formula's parts stay.
//! - **Family 16 with renumbered rows**: the No column counts from 1 again under each sasaran;
//!   the gold `no` is the number printed.
//!
//! Cases that look like they change the gold but do not: NBSP (gold collapses whitespace),
//! bullet glyphs (a bullet is not text, and a lost one leaves only spaces), OCR slips (only in
//! generic words, months and NIPs, all of which a careful reader undoes; headings, cells and
//! names never slip), a text that windows-1252 cannot hold (written as UTF-8 instead), extra
//! Satuan / Keterangan columns (not scored), a jabatan that repeats the heading printed without
//! its label (the rules take the heading then), line breaks inside a cell (a reader joins them
//! with a space), spreadsheet quoting (a reader unquotes), site boilerplate and page markers
//! (not text of the form).

pub mod calibrate;
mod encode;
mod family;
mod fields;
mod form;
mod fraction;
mod furniture;
mod gold;
mod lines;
mod ocr;
mod order;
mod paragraph;
mod paste;
mod rng;
pub mod score;
mod segmentation;
mod sheet;
mod signature;
mod spaced;
mod style;
mod table;
mod text;
mod writer;

pub use family::Family;
pub use gold::{
    load_dir, GoldDoc, GoldError, GoldFormula, GoldIndicator, GoldItem, GoldRecord, GoldRole,
    GoldSignatory, GoldTarget,
};
pub use ocr::repair_nip;
pub use segmentation::Segmentation;

use serde_json::Value;

use crate::rng::Dice;
use crate::style::Style;

/// One rendering of a gold document.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendering {
    /// The text as a file would hold it.
    pub bytes: Vec<u8>,
    /// Its answer: the gold document, adjusted where the family requires (see crate docs).
    pub gold: Value,
    /// A short description of the choices the seed made, for people inspecting renderings.
    pub variant: String,
}

/// Renders `doc` in `family`; `seed` (mixed with a fingerprint of the document) picks the
/// variant: widths, wrap points, labels, slips, furniture, encoding.
pub fn render(doc: &GoldDoc, family: Family, seed: u64) -> Rendering {
    let fingerprint = rng::fingerprint(doc.value.to_string().as_bytes());
    let mut dice = Dice::for_document(family, seed, fingerprint);
    let style = Style::pick(family, &mut dice);
    render_style(doc, &style, &mut dice)
}

/// Renders `doc` in the corpus' plain style with its tables in `segmentation` (no furniture,
/// no slips, no encoding marks); `seed` picks words, blank lines and wrap points. The answer is
/// the gold document itself.
pub fn render_segmented(doc: &GoldDoc, segmentation: Segmentation, seed: u64) -> Rendering {
    let fingerprint = rng::fingerprint(doc.value.to_string().as_bytes());
    let mut dice = Dice::for_document(segmentation.family(), seed, fingerprint);
    let style = Style::segmented(segmentation, &mut dice);
    render_style(doc, &style, &mut dice)
}

/// Writes, paginates and encodes `doc` in `style`.
fn render_style(doc: &GoldDoc, style: &Style, dice: &mut Dice) -> Rendering {
    let mut lines = writer::write(doc, style, dice);
    if let Some(n) = style.paragraphs {
        lines = paragraph::run_together(lines, n, dice);
    }
    if let Some(sheet) = &style.sheet {
        lines = sheet::rows(lines, sheet, dice);
    }
    let mut pages = None;
    if style.furniture {
        let year = doc.records.iter().find_map(|r| r.year);
        let (paged, description) = furniture::paginate(lines, year, dice);
        lines = paged;
        pages = Some(description);
    } else if style.site {
        let (paged, description) = furniture::paginate_site(lines, dice);
        lines = paged;
        pages = Some(description);
    }
    let mut text = lines::join(&lines);
    let mut encoding = "utf-8";
    let bytes = if style.family == Family::Encoding {
        if style.marks.nbsp {
            text = encode::sprinkle_nbsp(&text, dice);
        }
        let (bytes, name) = encode::encode(&text, &style.marks);
        encoding = name;
        bytes
    } else {
        text.into_bytes()
    };
    Rendering {
        bytes,
        gold: gold_for(doc, style),
        variant: describe(style, encoding, pages),
    }
}

/// The answer of a rendering in `style`.
fn gold_for(doc: &GoldDoc, style: &Style) -> Value {
    let mut gold = doc.value.clone();
    if style.marks.math {
        rewrite_rumus(&mut gold);
    }
    if style.fractions.is_some() || style.renumber {
        rewrite_rows(doc, style, &mut gold);
    }
    gold
}

/// Family 15: a rumus printed as a fraction reads "numerator / denominator x 100%"; family 16:
/// renumbered rows have the number printed.
fn rewrite_rows(doc: &GoldDoc, style: &Style, gold: &mut Value) {
    let Some(records) = gold.get_mut("records").and_then(Value::as_array_mut) else {
        return;
    };
    for (record, value) in doc.records.iter().zip(records) {
        let Some(rows) = value.get_mut("indicators").and_then(Value::as_array_mut) else {
            continue;
        };
        let numbers = style.renumber.then(|| form::renumbered(&record.indicators));
        for (i, (ind, row)) in record.indicators.iter().zip(rows).enumerate() {
            let Some(row) = row.as_object_mut() else {
                continue;
            };
            if let Some(f) = style.fractions.and_then(|_| fraction::Fraction::of(ind)) {
                row.insert("rumus".to_string(), Value::String(f.rumus()));
            }
            if let (Some(numbers), true) = (&numbers, row.contains_key("no")) {
                row.insert("no".to_string(), numbers[i].clone().into());
            }
        }
    }
}

/// Applies the ÷ / × rewriting to every indicator's `rumus` and the texts of its `formula`.
fn rewrite_rumus(gold: &mut Value) {
    let Some(records) = gold.get_mut("records").and_then(Value::as_array_mut) else {
        return;
    };
    for record in records {
        let Some(indicators) = record.get_mut("indicators").and_then(Value::as_array_mut) else {
            continue;
        };
        for ind in indicators {
            if let Some(rumus) = ind.get_mut("rumus") {
                rewrite_strings(rumus);
            }
            if let Some(formula) = ind.get_mut("formula") {
                rewrite_strings(formula);
            }
        }
    }
}

/// Rewrites every string inside `value` except the formula's `kind`.
fn rewrite_strings(value: &mut Value) {
    match value {
        Value::String(s) => *s = text::math_symbols(s),
        Value::Array(items) => items.iter_mut().for_each(rewrite_strings),
        Value::Object(map) => map
            .iter_mut()
            .filter(|(k, _)| k.as_str() != "kind")
            .for_each(|(_, v)| rewrite_strings(v)),
        _ => {}
    }
}

fn describe(style: &Style, encoding: &str, pages: Option<String>) -> String {
    let mut parts = vec![format!("table {:?}", style.table)];
    let l = &style.labels;
    parts.push(format!(
        "labels numbering={:?} upper={} dot={} next_line={} tabs={} flat={}",
        l.numbering, l.upper, l.dot, l.next_line, l.tabs, l.flat
    ));
    if style.title.markup != style::TitleMarkup::None {
        parts.push(format!("title {:?}", style.title.markup));
    }
    if style.signs.two_column {
        parts.push("signatures side by side".to_string());
    }
    if !style.elide_continuation {
        parts.push("continuation rows repeat no/sasaran".to_string());
    }
    if !style.extras.is_empty() {
        parts.push(format!("extras {:?}", style.extras));
    }
    if l.apart != style::Apart::No {
        parts.push(format!("labels apart {:?}", l.apart));
    }
    if style.header_rows != style::HeaderRows::One {
        parts.push(format!("header row {:?}", style.header_rows));
    }
    if let Some(sheet) = &style.sheet {
        parts.push(format!(
            "sheet delimiter {:?} quote_all={} pad={} line_breaks={}",
            sheet.delimiter, sheet.quote_all, sheet.pad, sheet.line_breaks
        ));
    }
    if let Some(f) = style.fractions {
        parts.push(format!(
            "fractions dashes={} scale at {:?}",
            f.dashes, f.scale_at
        ));
    }
    if let Some(n) = style.paragraphs {
        parts.push(format!("whole text in paragraphs of ~{n} lines"));
    }
    if style.run_on {
        parts.push("forms run on".to_string());
    }
    if style.renumber {
        parts.push("renumbered per sasaran".to_string());
    }
    if style.marks.bullet.is_empty() {
        parts.push("bullet glyphs lost".to_string());
    }
    if style.family == Family::Encoding {
        let m = &style.marks;
        parts.push(format!(
            "{encoding} crlf={} nbsp={} math={} bullet={:?}",
            m.crlf, m.nbsp, m.math, m.bullet
        ));
    }
    parts.extend(pages);
    parts.join("; ")
}
