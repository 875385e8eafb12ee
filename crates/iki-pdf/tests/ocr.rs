//! The OCR path on the image-only scan fixture (runs when pdftoppm, tesseract and its
//! Indonesian data are installed, as `.ci/run` does; fails in CI without them, skipped with a
//! note on the terminal otherwise), and the clear error when the tools are missing.

mod common;

use common::fixture;
use iki_eval::{Counts, DocumentCounts, Report};
use iki_pdf::{ocr_available, ocr_text, OcrOptions, TextOrigin};

#[test]
fn missing_language_data_is_ocr_unavailable_with_what_to_install() {
    let options = OcrOptions {
        language: "xx-no-such-language".to_string(),
        ..OcrOptions::default()
    };
    let e = ocr_text(&fixture("layout/simple-table.pdf"), &options).unwrap_err();
    assert_eq!(e.code().as_str(), "ocr_unavailable");
    assert!(e.message().contains("apt-get install"), "{e}");
}

#[test]
fn scan_is_read_by_ocr_and_parses_to_its_fixture() {
    if let Err(e) = ocr_available("ind") {
        iki_model::testing::tool_missing(
            "scan_is_read_by_ocr_and_parses_to_its_fixture",
            &e.to_string(),
        );
        return;
    }
    let scan = fixture("scan/lumajang-kec-ranuyoso-2023-scan.pdf");
    let t = ocr_text(&scan, &OcrOptions::default()).unwrap();
    assert_eq!(t.origin, TextOrigin::Ocr);
    assert_eq!(t.pages, 3);
    let confidence = t.ocr_confidence.unwrap();
    assert!(confidence > 0.8, "{confidence}");
    assert!(t
        .text
        .contains("Jabatan : Sekretaris Kecamatan (Eselon III)"));

    let gold_path = fixture("scan/lumajang-kec-ranuyoso-2023-scan.json");
    let gold: serde_json::Value =
        serde_json::from_slice(&std::fs::read(gold_path).unwrap()).unwrap();
    // Parsed as the extractor does: the ruled tables as cells, the rest as layout text.
    let source = iki_parser::source("scan", &[], iki_parser::SourceFormat::PdfOcr, None);
    let cells = t
        .structured
        .as_ref()
        .expect("the scan's ruled tables as cells");
    let doc = iki_parser::extract_structured(source, cells);
    let mut counts = Counts::new();
    iki_eval::evaluate_pair(&gold, &serde_json::to_value(&doc).unwrap(), &mut counts);
    let report = Report::new(vec![DocumentCounts {
        file: "scan".to_string(),
        prediction_missing: false,
        counts,
    }]);
    let f1 = report.headline_f1_soft();
    eprintln!("OCR headline F1 (soft): {f1:.3}, OCR confidence {confidence:.3}");
    assert!(f1 >= 0.87, "OCR headline F1 {f1:.3} < 0.87\n{report}");
}
