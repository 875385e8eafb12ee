//! The isolated path: every hostile PDF gives its error code within the time limit, workers
//! that crash, hang or eat memory are contained, and a batch over hostile and good files goes
//! on to extract the good ones.

mod common;

use common::{fixture, probe, text_pdfs};
use iki_pdf::{extract_isolated, run_worker, Limits, PdfError};
use std::process::Command;
use std::time::{Duration, Instant};

fn limits(timeout_s: u64) -> Limits {
    Limits {
        timeout: Duration::from_secs(timeout_s),
        ..Limits::default()
    }
}

/// (file under fixtures/pdf/hostile, expected code)
const HOSTILE: &[(&str, &str)] = &[
    ("encrypted.pdf", "pdf_encrypted"),
    ("garbage.pdf", "pdf_corrupt"),
    ("garbage-header.pdf", "pdf_corrupt"),
    ("huge-page-count.pdf", "pdf_too_large"),
    ("nested-arrays.pdf", "pdf_corrupt"),
    ("page-tree-loop.pdf", "pdf_corrupt"),
    ("truncated.pdf", "pdf_corrupt"),
    ("xobject-chain.pdf", "pdf_corrupt"),
    ("xobject-loop.pdf", "pdf_corrupt"),
    ("zero-pages.pdf", "pdf_corrupt"),
];

#[test]
fn every_hostile_pdf_fails_with_its_code_within_the_limit() {
    let limit = limits(20);
    for (name, code) in HOSTILE {
        let start = Instant::now();
        let result = extract_isolated(&probe(), &fixture("hostile").join(name), &limit);
        let elapsed = start.elapsed();
        match result {
            Err(e) => assert_eq!(e.code().as_str(), *code, "{name}: {e}"),
            Ok(t) => panic!("{name}: extracted {} bytes, expected {code}", t.text.len()),
        }
        assert!(elapsed < limit.timeout, "{name} took {elapsed:?}");
    }
}

#[test]
fn every_hostile_file_is_listed() {
    let mut on_disk: Vec<String> = std::fs::read_dir(fixture("hostile"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".pdf"))
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = HOSTILE.iter().map(|(n, _)| n.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed);
}

#[test]
fn a_batch_over_hostile_and_good_files_extracts_the_good_ones() {
    let limit = limits(30);
    let mut files: Vec<std::path::PathBuf> = HOSTILE
        .iter()
        .map(|(n, _)| fixture("hostile").join(n))
        .collect();
    files.extend(text_pdfs());
    files.push(fixture("layout/simple-table.pdf"));
    let mut ok = 0;
    let mut failed = 0;
    for f in &files {
        match extract_isolated(&probe(), f, &limit) {
            Ok(t) => {
                assert!(
                    t.text.contains("INDIKATOR KINERJA INDIVIDU"),
                    "{}",
                    f.display()
                );
                ok += 1;
            }
            Err(_) => failed += 1,
        }
    }
    assert_eq!(ok, text_pdfs().len() + 1);
    assert_eq!(failed, HOSTILE.len());
}

#[test]
fn isolated_and_in_process_agree_on_a_good_file() {
    let path = fixture("layout/simple-table.pdf");
    let isolated = extract_isolated(&probe(), &path, &limits(20)).unwrap();
    let direct = iki_pdf::layout_text(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(isolated, direct);
}

/// Run the probe as a worker that dies in the way `how` says.
fn misbehave(how: &str, limits: &Limits) -> (PdfError, Duration) {
    let mut command = Command::new(probe());
    command.args(["__misbehave", how]);
    let start = Instant::now();
    let pdf = std::fs::read(fixture("layout/simple-table.pdf")).unwrap();
    let result = run_worker(command, &pdf, limits);
    (result.expect_err(how), start.elapsed())
}

#[test]
fn a_stack_overflow_is_a_crash() {
    let (e, _) = misbehave("stack", &limits(20));
    assert_eq!(e.code().as_str(), "pdf_crashed", "{e}");
    assert!(e.message().contains("stack"), "{e}");
}

#[test]
fn an_abort_is_a_crash() {
    let (e, _) = misbehave("abort", &limits(20));
    assert_eq!(e.code().as_str(), "pdf_crashed", "{e}");
    assert!(e.message().contains("signal"), "{e}");
}

#[test]
fn a_hung_worker_is_killed_at_the_time_limit() {
    let limit = Limits {
        timeout: Duration::from_millis(700),
        ..Limits::default()
    };
    let (e, elapsed) = misbehave("sleep", &limit);
    assert_eq!(e.code().as_str(), "pdf_timeout", "{e}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
}

#[test]
fn a_worker_over_its_memory_limit_is_too_large() {
    let limit = Limits {
        memory_bytes: Some(256 << 20),
        ..limits(30)
    };
    let (e, _) = misbehave("alloc", &limit);
    assert_eq!(e.code().as_str(), "pdf_too_large", "{e}");
}

#[test]
fn a_worker_that_answers_nonsense_or_exits_badly_crashed() {
    let (e, _) = misbehave("garbage", &limits(20));
    assert_eq!(e.code().as_str(), "pdf_crashed", "{e}");
    let (e, _) = misbehave("exit", &limits(20));
    assert_eq!(e.code().as_str(), "pdf_crashed", "{e}");
    assert!(e.message().contains("code 3"), "{e}");
}

#[test]
fn a_missing_worker_binary_is_an_internal_error() {
    let e = extract_isolated(
        std::path::Path::new("/nonexistent/iki"),
        &fixture("layout/simple-table.pdf"),
        &limits(5),
    )
    .unwrap_err();
    assert_eq!(e.code().as_str(), "internal_error");
}

#[test]
fn a_missing_pdf_is_an_io_error() {
    let e = extract_isolated(&probe(), &fixture("no-such.pdf"), &limits(5)).unwrap_err();
    assert_eq!(e.code().as_str(), "io_error");
}
