//! The result of reading a PDF: layout text plus what a reader should know about it, and the
//! assembly step shared by the text layer and OCR (layout every page, drop running headers and
//! footers, join pages with form feeds as `pdftotext` does). Pages with ruled tables also
//! give explicit cells ([`PdfText::structured`]): the tables as given cells, the text around
//! them as layout lines.

use crate::error::PdfError;
use crate::layout::{layout_pages, GlyphKind, TextLine};
use crate::margins::remove_running_lines;
use crate::page::Page;
use crate::tables::{split_tables, PageTable};
use iki_model::structured::{Block, Origin, StructuredText};
use iki_model::WarningCode;
use serde::{Deserialize, Serialize};

/// Longest text a PDF may produce, in bytes.
pub const MAX_TEXT_BYTES: usize = 64 << 20;

/// Where the text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextOrigin {
    /// The PDF's own text layer.
    TextLayer,
    /// Rendered pages read by tesseract.
    Ocr,
}

/// Something worth knowing about the text, with a stable snake_case code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PdfWarning {
    pub code: WarningCode,
    pub message: String,
    /// 1-based page it concerns, if one.
    pub page: Option<usize>,
}

impl PdfWarning {
    pub fn new(code: WarningCode, message: String, page: Option<usize>) -> PdfWarning {
        PdfWarning {
            code,
            message,
            page,
        }
    }
}

/// Layout text of a PDF: pages end with a form feed (`\x0c`), columns are space-aligned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PdfText {
    pub text: String,
    /// Pages read.
    pub pages: usize,
    pub origin: TextOrigin,
    /// OCR only: mean word confidence in [0, 1], weighted by word length.
    pub ocr_confidence: Option<f64>,
    pub warnings: Vec<PdfWarning>,
    /// When some page has a ruled table: the document with its tables as explicit cells
    /// (read this rather than `text`, which lays the tables out as columns).
    pub structured: Option<StructuredText>,
}

/// Lay out `pages`, remove running headers and footers and join the pages. Fails with
/// `no_text_layer` when no page holds any visible text.
pub fn assemble(
    pages: &[Page],
    kind: GlyphKind,
    origin: TextOrigin,
    mut warnings: Vec<PdfWarning>,
) -> Result<PdfText, PdfError> {
    let mut laid: Vec<Vec<TextLine>> = layout_pages(pages, kind);
    let removed = remove_running_lines(&mut laid);
    if removed > 0 {
        warnings.push(PdfWarning::new(
            WarningCode::PdfRunningLinesRemoved,
            format!("{removed} running header/footer lines removed"),
            None,
        ));
    }
    let with_text = laid.iter().filter(|l| !l.is_empty()).count();
    if with_text == 0 {
        return Err(PdfError::NoTextLayer(format!(
            "the PDF has {} page(s) but no text layer (a scan?); --ocr reads it",
            pages.len()
        )));
    }
    warnings.extend(page_warnings(pages, &laid));
    let text = join_pages(&laid)?;
    if text.contains('\u{FFFD}') {
        warnings.push(PdfWarning::new(
            WarningCode::PdfUnmappedGlyphs,
            "some glyphs have no Unicode mapping and show as U+FFFD".to_string(),
            None,
        ));
    }
    Ok(PdfText {
        text,
        pages: pages.len(),
        origin,
        ocr_confidence: None,
        warnings,
        structured: structure(pages, kind),
    })
}

/// The pages as blocks: each ruled table as a table of cells, the text around it laid out as
/// lines (running headers and footers removed, with the tables standing as body text), a
/// page break after each page. `None` when no page has a ruled table.
fn structure(pages: &[Page], kind: GlyphKind) -> Option<StructuredText> {
    let (tables, bare): (Vec<Vec<PageTable>>, Vec<Page>) =
        pages.iter().map(|p| split_tables(p, kind)).unzip();
    if tables.iter().all(Vec::is_empty) {
        return None;
    }
    let mut laid = layout_pages(&bare, kind);
    // A table enters the margin analysis as two body lines of no text (never a candidate
    // header), at its top and its bottom.
    for (lines, tables) in laid.iter_mut().zip(&tables) {
        for t in tables {
            for y in [t.top, t.bottom] {
                let at = lines.partition_point(|l| l.y < y);
                lines.insert(at, stand_in(y));
            }
        }
    }
    remove_running_lines(&mut laid);
    let mut blocks = Vec::new();
    for ((lines, tables), page) in laid.into_iter().zip(tables).zip(&bare) {
        let mut tables = tables.into_iter();
        let mut stand_ins = 0;
        for line in lines {
            if line.text.is_empty() {
                if stand_ins % 2 == 0 {
                    if let Some(t) = tables.next() {
                        blocks.push(Block::Table(t.table));
                    }
                }
                stand_ins += 1;
                continue;
            }
            blocks.extend((0..line.blank_before).map(|_| Block::line("")));
            let origin = Origin {
                page: page.number as u32,
                bbox: [
                    0.0,
                    (line.y - line.size) as f32,
                    page.width as f32,
                    line.y as f32,
                ],
            };
            blocks.push(Block::Line(iki_model::structured::TextLine {
                text: line.text,
                origin: Some(origin),
            }));
        }
        blocks.extend(tables.map(|t| Block::Table(t.table)));
        blocks.push(Block::PageBreak {
            page: page.number as u32,
        });
    }
    Some(StructuredText { blocks })
}

