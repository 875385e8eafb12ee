//! Scans through the `iki` binary with `--ocr`: a long scan on a busy machine finishes at
//! default settings (OCR time is not parse time; its pages use every worker), and page
//! images (PNG, JPEG, multi-page TIFF) read like the PDF they were printed from.
//!
//! These need poppler-utils and tesseract with Indonesian data: without them they are skipped
//! with a note, except under `CI=true`, where a missing tool fails the test (`.ci/run`
//! installs them).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Whether the OCR tools are installed; under CI a missing tool is a failure.
fn ocr_tools() -> bool {
    match iki_pdf::ocr_available("ind") {
        Ok(()) => true,
        Err(e) if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("CI must have the OCR tools: {e}")
        }
        Err(e) => {
            eprintln!("skipped: {e}");
            false
        }
    }
}

/// `iki extract --ocr --ndjson - ARGS`: the documents and the exit code.
fn extract(args: &[&str]) -> (Vec<Value>, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_iki"))
        .args(["extract", "--ocr", "--ndjson", "-", "--quiet"])
        .args(args)
        .current_dir(root())
        .output()
        .expect("iki runs");
    let docs = String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    (docs, out.status.code().unwrap_or(-1))
}

const SCAN: &str = "fixtures/pdf/scan/lumajang-kec-ranuyoso-2023-scan.pdf";
const SCAN_GOLD: &str = "fixtures/pdf/scan/lumajang-kec-ranuyoso-2023-scan.json";

/// The scan fixture's pages repeated into a scan of `pages` pages (page objects copied,
/// their images shared).
fn long_scan(pages: usize, path: &Path) {
    use lopdf::{Dictionary, Object};
    let mut doc = lopdf::Document::load(root().join(SCAN)).unwrap();
    let originals: Vec<Dictionary> = doc
        .get_pages()
        .values()
        .map(|&id| doc.get_dictionary(id).unwrap().clone())
        .collect();
    let tree = doc
        .catalog()
        .unwrap()
        .get(b"Pages")
        .unwrap()
        .as_reference()
        .unwrap();
    let kids: Vec<Object> = (0..pages)
        .map(|i| Object::Reference(doc.add_object(originals[i % originals.len()].clone())))
        .collect();
    let node = doc.get_dictionary_mut(tree).unwrap();
    node.set("Kids", kids);
    node.set("Count", pages as i64);
    doc.save(path).unwrap();
}

#[test]
fn a_forty_page_scan_finishes_with_two_jobs_on_busy_cores() {
    if !ocr_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let scan = dir.path().join("archive-scan-40.pdf");
    long_scan(40, &scan);
    // Two threads keep both cores busy for the whole run, as other work on the machine does.
    let stop = Arc::new(AtomicBool::new(false));
    let busy: Vec<_> = (0..2)
        .map(|_| {
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                let mut x = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
                }
            })
        })
        .collect();
    let (docs, _) = extract(&["-j", "2", scan.to_str().unwrap()]);
    stop.store(true, Ordering::Relaxed);
    for b in busy {
        b.join().unwrap();
    }
    assert_eq!(docs.len(), 1);
    let doc = &docs[0];
    assert!(
        matches!(doc["status"].as_str(), Some("ok" | "partial")),
        "status {} error {}",
        doc["status"],
        doc["error"]
    );
    assert_eq!(doc["source"]["format"], "pdf-ocr");
    // The three pages hold two forms; forty pages hold them thirteen times over and more.
    assert!(doc["records"].as_array().unwrap().len() >= 26);
}

/// Headline soft micro-F1 of an output document against the scan's answer.
fn scan_f1(doc: &Value) -> f64 {
    let gold: Value =
        serde_json::from_slice(&std::fs::read(root().join(SCAN_GOLD)).unwrap()).unwrap();
    let mut counts = iki_eval::Counts::new();
    iki_eval::evaluate_pair(&gold, doc, &mut counts);
    iki_eval::Report::new(vec![iki_eval::DocumentCounts {
        file: "scan".to_string(),
        prediction_missing: false,
        counts,
    }])
    .headline_f1_soft()
}

/// The scan fixture's pages as grey images at `dpi` (pdftoppm).
fn scan_pages(dpi: u32, dir: &Path) -> Vec<image::GrayImage> {
    let stem = dir.join("page");
    let status = Command::new("pdftoppm")
        .args(["-r", &dpi.to_string(), "-gray", "-png"])
        .arg(root().join(SCAN))
        .arg(&stem)
        .status()
        .unwrap();
    assert!(status.success());
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "png"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| image::open(f).unwrap().into_luma8())
        .collect()
}

#[test]
fn images_of_the_scan_read_like_its_pdf() {
    if !ocr_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pages = scan_pages(200, dir.path());
    assert_eq!(pages.len(), 3);
    // All three pages as one multi-page TIFF (deflate), the first page as PNG and as JPEG.
    let tif = dir.path().join("scan.tif");
    {
        let file = std::fs::File::create(&tif).unwrap();
        let mut encoder = tiff::encoder::TiffEncoder::new(std::io::BufWriter::new(file))
            .unwrap()
            .with_compression(tiff::encoder::Compression::Deflate(
                tiff::encoder::DeflateLevel::Fast,
            ));
        for page in &pages {
            encoder
                .write_image::<tiff::encoder::colortype::Gray8>(
                    page.width(),
                    page.height(),
                    page.as_raw(),
                )
                .unwrap();
        }
    }
    let png = dir.path().join("page-1.png");
    pages[0].save(&png).unwrap();
    let jpg = dir.path().join("page-1.jpg");
    pages[0].save(&jpg).unwrap();

    let (docs, _) = extract(&[
        SCAN,
        tif.to_str().unwrap(),
        png.to_str().unwrap(),
        jpg.to_str().unwrap(),
    ]);
    assert_eq!(docs.len(), 4);
    let (pdf, tif, png, jpg) = (&docs[0], &docs[1], &docs[2], &docs[3]);
    assert_eq!(pdf["source"]["format"], "pdf-ocr");
    for image in [tif, png, jpg] {
        assert_eq!(image["source"]["format"], "image-ocr");
        assert!(
            matches!(image["status"].as_str(), Some("ok" | "partial")),
            "{}",
            image["error"]
        );
    }
    let (f_pdf, f_tif) = (scan_f1(pdf), scan_f1(tif));
    eprintln!("headline F1: PDF {f_pdf:.3}, TIFF {f_tif:.3}");
    assert!(f_pdf >= 0.85, "PDF {f_pdf:.3}");
    assert!(
        (f_pdf - f_tif).abs() <= 0.02,
        "TIFF {f_tif:.3} against the PDF's {f_pdf:.3}"
    );
    // The first page alone holds the first form's position.
    for one in [png, jpg] {
        assert_eq!(
            one["records"][0]["jabatan"], "Sekretaris Kecamatan",
            "{}",
            one["source"]["path"]
        );
    }
}

#[test]
fn an_image_without_ocr_fails_with_its_code_and_a_broken_one_too() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("page.png");
    image::GrayImage::from_pixel(40, 40, image::Luma([255]))
        .save(&png)
        .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_iki"))
        .args(["extract", "--ndjson", "-", "--quiet"])
        .arg(&png)
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["error"]["code"], "image_unsupported");
    if !ocr_tools() {
        return;
    }
    let broken = dir.path().join("broken.tif");
    std::fs::write(&broken, b"II*\0\x08\0\0\0garbage").unwrap();
    let (docs, code) = extract(&[broken.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(docs[0]["error"]["code"], "image_corrupt");
    assert_eq!(docs[0]["source"]["format"], "image-ocr");
}
