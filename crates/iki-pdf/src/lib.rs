//! PDF and scan input for iki: text-layer PDFs become layout text that reads like
//! `pdftotext -layout` plus their ruled tables as explicit cells, hostile PDFs are read in a
//! worker process that may die without harm, and scans (image-only PDFs, PNG, JPEG, TIFF)
//! are read by OCR with their ruled tables found in the page image.
//!
//! ```text
//! bytes ──textlayer──▶ lopdf Document (header, encryption, page-tree and size checks)
//!       ──pdf-extract OutputDev (collect)──▶ glyphs + ruling lines per page, turned upright (page)
//!       ──grid, tables──▶ ruled tables as cells (glyphs placed in their cells)
//!       ──layout──▶ the other glyphs as lines, words, cells snapped to character columns
//!       ──margins──▶ running headers / footers removed
//!       ──text──▶ PdfText { text: pages joined by '\x0c', structured: cells, warnings }
//! scans: pdftoppm / image decoding ──scan (deskew, rules, tesseract)──▶ words and rules as a
//!        page ──▶ the same tables and layout (ocr: pages side by side, a time limit each)
//! isolation: extract_isolated ── `exe __pdf-worker` (worker_main) with time and memory limits;
//!            read_pdf starts any WorkerCommand (the CLI itself, or the Python package's script)
//! batch:     read_pdf ── isolated text layer, OCR fallback; read_image ── OCR
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
mod scan;
mod tables;
mod text;
mod textlayer;
mod worker;
mod xobjects;

pub use document::{read_image, read_pdf, PdfConfig, WorkerCommand};
pub use error::PdfError;
pub use isolate::{
    extract_isolated, extract_isolated_bytes, run_worker, Limits, Request, Response, PROTOCOL,
    WORKER_ARG,
};
pub use ocr::{
    ocr_available, ocr_image, ocr_text, ocr_text_bytes, OcrOptions, OcrSlots, DEFAULT_PAGE_TIMEOUT,
    OCR_PACKAGES,
};
pub use text::{PdfText, PdfWarning, TextOrigin, MAX_TEXT_BYTES};
pub use textlayer::{layout_text, layout_text_with, text_layer_pages, Options};
pub use worker::{serve, worker_main};

/// Whether `bytes` start like a PDF (`%PDF-` within the first 1024 bytes).
pub fn looks_like_pdf(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(1024)]
        .windows(5)
        .any(|w| w == b"%PDF-")
}
