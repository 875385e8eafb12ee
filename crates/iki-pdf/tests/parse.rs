//! How well `iki_parser::extract` reads the layout text: the headline F1 of the text-layer
//! fixtures against the same hand-checked answers as their text versions (the issue asks
//! ≥ 0.95), printed per file.

mod common;

use common::{gold, stem, text_pdfs};
use iki_eval::{Counts, DocumentCounts, Report};

#[test]
fn text_layer_pdfs_parse_to_the_fixtures() {
    let mut docs = Vec::new();
    for pdf in text_pdfs() {
        let text = iki_pdf::layout_text(&std::fs::read(&pdf).unwrap()).unwrap();
        let name = stem(&pdf);
        let doc = iki_parser::extract(&name, text.text.as_bytes());
        let pred = serde_json::to_value(&doc).unwrap();
        let mut counts = Counts::new();
        iki_eval::evaluate_pair(&gold(&name), &pred, &mut counts);
        docs.push(DocumentCounts {
            file: name,
            prediction_missing: false,
            counts,
        });
    }
    let report = Report::new(docs);
    for f in &report.files {
        eprintln!("{}: {:?}", f.file, f);
    }
    let f1 = report.headline_f1_soft();
    eprintln!("headline F1 (soft) of the text-layer PDFs: {f1:.3}");
    assert!(f1 >= 0.95, "headline F1 {f1:.3} < 0.95\n{report}");
}
