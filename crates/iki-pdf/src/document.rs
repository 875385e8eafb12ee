//! A PDF input to an [`IkiDocument`], the way the batch wants it: text layer in the worker,
//! OCR for scans when asked, the text through the same parser as any text dump, and the
//! document's `source` describing the PDF (its hash, size and `format: "pdf"` / `"pdf-ocr"`).
//!
//! Never fails: every [`PdfError`] becomes a failed document with the error's code. With OCR
//! the document and record confidences are multiplied by tesseract's mean word confidence, so
//! they reflect how well the page was read as well as how well it parsed.

use crate::error::PdfError;
use crate::isolate::{extract_isolated_bytes, Limits};
use crate::ocr::{ocr_text_bytes, OcrOptions};
use crate::text::PdfText;
use iki_parser::{failed_document, IkiDocument, SourceFormat, Warning};
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

/// Extract one PDF (display path and raw bytes) into an [`IkiDocument`].
pub fn extract_document(path: &str, bytes: &[u8], config: &PdfConfig) -> IkiDocument {
    match extract_isolated_bytes(&config.exe, bytes, &config.limits) {
        Ok(text) => parsed(path, bytes, &text, SourceFormat::Pdf),
        Err(PdfError::NoTextLayer(message)) => match &config.ocr {
            Some(options) => match ocr_text_bytes(bytes, options) {
                Ok(text) => parsed(path, bytes, &text, SourceFormat::PdfOcr),
                Err(e) => failed(path, bytes, &e),
            },
            None => failed(path, bytes, &PdfError::NoTextLayer(message)),
        },
        Err(e) => failed(path, bytes, &e),
    }
}

/// Parse the layout text and make the document describe the PDF it came from.
fn parsed(path: &str, pdf: &[u8], text: &PdfText, format: SourceFormat) -> IkiDocument {
    let mut doc = iki_parser::extract(path, text.text.as_bytes());
    doc.source = pdf_source(path, pdf, format);
    doc.warnings.extend(
        text.warnings
            .iter()
            .map(|w| Warning::new(&w.code, w.message.clone(), None)),
    );
    if let Some(ocr) = text.ocr_confidence {
        scale_confidence(&mut doc, ocr);
        doc.warnings.push(Warning::new(
            "ocr_text",
            format!("text read by OCR, mean word confidence {ocr:.3}"),
            None,
        ));
    }
    doc
}

fn failed(path: &str, pdf: &[u8], e: &PdfError) -> IkiDocument {
    let mut doc = failed_document(path, pdf, None, e.code(), &e.message());
    doc.source.format = SourceFormat::Pdf;
    doc
}

/// `source` of the PDF file: its hash and size, no text encoding.
fn pdf_source(path: &str, pdf: &[u8], format: SourceFormat) -> iki_parser::Source {
    let mut source = failed_document(path, pdf, None, "", "").source;
    source.format = format;
    source
}

/// Multiply document, record, indicator and signatory confidences by the OCR confidence.
fn scale_confidence(doc: &mut IkiDocument, ocr: f64) {
    let scale = |c: &mut f64| *c = ((*c * ocr).clamp(0.0, 1.0) * 1000.0).round() / 1000.0;
    scale(&mut doc.confidence);
    for r in &mut doc.records {
        scale(&mut r.confidence);
        for i in &mut r.indicators {
            scale(&mut i.confidence);
        }
    }
    for s in &mut doc.signatories {
        scale(&mut s.confidence);
    }
}
