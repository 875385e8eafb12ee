//! PDF input for iki: text-layer PDFs become layout text that reads like `pdftotext -layout`,
//! hostile PDFs are read in a worker process that may die without harm, and scans are read by
//! OCR.
//!
//! ```text
//! bytes ──textlayer──▶ lopdf Document (header, encryption, page-tree and size checks)
//!       ──pdf-extract OutputDev (collect)──▶ glyphs + ruling lines per page, turned upright (page)
//!       ──layout──▶ lines, words, cells snapped to character columns
//!       ──margins──▶ running headers / footers removed
//!       ──text──▶ PdfText { text: pages joined by '\x0c', warnings }
//! scans: pdftoppm ──▶ PNG ──tesseract TSV (ocr)──▶ words as glyphs ──▶ the same layout
//! isolation: extract_isolated ── `exe __pdf-worker` (worker_main) with time and memory limits
//! batch:     read_pdf ── isolated text layer, OCR fallback
//! ```
//!
//! The caller (`iki-extract`) parses the text like any text dump; a document read from a PDF
//! gets `source.format: "pdf"` (or `"pdf-ocr"`), and an error's [`PdfError::code`] is the
//! contract's error code. This crate depends on the contract types, not on the parser.

mod collect;
mod document;
mod error;
mod fonts;
pub mod grid;
mod isolate;
pub mod layout;
mod margins;
mod ocr;
pub mod page;
mod tables;
mod text;
mod textlayer;
mod worker;
mod xobjects;

pub use document::{read_pdf, PdfConfig};
pub use error::PdfError;
pub use isolate::{
    extract_isolated, extract_isolated_bytes, run_worker, Limits, Request, Response, PROTOCOL,
    WORKER_ARG,
};
pub use ocr::{ocr_available, ocr_text, ocr_text_bytes, OcrOptions, OCR_PACKAGES};
pub use text::{PdfText, PdfWarning, TextOrigin, MAX_TEXT_BYTES};
pub use textlayer::{layout_text, layout_text_with, text_layer_pages, Options};
pub use worker::{serve, worker_main};

/// Whether `bytes` start like a PDF (`%PDF-` within the first 1024 bytes).
pub fn looks_like_pdf(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(1024)]
        .windows(5)
        .any(|w| w == b"%PDF-")
}
