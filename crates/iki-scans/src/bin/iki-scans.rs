//! Render the scan variants of the PDF fixtures, read them through the OCR path as `iki
//! extract --ocr` does, and score them against their answers: the family table for scans.
//!
//! ```text
//! cargo run --release -p iki-scans -- [--variants a,b] [--fixtures stem,stem] [--seed N]
//!                                     [-j N] [--write DIR] [--points FILE]
//! cargo run --release -p iki-scans -- --fit FILE
//! ```
//! Prints, per variant: documents, pages, headline soft micro-F1, mean confidence, mean
//! accuracy, mean |confidence − accuracy|, and the speed (pages per second per core: pages
//! over the CPU seconds of this process and its OCR children while reading them; rendering
//! the scans is left out). `--write DIR` keeps the
//! rendered scans; `--points FILE` writes one JSON line per document (variant, fixture,
//! confidence, accuracy, the parser's confidence before OCR and the [`ScanEvidence`]).
//!
//! `--fit FILE` fits the weights of `iki_extract::WEIGHTS` on such points, leaving one
//! variant out at a time: for each variant it fits on the others and measures mean
//! |confidence − accuracy| on the one left out, then prints the weights fitted on all.

use anyhow::{Context, Result};
use iki_eval::{Counts, DocumentCounts, Report};
use iki_extract::{ScanEvidence, Weights};
use iki_model::{IkiDocument, SourceFormat};
use iki_scans::{render, source_pdf, Variant, VARIANTS};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const FIXTURES: &[&str] = &[
    "lumajang-bkd-bidang",
    "lumajang-kec-candipuro-2024",
    "lumajang-kec-lumajang-2023",
    "lumajang-kec-lumajang-2024",
    "lumajang-kec-ranuyoso-2023",
];

struct Args {
    variants: Vec<Variant>,
    fixtures: Vec<String>,
    seed: u64,
    jobs: usize,
    write: Option<PathBuf>,
    points: Option<PathBuf>,
    fit: Option<PathBuf>,
}

fn args() -> Result<Args> {
    let mut a = Args {
        variants: VARIANTS.to_vec(),
        fixtures: FIXTURES.iter().map(|s| s.to_string()).collect(),
        seed: 0,
        jobs: std::thread::available_parallelism().map_or(1, |n| n.get()),
        write: None,
        points: None,
        fit: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().context("a value after the option");
        match arg.as_str() {
            "--variants" => {
                let names: Vec<String> = value()?.split(',').map(str::to_string).collect();
                a.variants.retain(|v| names.iter().any(|n| n == v.name));
            }
            "--fixtures" => a.fixtures = value()?.split(',').map(str::to_string).collect(),
            "--seed" => a.seed = value()?.parse()?,
            "-j" | "--jobs" => a.jobs = value()?.parse()?,
            "--write" => a.write = Some(PathBuf::from(value()?)),
            "--points" => a.points = Some(PathBuf::from(value()?)),
            "--fit" => a.fit = Some(PathBuf::from(value()?)),
            other => anyhow::bail!("unknown argument {other}"),
        }
    }
    Ok(a)
}

