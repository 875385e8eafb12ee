//! The PDF path against `pdftotext -layout` on the same files, in one run: time and the
//! headline F1 of `iki_parser::extract` on each text against the hand-checked fixtures.
//!
//! ```text
//! cargo run --release -p iki-pdf --example pdf_bench -- [PDF_DIR] [GOLD_DIR] [--runs N] [--ocr SCAN.pdf=GOLD.json]
//! ```
//! `--layout-text` parses the layout text even where the PDF has ruled tables read as cells.
//! `--report` prints the full evaluation report (fields, worst differences) of the PDF path;
//! `--dump DIR` writes each layout text to `DIR/<stem>.txt`. Defaults: `fixtures/pdf/text` and `fixtures/expected`. A PDF `<stem>.pdf` is scored against
//! `<stem>.json`. `pdftotext` is skipped (with a note) when poppler-utils is not installed.
//! `--ocr SCAN.pdf=GOLD.json` also reads a scan by OCR and scores it against that gold file.

use iki_eval::{Counts, DocumentCounts, Report};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

struct Args {
    pdf_dir: PathBuf,
    gold_dir: PathBuf,
    runs: u32,
    ocr: Vec<(PathBuf, PathBuf)>,
    report: bool,
    dump: Option<PathBuf>,
}

fn args() -> Args {
    let mut positional = Vec::new();
    let mut runs = 5;
    let mut ocr = Vec::new();
    let mut report = false;
    let mut dump = None;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--runs" => runs = it.next().and_then(|n| n.parse().ok()).unwrap_or(5),
            "--ocr" => {
                if let Some((pdf, stem)) = it.next().as_deref().and_then(|s| s.split_once('=')) {
                    ocr.push((PathBuf::from(pdf), PathBuf::from(stem)));
                }
            }
            "--report" => report = true,
            "--layout-text" => {}
            "--dump" => dump = it.next().map(PathBuf::from),
            _ => positional.push(PathBuf::from(a)),
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    Args {
        pdf_dir: positional
            .first()
            .cloned()
            .unwrap_or_else(|| root.join("fixtures/pdf/text")),
        gold_dir: positional
            .get(1)
            .cloned()
            .unwrap_or_else(|| root.join("fixtures/expected")),
        runs,
        ocr,
        report,
        dump,
    }
}

/// Text of one PDF by one method, and the best time over `runs`.
fn timed<T>(runs: u32, f: impl Fn() -> Option<T>) -> Option<(T, Duration)> {
    let mut best = Duration::MAX;
    let mut text = None;
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        text = Some(f()?);
        best = best.min(start.elapsed());
    }
    text.map(|t| (t, best))
}

