//! A PDF input read the way the batch wants it: the text layer in the isolated worker, OCR
//! for scans when asked. What comes out is text (or, for scans read as ruled tables, cells)
//! plus warnings; the caller parses it, so this crate knows nothing of the parser.

use crate::error::PdfError;
use crate::isolate::{extract_isolated_bytes, Limits};
use crate::ocr::{ocr_image, ocr_text_bytes, OcrOptions};
use crate::text::PdfText;
use std::path::PathBuf;

/// How the batch reads PDFs.
#[derive(Debug, Clone)]
pub struct PdfConfig {
    /// The binary started as `exe __pdf-worker` (the `iki` binary itself).
    pub exe: PathBuf,
    pub limits: Limits,
    /// `Some` with `--ocr`: PDFs without a text layer are read by OCR.
    pub ocr: Option<OcrOptions>,
}

/// Read one PDF's text: its text layer, or OCR when it has none and OCR is configured.
/// `PdfText::origin` says which.
pub fn read_pdf(bytes: &[u8], config: &PdfConfig) -> Result<PdfText, PdfError> {
    match extract_isolated_bytes(&config.exe, bytes, &config.limits) {
        Err(PdfError::NoTextLayer(message)) => match &config.ocr {
            Some(options) => ocr_text_bytes(bytes, options),
            None => Err(PdfError::NoTextLayer(message)),
        },
        other => other,
    }
}

/// Read a page image file (PNG, JPEG, TIFF) by OCR; without OCR configured it cannot be read.
pub fn read_image(bytes: &[u8], config: &PdfConfig) -> Result<PdfText, PdfError> {
    match &config.ocr {
        Some(options) => ocr_image(bytes, options),
        None => Err(PdfError::OcrUnavailable(
            "image input is read by OCR only; run with --ocr".to_string(),
        )),
    }
}