/// A line of no text standing for a table edge at height `y`.
fn stand_in(y: f64) -> TextLine {
    TextLine {
        text: String::new(),
        y,
        size: 10.0,
        blank_before: 0,
    }
}

/// Per-page notes: turned pages, text in a second direction, pages without text.
fn page_warnings(pages: &[Page], laid: &[Vec<TextLine>]) -> Vec<PdfWarning> {
    let mut out = Vec::new();
    for (page, lines) in pages.iter().zip(laid) {
        let n = Some(page.number);
        if page.quarter_turns != 0 && !lines.is_empty() {
            let degrees = 90 * page.quarter_turns as u32;
            let message = format!("page text runs at {degrees} degrees; read turned upright");
            out.push(PdfWarning::new(WarningCode::PdfPageRotated, message, n));
        }
        if page.skipped_glyphs > 0 {
            let message = format!(
                "{} glyphs written in another direction than the page's text were left out",
                page.skipped_glyphs
            );
            out.push(PdfWarning::new(WarningCode::PdfTextSkipped, message, n));
        }
        if lines.is_empty() {
            let message = "page has no text layer (a scanned page?)".to_string();
            out.push(PdfWarning::new(WarningCode::PdfPageWithoutText, message, n));
        }
    }
    out
}

/// Lines with their blank lines, each page closed by a form feed.
fn join_pages(pages: &[Vec<TextLine>]) -> Result<String, PdfError> {
    let mut text = String::new();
    for lines in pages {
        for line in lines {
            for _ in 0..line.blank_before {
                text.push('\n');
            }
            text.push_str(&line.text);
            text.push('\n');
        }
        text.push('\x0c');
        if text.len() > MAX_TEXT_BYTES {
            return Err(PdfError::TooLarge(format!(
                "the PDF's text is over {} MiB",
                MAX_TEXT_BYTES >> 20
            )));
        }
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::Glyph;

    fn page_with(text: &str, number: usize) -> Page {
        Page {
            number,
            width: 600.0,
            height: 800.0,
            glyphs: text
                .chars()
                .enumerate()
                .map(|(i, c)| Glyph {
                    x0: 50.0 + 5.0 * i as f64,
                    x1: 55.0 + 5.0 * i as f64,
                    y: 100.0,
                    size: 10.0,
                    text: c.to_string(),
                    confidence: None,
                })
                .collect(),
            ..Page::default()
        }
    }

    #[test]
    fn pages_end_with_form_feeds() {
        let pages = [page_with("satu", 1), page_with("dua", 2)];
        let t = assemble(&pages, GlyphKind::Letters, TextOrigin::TextLayer, vec![]).unwrap();
        assert_eq!(t.text, "satu\n\x0cdua\n\x0c");
        assert_eq!(t.pages, 2);
    }

    #[test]
    fn no_text_at_all_is_no_text_layer() {
        let pages = [page_with("", 1)];
        let e = assemble(&pages, GlyphKind::Letters, TextOrigin::TextLayer, vec![]).unwrap_err();
        assert_eq!(e.code().as_str(), "no_text_layer");
    }

    #[test]
    fn an_empty_page_among_others_is_a_warning() {
        let pages = [page_with("isi", 1), page_with("", 2)];
        let t = assemble(&pages, GlyphKind::Letters, TextOrigin::TextLayer, vec![]).unwrap();
        assert!(t
            .warnings
            .iter()
            .any(|w| w.code == WarningCode::PdfPageWithoutText && w.page == Some(2)));
    }
}