fn pdftotext(pdf: &Path) -> Option<String> {
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn ours(pdf: &Path) -> Option<iki_pdf::PdfText> {
    let bytes = std::fs::read(pdf).ok()?;
    match iki_pdf::layout_text(&bytes) {
        Ok(t) => Some(t),
        Err(e) => {
            eprintln!("{}: {}", pdf.display(), e);
            None
        }
    }
}

/// Parse `text` and score it against `gold`.
fn score(name: &str, text: &str, gold: &serde_json::Value) -> DocumentCounts {
    score_doc(name, &iki_parser::extract(name, text.as_bytes()), gold)
}

/// Parse what the PDF path read (its explicit cells when it has them, unless `--layout-text`
/// asks for the layout text alone, as before tables were read as cells) and score it.
fn score_pdf(name: &str, text: &iki_pdf::PdfText, gold: &serde_json::Value) -> DocumentCounts {
    let source = iki_parser::source(name, &[], iki_parser::SourceFormat::Pdf, None);
    let layout_only = std::env::args().any(|a| a == "--layout-text");
    let doc = match &text.structured {
        Some(s) if !layout_only => iki_parser::extract_structured(source, s),
        _ => iki_parser::extract_text(source, &text.text),
    };
    score_doc(name, &doc, gold)
}

fn score_doc(
    name: &str,
    doc: &iki_parser::IkiDocument,
    gold: &serde_json::Value,
) -> DocumentCounts {
    let pred = serde_json::to_value(doc).unwrap_or_default();
    let mut counts = Counts::new();
    iki_eval::evaluate_pair(gold, &pred, &mut counts);
    DocumentCounts {
        file: name.to_string(),
        prediction_missing: false,
        counts,
    }
}

fn f1(docs: Vec<DocumentCounts>) -> f64 {
    Report::new(docs).headline_f1_soft()
}

fn main() {
    let args = args();
    let mut pdfs: Vec<PathBuf> = std::fs::read_dir(&args.pdf_dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    pdfs.retain(|p| p.extension().is_some_and(|x| x == "pdf"));
    pdfs.sort();
    let has_poppler = pdftotext(Path::new("/nonexistent.pdf")).is_none()
        && Command::new("pdftotext").arg("-v").output().is_ok();
    println!(
        "{:<34} {:>6} {:>10} {:>8} {:>12} {:>8}",
        "file", "pages", "iki-pdf", "F1", "pdftotext", "F1"
    );
    let (mut ours_docs, mut theirs_docs) = (Vec::new(), Vec::new());
    let (mut ours_time, mut theirs_time) = (Duration::ZERO, Duration::ZERO);
    for pdf in &pdfs {
        let stem = pdf
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let gold: serde_json::Value =
            match std::fs::read(args.gold_dir.join(format!("{stem}.json")))
                .ok()
                .and_then(|b| serde_json::from_slice(&b).ok())
            {
                Some(g) => g,
                None => continue,
            };
        let pages = std::fs::read(pdf)
            .ok()
            .and_then(|b| iki_pdf::layout_text(&b).ok())
            .map_or(0, |t| t.pages);
        let Some((text, t_ours)) = timed(args.runs, || ours(pdf)) else {
            continue;
        };
        if let Some(dir) = &args.dump {
            let _ = std::fs::write(dir.join(format!("{stem}.txt")), &text.text);
            if let Some(s) = &text.structured {
                let _ = std::fs::write(
                    dir.join(format!("{stem}.cells.txt")),
                    iki_parser::input::render_text(s),
                );
            }
        }
        let d_ours = score_pdf(&stem, &text, &gold);
        let f_ours = f1(vec![d_ours.clone()]);
        ours_docs.push(d_ours);
        ours_time += t_ours;
        let theirs = if has_poppler {
            timed(args.runs, || pdftotext(pdf))
        } else {
            None
        };
        let (t_theirs, f_theirs) = match theirs {
            Some((text, t)) => {
                let d = score(&stem, &text, &gold);
                let f = f1(vec![d.clone()]);
                theirs_docs.push(d);
                theirs_time += t;
                (
                    format!("{:.1} ms", t.as_secs_f64() * 1e3),
                    format!("{f:.3}"),
                )
            }
            None => ("-".to_string(), "-".to_string()),
        };
        println!(
            "{:<34} {:>6} {:>7.1} ms {:>8.3} {:>12} {:>8}",
            stem,
            pages,
            t_ours.as_secs_f64() * 1e3,
            f_ours,
            t_theirs,
            f_theirs
        );
    }
    if args.report {
        println!("{}", Report::new(ours_docs.clone()));
    }
    let ratio = if theirs_time.is_zero() {
        "-".to_string()
    } else {
        format!(
            "{:.2}x",
            ours_time.as_secs_f64() / theirs_time.as_secs_f64()
        )
    };
    println!(
        "{:<34} {:>6} {:>7.1} ms {:>8.3} {:>9.1} ms {:>8}   time ratio iki-pdf/pdftotext {ratio}",
        "all",
        "",
        ours_time.as_secs_f64() * 1e3,
        f1(ours_docs),
        theirs_time.as_secs_f64() * 1e3,
        if theirs_docs.is_empty() {
            "-".to_string()
        } else {
            format!("{:.3}", f1(theirs_docs))
        }
    );
    if !has_poppler {
        println!("(pdftotext not installed: apt-get install poppler-utils)");
    }
    for (scan, gold) in &args.ocr {
        ocr_row(scan, gold, args.report);
    }
}

/// Read a scan by OCR and score it.
fn ocr_row(scan: &Path, gold_path: &Path, report: bool) {
    let stem = gold_path
        .file_stem()
        .map_or(String::new(), |s| s.to_string_lossy().into_owned());
    let gold: Option<serde_json::Value> = std::fs::read(gold_path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok());
    let start = Instant::now();
    match (
        iki_pdf::ocr_text(scan, &iki_pdf::OcrOptions::default()),
        gold,
    ) {
        (Ok(text), Some(gold)) => {
            let doc = score_pdf(&stem, &text, &gold);
            if report {
                println!("{}", Report::new(vec![doc.clone()]));
            }
            let f = f1(vec![doc]);
            println!(
                "ocr {:<30} {:>6} {:>7.1} s  F1 {f:.3}  ocr confidence {:.3}",
                scan.display(),
                text.pages,
                start.elapsed().as_secs_f64(),
                text.ocr_confidence.unwrap_or(0.0)
            );
        }
        (Err(e), _) => println!("ocr {}: {}: {}", scan.display(), e.code(), e),
        (_, None) => println!(
            "ocr {}: no gold file {}",
            scan.display(),
            gold_path.display()
        ),
    }
}
