//! `extract_document`, the batch's entry: a PDF becomes an IkiDocument whose source describes
//! the PDF, hostile files become failed documents, scans need `--ocr`.

mod common;

use common::{fixture, probe};
use iki_parser::{SourceFormat, Status};
use iki_pdf::{extract_document, ocr_available, Limits, OcrOptions, PdfConfig};

fn config(ocr: bool) -> PdfConfig {
    PdfConfig {
        exe: probe(),
        limits: Limits::default(),
        ocr: ocr.then(OcrOptions::default),
    }
}

#[test]
fn a_text_layer_pdf_becomes_a_pdf_document() {
    let path = fixture("text/lumajang-kec-ranuyoso-2023.pdf");
    let bytes = std::fs::read(&path).unwrap();
    let doc = extract_document("ranuyoso.pdf", &bytes, &config(false));
    assert_eq!(doc.status, Status::Ok);
    assert_eq!(doc.source.format, SourceFormat::Pdf);
    assert_eq!(doc.source.bytes, bytes.len() as u64);
    assert_eq!(doc.source.path, "ranuyoso.pdf");
    assert_eq!(doc.source.encoding, None);
    assert_eq!(doc.records.len(), 6);
    assert!(doc
        .warnings
        .iter()
        .any(|w| w.code == "pdf_running_lines_removed"));
}

#[test]
fn a_hostile_pdf_becomes_a_failed_pdf_document() {
    let bytes = std::fs::read(fixture("hostile/encrypted.pdf")).unwrap();
    let doc = extract_document("x.pdf", &bytes, &config(false));
    assert_eq!(doc.status, Status::Failed);
    assert_eq!(doc.error.as_ref().unwrap().code, "pdf_encrypted");
    assert_eq!(doc.source.format, SourceFormat::Pdf);
    assert_eq!(doc.source.bytes, bytes.len() as u64);
}

#[test]
fn a_scan_needs_ocr() {
    let bytes = std::fs::read(fixture("scan/lumajang-kec-ranuyoso-2023-scan.pdf")).unwrap();
    let doc = extract_document("scan.pdf", &bytes, &config(false));
    assert_eq!(doc.error.as_ref().unwrap().code, "no_text_layer");
    if let Err(e) = ocr_available("ind") {
        eprintln!("OCR part skipped: {e}");
        return;
    }
    let doc = extract_document("scan.pdf", &bytes, &config(true));
    assert_eq!(doc.source.format, SourceFormat::PdfOcr);
    assert_eq!(doc.records.len(), 2);
    assert!(doc.warnings.iter().any(|w| w.code == "ocr_text"));
    assert!(doc.confidence > 0.0 && doc.confidence < 1.0);
}