fn main() -> ExitCode {
    if std::env::args_os()
        .nth(1)
        .is_some_and(|a| a == iki_pdf::WORKER_ARG)
    {
        return iki_pdf::worker_main();
    }
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("iki-scans: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// One scored document.
struct Scored {
    counts: DocumentCounts,
    confidence: f64,
    accuracy: f64,
    pages: usize,
}

fn run() -> Result<()> {
    let args = args()?;
    if let Some(points) = &args.fit {
        return fit(points);
    }
    iki_pdf::ocr_available("ind").map_err(|e| anyhow::anyhow!("{e}"))?;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let config = iki_extract::Config {
        pdf: Some(iki_pdf::PdfConfig {
            worker: iki_pdf::WorkerCommand::exe(std::env::current_exe()?),
            limits: iki_pdf::Limits::default(),
            ocr: Some(iki_pdf::OcrOptions {
                slots: iki_pdf::OcrSlots::new(args.jobs),
                ..iki_pdf::OcrOptions::default()
            }),
        }),
        ..iki_extract::Config::default()
    };
    let scratch = std::env::temp_dir().join(format!("iki-scans-{}", std::process::id()));
    std::fs::create_dir_all(&scratch)?;
    let mut points = match &args.points {
        Some(p) => Some(std::fs::File::create(p)?),
        None => None,
    };
    println!(
        "| variant | documents | pages | headline F1 (soft) | mean confidence | mean accuracy | mean \\|conf − acc\\| | pages/s per core |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    let mut all = Vec::new();
    let mut cpu_total = 0.0;
    for variant in &args.variants {
        let mut cpu = 0.0;
        let mut scored = Vec::new();
        for stem in &args.fixtures {
            let Some(pdf) = source_pdf(&root, stem, variant.source) else {
                continue;
            };
            let scan = render(&pdf, variant, args.seed, &scratch)?;
            let name = format!("{stem}.{}.pdf", variant.name);
            if let Some(dir) = &args.write {
                std::fs::create_dir_all(dir)?;
                std::fs::write(dir.join(&name), &scan.pdf)?;
            }
            let started = cpu_seconds();
            let pdf_config = config.pdf.as_ref().context("PDF configuration")?;
            let read = iki_pdf::read_pdf(&scan.pdf, pdf_config);
            let evidence = read.as_ref().ok().and_then(ScanEvidence::of);
            let doc = iki_extract::pdf_document(&name, &scan.pdf, SourceFormat::Pdf, read);
            cpu += cpu_seconds() - started;
            let gold_path = root.join(format!("fixtures/expected/{stem}.json"));
            let gold: serde_json::Value = serde_json::from_slice(&std::fs::read(&gold_path)?)?;
            let s = score(&name, &gold, &doc, scan.pages);
            if let Some(f) = points.as_mut() {
                writeln!(
                    f,
                    "{}",
                    serde_json::json!({
                        "variant": variant.name, "fixture": stem,
                        "confidence": s.confidence, "accuracy": s.accuracy,
                        "parser_confidence": evidence.as_ref().map(|e| {
                            s.confidence / e.factor(&iki_extract::WEIGHTS).max(1e-6)
                        }),
                        "word_confidence": evidence.as_ref().map(|e| e.word_confidence),
                        "doubtful_cells": evidence.as_ref().map(|e| e.doubtful_cells),
                        "tables": evidence.as_ref().map(|e| e.tables),
                        "failed_pages": evidence.as_ref().map(|e| e.failed_pages),
                        "status": doc.status, "error": doc.error,
                    })
                )?;
            }
            eprintln!(
                "{:<18} {:<30} F1 {:.3} confidence {:.3} accuracy {:.3}",
                variant.name,
                stem,
                Report::new(vec![s.counts.clone()]).headline_f1_soft(),
                s.confidence,
                s.accuracy
            );
            scored.push(s);
        }
        row(variant.name, &scored, cpu);
        cpu_total += cpu;
        all.extend(scored);
    }
    row("all", &all, cpu_total);
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(())
}

fn score(name: &str, gold: &serde_json::Value, doc: &IkiDocument, pages: usize) -> Scored {
    let pred = serde_json::to_value(doc).unwrap_or_default();
    let mut counts = Counts::new();
    iki_eval::evaluate_pair(gold, &pred, &mut counts);
    let counts = DocumentCounts {
        file: name.to_string(),
        prediction_missing: false,
        counts,
    };
    let report = Report::new(vec![counts.clone()]);
    let accuracy = report.files.first().and_then(|f| f.accuracy).unwrap_or(0.0);
    Scored {
        counts,
        confidence: doc.confidence,
        accuracy,
        pages,
    }
}

/// One line of the table.
/// One line of the table; `cpu` is the CPU time of reading the variant's scans (rendering
/// them left out).
fn row(name: &str, scored: &[Scored], cpu: f64) {
    if scored.is_empty() {
        return;
    }
    let n = scored.len() as f64;
    let pages: usize = scored.iter().map(|s| s.pages).sum();
    let f1 = Report::new(scored.iter().map(|s| s.counts.clone()).collect()).headline_f1_soft();
    let confidence = scored.iter().map(|s| s.confidence).sum::<f64>() / n;
    let accuracy = scored.iter().map(|s| s.accuracy).sum::<f64>() / n;
    let gap = scored
        .iter()
        .map(|s| (s.confidence - s.accuracy).abs())
        .sum::<f64>()
        / n;
    println!(
        "| {name} | {} | {pages} | {f1:.3} | {confidence:.3} | {accuracy:.3} | {gap:.3} | {:.3} |",
        scored.len(),
        pages as f64 / cpu.max(1e-9)
    );
}

/// CPU seconds (user + system) of this process and its finished children.
fn cpu_seconds() -> f64 {
    let usage = |who| {
        // SAFETY: getrusage writes into the zeroed struct we pass and reads nothing else.
        let mut u: libc::rusage = unsafe { std::mem::zeroed() };
        unsafe { libc::getrusage(who, &mut u) };
        let t = |tv: libc::timeval| tv.tv_sec as f64 + tv.tv_usec as f64 / 1e6;
        t(u.ru_utime) + t(u.ru_stime)
    };
    usage(libc::RUSAGE_SELF) + usage(libc::RUSAGE_CHILDREN)
}

/// One calibration point read back from `--points`.
struct Point {
    variant: String,
    parser: f64,
    accuracy: f64,
    evidence: ScanEvidence,
}

/// Fit the evidence weights, leaving one variant out at a time (see the module docs).
fn fit(path: &Path) -> Result<()> {
    let mut points = Vec::new();
    for line in std::fs::read_to_string(path)?.lines() {
        let v: serde_json::Value = serde_json::from_str(line)?;
        let (Some(parser), Some(word)) = (
            v["parser_confidence"].as_f64(),
            v["word_confidence"].as_f64(),
        ) else {
            continue;
        };
        points.push(Point {
            variant: v["variant"].as_str().unwrap_or("").to_string(),
            parser,
            accuracy: v["accuracy"].as_f64().unwrap_or(0.0),
            evidence: ScanEvidence {
                word_confidence: word,
                doubtful_cells: v["doubtful_cells"].as_f64().unwrap_or(0.0),
                tables: v["tables"].as_u64().unwrap_or(0) as usize,
                failed_pages: v["failed_pages"].as_f64().unwrap_or(0.0),
            },
        });
    }
    let mut variants: Vec<String> = points.iter().map(|p| p.variant.clone()).collect();
    variants.sort();
    variants.dedup();
    println!(
        "| variant left out | documents | mean \\|conf − acc\\| held out | with today's weights |"
    );
    println!("|---|---:|---:|---:|");
    let mut held_out = Vec::new();
    for v in &variants {
        let (test, train): (Vec<&Point>, Vec<&Point>) =
            points.iter().partition(|p| &p.variant == v);
        let w = best_weights(&train);
        let gap = mean_gap(&test, &w);
        held_out.extend(
            test.iter()
                .map(|p| (p.parser * p.evidence.factor(&w) - p.accuracy).abs()),
        );
        println!(
            "| {v} | {} | {gap:.3} | {:.3} |",
            test.len(),
            mean_gap(&test, &iki_extract::WEIGHTS)
        );
    }
    let mean = held_out.iter().sum::<f64>() / held_out.len().max(1) as f64;
    println!(
        "| **all, held out** | {} | **{mean:.3}** | {:.3} |",
        held_out.len(),
        mean_gap(&points.iter().collect::<Vec<_>>(), &iki_extract::WEIGHTS)
    );
    let all: Vec<&Point> = points.iter().collect();
    let w = best_weights(&all);
    println!("\nweights fitted on all points (paste over iki_extract::WEIGHTS):\n{w:#?}");
    Ok(())
}

fn mean_gap(points: &[&Point], w: &Weights) -> f64 {
    let sum: f64 = points
        .iter()
        .map(|p| (p.parser * p.evidence.factor(w) - p.accuracy).abs())
        .sum();
    sum / points.len().max(1) as f64
}

/// The weights on a grid that minimise mean |confidence − accuracy| on `points`.
fn best_weights(points: &[&Point]) -> Weights {
    let mut best = (f64::INFINITY, iki_extract::WEIGHTS);
    for word in (0..=24).map(|i| f64::from(i) * 0.25) {
        for doubtful in (0..=20).map(|i| f64::from(i) * 0.1) {
            for unruled in (0..=15).map(|i| f64::from(i) * 0.02) {
                let w = Weights {
                    word,
                    doubtful,
                    unruled,
                };
                let gap = mean_gap(points, &w);
                if gap < best.0 - 1e-12 {
                    best = (gap, w);
                }
            }
        }
    }
    best.1
}
