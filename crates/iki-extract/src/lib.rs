//! One input to one [`IkiDocument`]: the place where readers meet the parser.
//!
//! ```text
//! (format, path, bytes) ──text──▶ iki_parser::extract
//!                       ──pdf───▶ iki_pdf::read_pdf (isolated child, OCR fallback) ─┐
//!                       ──image─▶ iki_pdf::read_image (OCR, with --ocr) ────────────┤
//!                                   explicit cells: iki_parser::extract_structured ◀┤
//!                                   layout text:    iki_parser::extract_text ◀──────┘
//!                       ──office▶ iki_office::read_office (.doc via isolated LibreOffice) ──▶ iki_parser::extract_structured
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
    failed_document, source, ErrorCode, IkiDocument, InputFormat, SourceFormat, Status, Warning,
    WarningCode,
};
use iki_office::{OfficeConfig, OfficeError, OfficeText};
use iki_pdf::{PdfConfig, PdfError, PdfText, TextOrigin};

/// How inputs other than plain text are read.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Reads `.pdf` inputs; without it they fail with `pdf_unsupported`.
    pub pdf: Option<PdfConfig>,
    /// Reads office files; its LibreOffice (`--office`) converts legacy `.doc`.
    pub office: OfficeConfig,
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
        | InputFormat::Ods => office_document(
            path,
            bytes,
            format,
            iki_office::read_office(format, bytes, &config.office),
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
    let page_lines = page_start_lines(&text.text);
    doc.warnings
        .extend(text.warnings.iter().map(|w| match w.page {
            Some(page) => Warning::new(
                w.code.clone(),
                format!("page {page}: {}", w.message),
                page_lines.get(page - 1).copied(),
            ),
            None => Warning::new(w.code.clone(), w.message.clone(), None),
        }));
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
    account_for_lost_pages(&mut doc, &text, &page_lines);
    doc
}

/// Parse an office file's cells and make the document describe the file it came from.
fn office_document(
    path: &str,
    bytes: &[u8],
    format: InputFormat,
    read: Result<OfficeText, OfficeError>,
) -> IkiDocument {
    let src = source(path, bytes, format.source_format(), None);
    match read {
        Ok(office) => {
            let mut doc = iki_parser::extract_structured(src, &office.text);
            doc.warnings.extend(office.warnings);
            doc
        }
        Err(e) => failed_document(src, e.code(), e.message()),
    }
}

/// Pages whose text was lost: the reader failed on them or found no text on them.
fn lost_pages(text: &PdfText) -> Vec<usize> {
    let mut pages: Vec<usize> = text
        .warnings
        .iter()
        .filter(|w| {
            matches!(
                w.code,
                WarningCode::PdfPageFailed | WarningCode::PdfPageWithoutText
            )
        })
        .filter_map(|w| w.page)
        .collect();
    pages.sort_unstable();
    pages.dedup();
    pages
}

/// The 1-based line of the text where each page starts (pages end with a form feed, which
/// does not end a line: an empty page starts on the line the next page starts on).
fn page_start_lines(text: &str) -> Vec<usize> {
    let mut starts = vec![1];
    let mut line = 1;
    for c in text.chars() {
        match c {
            '\n' => line += 1,
            '\x0c' => starts.push(line),
            _ => {}
        }
    }
    starts
}

/// Lower status and confidence for lost pages (see [`pdf_document`]).
fn account_for_lost_pages(doc: &mut IkiDocument, text: &PdfText, page_lines: &[usize]) {
    let lost = lost_pages(text);
    if lost.is_empty() || doc.status == Status::Failed || text.pages == 0 {
        return;
    }
    let pages = text.pages.max(lost.len());
    let kept = (pages - lost.len()) as f64 / pages as f64;
    doc.status = Status::Partial;
    doc.confidence = round3(doc.confidence * kept);
    let lost_lines: Vec<usize> = lost
        .iter()
        .filter_map(|&page| page_lines.get(page - 1).copied())
        .collect();
    for record in &mut doc.records {
        let (start, end) = (record.span.start_line, record.span.end_line);
        let inside = |line: &usize| start < *line && *line <= end;
        let lost_inside = lost_lines.iter().filter(|l| inside(l)).count();
        if lost_inside > 0 {
            let spanned = 1 + page_lines.iter().filter(|l| inside(l)).count();
            let kept = spanned.saturating_sub(lost_inside) as f64 / spanned as f64;
            record.confidence = round3(record.confidence * kept);
        }
    }
    let listed: Vec<String> = lost.iter().map(usize::to_string).collect();
    doc.warnings.push(Warning::new(
        WarningCode::PdfPagesLost,
        format!(
            "{} of {pages} pages lost their text (page {}): what they held is missing; confidence lowered to match",
            lost.len(),
            listed.join(", ")
        ),
        None,
    ));
}

fn round3(x: f64) -> f64 {
    (x.clamp(0.0, 1.0) * 1000.0).round() / 1000.0
}

/// Multiply document, record, indicator and signatory confidences by the OCR factor.
fn scale_confidence(doc: &mut IkiDocument, ocr: f64) {
    let scale = |c: &mut f64| *c = round3(*c * ocr);
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
