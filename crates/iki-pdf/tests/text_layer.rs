//! The text layer in process: the office-made fixture PDFs come out with their indicator texts,
//! columns that line up, page breaks and without the browser's running header and footer; the
//! hand-built layout cases (ruled table, rotated page) read as expected; damaged input never
//! panics.

mod common;

use common::{fixture, gold, stem, text_pdfs};
use iki_pdf::{layout_text, TextOrigin};

fn text_of(path: &std::path::Path) -> iki_pdf::PdfText {
    let bytes = std::fs::read(path).unwrap();
    layout_text(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Words of a text, split at white space and hyphens (a cell may wrap after a hyphen).
fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .collect()
}

#[test]
fn fixture_pdfs_hold_every_indicators_words() {
    for pdf in text_pdfs() {
        let t = text_of(&pdf);
        assert_eq!(t.origin, TextOrigin::TextLayer);
        assert!(t.pages >= 5, "{}", pdf.display());
        assert_eq!(t.text.matches('\x0c').count(), t.pages);
        let all: std::collections::HashSet<&str> = words(&t.text).into_iter().collect();
        let g = gold(&stem(&pdf));
        for record in g["records"].as_array().unwrap() {
            for ind in record["indicators"].as_array().unwrap() {
                let indikator = ind["indikator"].as_str().unwrap();
                for w in words(indikator) {
                    assert!(all.contains(w), "{}: {w} of {indikator}", pdf.display());
                }
            }
        }
    }
}

#[test]
fn browser_header_and_footer_are_removed() {
    for pdf in text_pdfs() {
        let t = text_of(&pdf);
        assert!(!t.text.contains("file://"), "{}", pdf.display());
        assert!(
            t.warnings
                .iter()
                .any(|w| w.code == iki_model::WarningCode::PdfRunningLinesRemoved),
            "{}",
            pdf.display()
        );
    }
}

#[test]
fn table_header_and_cells_share_columns() {
    let t = text_of(&fixture("text/lumajang-kec-lumajang-2024.pdf"));
    let lines: Vec<&str> = t.text.lines().collect();
    let header = lines
        .iter()
        .position(|l| l.contains("Sasaran") && l.contains("Rumus/Formula"))
        .expect("table header");
    let col = |line: &str, word: &str| line.find(word).unwrap_or(usize::MAX);
    let row = lines[header..]
        .iter()
        .find(|l| l.trim_start().starts_with("1."))
        .expect("first row");
    assert_eq!(col(lines[header], "No"), col(row, "1."));
    assert_eq!(col(lines[header], "Sasaran"), col(row, "Terselenggaranya"));
    assert_eq!(col(lines[header], "Indikator"), col(row, "Persentase"));
    assert_eq!(col(lines[header], "Rumus/Formula"), col(row, "Jumlah"));
    assert_eq!(col(lines[header], "Sumber"), col(row, "Kecamatan"));
    assert_eq!(col(lines[header], "Penanggung"), col(row, "- SEKCAM"));
}

#[test]
fn a_table_keeps_its_columns_across_a_page_break() {
    let t = text_of(&fixture("text/lumajang-kec-lumajang-2024.pdf"));
    // The first form's table runs over pages 1-3; its header repeats on each.
    let first_form = t.text.split("INDIKATOR KINERJA").nth(1).unwrap();
    let headers: Vec<usize> = first_form
        .lines()
        .map(|l| l.trim_start_matches('\x0c'))
        .filter(|l| l.contains("Sasaran") && l.contains("Rumus/Formula"))
        .map(|l| l.find("Rumus/Formula").unwrap())
        .collect();
    assert!(headers.len() >= 2, "{headers:?}");
    assert!(headers.windows(2).all(|w| w[0] == w[1]), "{headers:?}");
}

#[test]
fn ruled_table_reads_exactly() {
    let t = text_of(&fixture("layout/simple-table.pdf"));
    let expected = "\
INDIKATOR KINERJA INDIVIDU (IKI) TAHUN 2024
Jabatan : Sekretaris Camat

No    Sasaran                      Indikator Kinerja             Target

1.    Meningkatnya Fasilitasi      Persentase Fasilitasi         100 %
      Administrasi Keuangan        Administrasi Keuangan

2.    Terpenuhinya Pengadaan       Persentase Pengadaan BMD      3 dokumen
\x0c";
    let first_page = &t.text[..t.text.find('\x0c').unwrap() + 1];
    assert_eq!(first_page, expected);
    assert!(!t.text.contains("Halaman"));
    assert!(!t
        .text
        .contains("Pemerintah Kabupaten Lumajang - Dokumen IKI"));
}

#[test]
fn rotated_page_reads_upright() {
    let t = text_of(&fixture("layout/rotated.pdf"));
    assert!(t
        .warnings
        .iter()
        .any(|w| w.code == iki_model::WarningCode::PdfPageRotated));
    let lines: Vec<&str> = t.text.lines().collect();
    assert_eq!(lines[0], "INDIKATOR KINERJA INDIVIDU (IKI)");
    let header = lines.iter().find(|l| l.starts_with("No")).unwrap();
    let row = lines.iter().find(|l| l.starts_with("1.")).unwrap();
    assert_eq!(header.find("Sasaran"), row.find("Meningkatnya"));
    assert_eq!(header.find("Target"), row.find("100 %"));
}

#[test]
fn scan_without_text_layer_says_so() {
    let bytes = std::fs::read(fixture("scan/lumajang-kec-ranuyoso-2023-scan.pdf")).unwrap();
    let e = layout_text(&bytes).unwrap_err();
    assert_eq!(e.code().as_str(), "no_text_layer");
    assert!(e.message().contains("--ocr"));
}

#[test]
fn hostile_files_are_refused_in_process_too() {
    for (name, code) in [
        ("page-tree-loop.pdf", "pdf_corrupt"),
        ("xobject-loop.pdf", "pdf_corrupt"),
        ("xobject-chain.pdf", "pdf_corrupt"),
        ("nested-arrays.pdf", "pdf_corrupt"),
        ("huge-page-count.pdf", "pdf_too_large"),
        ("encrypted.pdf", "pdf_encrypted"),
    ] {
        let bytes = std::fs::read(fixture("hostile").join(name)).unwrap();
        let e = layout_text(&bytes).unwrap_err();
        assert_eq!(e.code().as_str(), code, "{name}: {e}");
    }
}

#[test]
fn every_prefix_of_a_pdf_is_refused_or_read_never_a_panic() {
    let bytes = std::fs::read(fixture("layout/simple-table.pdf")).unwrap();
    for cut in (0..bytes.len()).step_by(61) {
        let _ = layout_text(&bytes[..cut]);
    }
}

#[test]
fn limits_are_enforced_in_process() {
    let bytes = std::fs::read(fixture("layout/simple-table.pdf")).unwrap();
    let few_pages = iki_pdf::Options {
        max_pages: 1,
        ..iki_pdf::Options::default()
    };
    let e = iki_pdf::layout_text_with(&bytes, &few_pages).unwrap_err();
    assert_eq!(e.code().as_str(), "pdf_too_large");
    let few_glyphs = iki_pdf::Options {
        max_glyphs: 10,
        ..iki_pdf::Options::default()
    };
    let e = iki_pdf::layout_text_with(&bytes, &few_glyphs).unwrap_err();
    assert_eq!(e.code().as_str(), "pdf_too_large");
}
