//! What OCR says about how well a scan was read, as one factor on every confidence of its
//! document. Until the parser weighs the cells' evidence itself, this is where a scan's
//! confidence learns from its reading: the mean word confidence, the share of ruled cells in
//! doubt (low-confidence words, words crossing a rule, text beyond the cell), whether any
//! ruled table was found at all (unruled tables are read by the layout alone) and pages that
//! could not be read.
//!
//! The weights are fitted on the scan renderings with a known answer (`iki-scans --fit`,
//! leave one variant out); see the README's scan table.

use iki_model::structured::{Block, StructuredText};
use iki_model::WarningCode;
use iki_pdf::{PdfText, TextOrigin};

/// How much each piece of evidence lowers confidence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    /// Power of the mean word confidence.
    pub word: f64,
    /// Factor lost per unit share of doubtful cells.
    pub doubtful: f64,
    /// Factor lost when no page has a ruled table.
    pub unruled: f64,
}

/// Fitted by `iki-scans --fit` on 12 scan renderings (7 variants of two fixtures, seed 0):
/// mean |confidence − accuracy| 0.044 with each variant held out in turn (0.113 with the
/// mean word confidence alone as the factor).
pub const WEIGHTS: Weights = Weights {
    word: 1.75,
    doubtful: 0.7,
    unruled: 0.0,
};

/// The evidence of one OCR'd document.
#[derive(Debug, Clone, PartialEq)]
pub struct ScanEvidence {
    /// Mean OCR word confidence, 0..1.
    pub word_confidence: f64,
    /// Share of ruled cells with text in doubt.
    pub doubtful_cells: f64,
    pub tables: usize,
    /// Share of pages that could not be read.
    pub failed_pages: f64,
}

impl ScanEvidence {
    /// The evidence of what a reader gave; `None` for text that was not OCR'd.
    pub fn of(text: &PdfText) -> Option<ScanEvidence> {
        if text.origin != TextOrigin::Ocr {
            return None;
        }
        let (cells, doubtful, tables) = text.structured.as_ref().map_or((0, 0, 0), count_cells);
        let failed = text
            .warnings
            .iter()
            .filter(|w| w.code == WarningCode::PdfPageFailed && w.page.is_some())
            .count();
        Some(ScanEvidence {
            word_confidence: text.ocr_confidence.unwrap_or(0.0),
            doubtful_cells: if cells == 0 {
                0.0
            } else {
                doubtful as f64 / cells as f64
            },
            tables,
            failed_pages: failed as f64 / (text.pages + failed).max(1) as f64,
        })
    }

    /// The factor on every confidence of the document, with `weights`.
    pub fn factor(&self, weights: &Weights) -> f64 {
        let mut f = self.word_confidence.clamp(0.0, 1.0).powf(weights.word);
        f *= 1.0 - (weights.doubtful * self.doubtful_cells).min(1.0);
        if self.tables == 0 {
            f *= 1.0 - weights.unruled;
        }
        f *= 1.0 - self.failed_pages;
        f.clamp(0.0, 1.0)
    }
}

/// (cells with text, of them in doubt, tables)
fn count_cells(doc: &StructuredText) -> (usize, usize, usize) {
    let (mut cells, mut doubtful, mut tables) = (0, 0, 0);
    for block in &doc.blocks {
        if let Block::Table(t) = block {
            tables += 1;
            for c in t.rows.iter().flat_map(|r| &r.cells) {
                if c.text.trim().is_empty() {
                    continue;
                }
                cells += 1;
                doubtful += usize::from(c.evidence.is_doubtful());
            }
        }
    }
    (cells, doubtful, tables)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evidence(doubtful_cells: f64, tables: usize) -> ScanEvidence {
        ScanEvidence {
            word_confidence: 0.9,
            doubtful_cells,
            tables,
            failed_pages: 0.0,
        }
    }

    #[test]
    fn more_doubt_lowers_the_factor() {
        let w = Weights {
            word: 1.0,
            doubtful: 0.5,
            unruled: 0.1,
        };
        let clean = evidence(0.0, 2).factor(&w);
        assert!((clean - 0.9).abs() < 1e-9);
        assert!(evidence(0.2, 2).factor(&w) < clean);
        assert!(evidence(0.0, 0).factor(&w) < clean);
        assert!(evidence(5.0, 0).factor(&w) >= 0.0);
    }
}
