//! `iki_extract` on PDFs, the batch's entry: a PDF becomes an IkiDocument whose source
//! describes the PDF, hostile files become failed documents, scans need `--ocr`.

use std::path::PathBuf;

use iki_model::{ErrorCode, IkiDocument, InputFormat, SourceFormat, Status, WarningCode};
use iki_pdf::{ocr_available, Limits, OcrOptions, PdfConfig, WorkerCommand};

fn fixture(sub: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/pdf")
        .join(sub)
}

fn config(ocr: bool) -> iki_extract::Config {
    iki_extract::Config {
        pdf: Some(PdfConfig {
            worker: WorkerCommand::exe(env!("CARGO_BIN_EXE_iki")),
            limits: Limits::default(),
            ocr: ocr.then(OcrOptions::default),
        }),
        ..iki_extract::Config::default()
    }
}

fn extract_document(path: &str, bytes: &[u8], config: &iki_extract::Config) -> IkiDocument {
    iki_extract::extract(InputFormat::Pdf, path, bytes, config)
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
        .any(|w| w.code == WarningCode::PdfRunningLinesRemoved));
}

#[test]
fn a_hostile_pdf_becomes_a_failed_pdf_document() {
    let bytes = std::fs::read(fixture("hostile/encrypted.pdf")).unwrap();
    let doc = extract_document("x.pdf", &bytes, &config(false));
    assert_eq!(doc.status, Status::Failed);
    assert_eq!(doc.error.as_ref().unwrap().code, ErrorCode::PdfEncrypted);
    assert_eq!(doc.source.format, SourceFormat::Pdf);
    assert_eq!(doc.source.bytes, bytes.len() as u64);
}

#[test]
fn a_scan_needs_ocr() {
    let bytes = std::fs::read(fixture("scan/lumajang-kec-ranuyoso-2023-scan.pdf")).unwrap();
    let doc = extract_document("scan.pdf", &bytes, &config(false));
    assert_eq!(doc.error.as_ref().unwrap().code, ErrorCode::NoTextLayer);
    if let Err(e) = ocr_available("ind") {
        iki_model::testing::tool_missing("a_scan_needs_ocr (OCR part)", &e.to_string());
        return;
    }
    let doc = extract_document("scan.pdf", &bytes, &config(true));
    assert_eq!(doc.source.format, SourceFormat::PdfOcr);
    assert_eq!(doc.records.len(), 2);
    assert!(doc.warnings.iter().any(|w| w.code == WarningCode::OcrText));
    assert!(doc.confidence > 0.0 && doc.confidence < 1.0);
}

/// Issue 13, finding 5: a page lost to damage makes the document partial and lowers its
/// confidence at least by the share of pages lost.
#[test]
fn a_damaged_page_lowers_status_and_confidence() {
    let good = std::fs::read(fixture("text/lumajang-kec-ranuyoso-2023.pdf")).unwrap();
    let damaged = std::fs::read(fixture("damaged/page5-garbage.pdf")).unwrap();
    let whole = extract_document("good.pdf", &good, &config(false));
    let doc = extract_document("damaged.pdf", &damaged, &config(false));
    assert_eq!(whole.status, Status::Ok);
    assert!(
        doc.records.len() < whole.records.len(),
        "the fixture loses a form"
    );
    assert_eq!(doc.status, Status::Partial);
    let pages = 9.0;
    assert!(
        doc.confidence <= whole.confidence * (pages - 1.0) / pages + 1e-9,
        "{} against {} undamaged",
        doc.confidence,
        whole.confidence
    );
    let lost = doc
        .warnings
        .iter()
        .find(|w| w.code == WarningCode::PdfPagesLost)
        .expect("a pdf_pages_lost warning");
    assert!(lost.message.contains("page 5"), "{}", lost.message);
    assert!(doc
        .warnings
        .iter()
        .any(|w| w.code == WarningCode::PdfPageWithoutText && w.message.starts_with("page 5:")));
}

/// Headline soft micro-F1 of `doc` against `fixtures/expected/<stem>.json`.
fn headline_f1(doc: &IkiDocument, stem: &str) -> f64 {
    let gold_path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/expected")
        .join(format!("{stem}.json"));
    let gold: serde_json::Value =
        serde_json::from_slice(&std::fs::read(gold_path).unwrap()).unwrap();
    let mut counts = iki_eval::Counts::new();
    iki_eval::evaluate_pair(&gold, &serde_json::to_value(doc).unwrap(), &mut counts);
    iki_eval::Report::new(vec![iki_eval::DocumentCounts {
        file: stem.to_string(),
        prediction_missing: false,
        counts,
    }])
    .headline_f1_soft()
}

#[test]
fn words_wrapped_inside_a_narrow_ruled_cell_stay_together() {
    // The form header is a ruled table whose label column wraps "JAB / ATA / N" and
    // "TU / GA / S P / OK / OK": read cell by cell, the labels and the form survive.
    let path = fixture("variants/lumajang-kec-lumajang-2023-narrow-labels.pdf");
    let doc = extract_document("narrow.pdf", &std::fs::read(path).unwrap(), &config(false));
    assert_eq!(doc.status, Status::Ok);
    assert_eq!(doc.records.len(), 10);
    assert_eq!(
        doc.records[0].jabatan.as_deref(),
        Some("SEKRETARIS CAMAT"),
        "the first form's position"
    );
    let f1 = headline_f1(&doc, "lumajang-kec-lumajang-2023");
    assert!(f1 >= 0.97, "headline F1 {f1:.3}");
}
