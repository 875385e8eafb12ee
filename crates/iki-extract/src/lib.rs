//! One input to one [`IkiDocument`]: the place where readers meet the parser.
//!
//! ```text
//! (format, path, bytes) ──text──▶ iki_parser::extract
//!                       ──pdf───▶ iki_pdf::read_pdf (isolated child, OCR fallback) ─┐
//!                       ──image─▶ iki_pdf::read_image (OCR, with --ocr) ────────────┤
//!                                   explicit cells: iki_parser::extract_structured ◀┤
//!                                   layout text:    iki_parser::extract_text ◀──────┘
//!                       ──other─▶ failed document with the reason (until a reader exists)
//! ```
//!
//! The batch driver, the CLI and the Python package all build their extractor here, so a
//! format is read the same way everywhere. Settings travel in [`Config`] (no globals).
//! Reading a PDF or an image runs under [`ParseClock::reading`]: it has its own time limits
//! (`--pdf-timeout`, `--ocr-timeout`), and only the parse counts against `--parse-timeout`.

mod scan_evidence;

use std::sync::Arc;

pub use scan_evidence::{ScanEvidence, Weights, WEIGHTS};

use iki_model::clock::ParseClock;
use iki_model::{
    failed_document, source, ErrorCode, IkiDocument, InputFormat, SourceFormat, Warning,
    WarningCode,
};
use iki_pdf::{PdfConfig, PdfError, PdfText, TextOrigin};

/// How inputs other than plain text are read.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Reads `.pdf` inputs; without it they fail with `pdf_unsupported`.
    pub pdf: Option<PdfConfig>,
}

/// A shareable extractor for the batch driver (`iki_batch::Extractor`).
pub type Extractor =
    Arc<dyn Fn(InputFormat, &str, &[u8], &ParseClock) -> IkiDocument + Send + Sync>;

/// The extractor of `config`.
pub fn extractor(config: Config) -> Extractor {
    Arc::new(move |format, path, bytes, clock| extract_timed(format, path, bytes, &config, clock))
}

/// Extract one input of a known format. Never fails: every problem is a failed document.
pub fn extract(format: InputFormat, path: &str, bytes: &[u8], config: &Config) -> IkiDocument {
    extract_timed(format, path, bytes, config, &ParseClock::start())
}

/// [`extract`], reading PDFs and images under `clock`'s [`ParseClock::reading`].
pub fn extract_timed(
    format: InputFormat,
    path: &str,
    bytes: &[u8],
    config: &Config,
    clock: &ParseClock,
) -> IkiDocument {
    match format {
        InputFormat::Text => iki_parser::extract(path, bytes),
        InputFormat::Pdf => match &config.pdf {
            Some(pdf) => pdf_document(
                path,
                bytes,
                SourceFormat::Pdf,
                clock.reading(|| iki_pdf::read_pdf(bytes, pdf)),
            ),
            None => unsupported(
                path,
                bytes,
                format,
                ErrorCode::PdfUnsupported,
                "PDF input is not enabled here; convert it to text first",
            ),
        },
        InputFormat::Image => match config.pdf.as_ref().filter(|p| p.ocr.is_some()) {
            Some(pdf) => pdf_document(
                path,
                bytes,
                SourceFormat::ImageOcr,
                clock.reading(|| iki_pdf::read_image(bytes, pdf)),
            ),
            None => unsupported(
                path,
                bytes,
                format,
                ErrorCode::ImageUnsupported,
                "image input is read by OCR only; run with --ocr",
            ),
        },
        InputFormat::Docx
        | InputFormat::Odt
        | InputFormat::Doc
        | InputFormat::Xlsx
        | InputFormat::Xls
        | InputFormat::Ods => unsupported(
            path,
            bytes,
            format,
            ErrorCode::OfficeUnsupported,
            "office files are not read yet; save the file as text or PDF",
        ),
    }
}

/// The format `bytes` announce, else the one `path` names, else text.
pub fn recognise(path: &str, bytes: &[u8]) -> InputFormat {
    InputFormat::sniff(bytes)
        .or_else(|| InputFormat::from_name(path))
        .unwrap_or(InputFormat::Text)
}

fn unsupported(
    path: &str,
    bytes: &[u8],
    format: InputFormat,
    code: ErrorCode,
    message: &str,
) -> IkiDocument {
    failed_document(
        source(path, bytes, format.source_format(), None),
        code,
        message,
    )
}

/// Parse what was read from a PDF or a page image (its cells when it has them, else its
/// layout text) and make the document describe the file it came from. `format` is the
/// source format when no OCR was needed. OCR'd text gets its confidences scaled by its
/// [`ScanEvidence`].
pub fn pdf_document(
    path: &str,
    bytes: &[u8],
    format: SourceFormat,
    read: Result<PdfText, PdfError>,
) -> IkiDocument {
    let text = match read {
        Ok(text) => text,
        Err(e) => return failed_document(source(path, bytes, format, None), e.code(), e.message()),
    };
    let format = match (text.origin, format) {
        (TextOrigin::Ocr, SourceFormat::Pdf) => SourceFormat::PdfOcr,
        _ => format,
    };
    let source = source(path, bytes, format, None);
    let mut doc = match &text.structured {
        Some(cells) => iki_parser::extract_structured(source, cells),
        None => iki_parser::extract_text(source, &text.text),
    };
    doc.warnings.extend(
        text.warnings
            .iter()
            .map(|w| Warning::new(w.code.clone(), w.message.clone(), None)),
    );
    if let Some(evidence) = ScanEvidence::of(&text) {
        scale_confidence(&mut doc, evidence.factor(&WEIGHTS));
        doc.warnings.push(Warning::new(
            WarningCode::OcrText,
            format!(
                "text read by OCR, mean word confidence {:.3}, {:.0}% of ruled cells in doubt",
                evidence.word_confidence,
                100.0 * evidence.doubtful_cells
            ),
            None,
        ));
    }
    doc
}

/// Multiply document, record, indicator and signatory confidences by the OCR factor.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_fails_without_a_pdf_reader() {
        let doc = extract(
            InputFormat::Pdf,
            "scan.PDF",
            b"%PDF-1.4",
            &Config::default(),
        );
        assert_eq!(doc.error.unwrap().code, ErrorCode::PdfUnsupported);
        assert_eq!(doc.source.format, SourceFormat::Pdf);
        assert_eq!(doc.source.bytes, 8);
    }

    #[test]
    fn content_decides_before_the_name() {
        assert_eq!(recognise("form.txt", b"%PDF-1.7\n..."), InputFormat::Pdf);
        assert_eq!(recognise("form.pdf", b"INDIKATOR"), InputFormat::Pdf);
        assert_eq!(recognise("-", b"INDIKATOR"), InputFormat::Text);
    }
}
