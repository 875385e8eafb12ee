//! Office files through the `iki` binary: the five fixtures written as `.docx`, `.odt`,
//! `.xlsx`, `.ods` and `.xls` (and two as legacy `.doc`, converted by LibreOffice with
//! `--office`) score against the same hand-checked answers as their text versions.
//!
//! The `.doc` test needs LibreOffice: without `soffice` it fails when `CI=true` (CI must
//! install it) and says it was skipped otherwise.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The floor every office format must reach (headline soft micro-F1 against the answers).
const FLOOR: f64 = 0.99;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn iki(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_iki"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("iki runs")
}

/// Extract `fixtures/office/<ext>` into a fresh directory and check each document's format.
fn extract_format(ext: &str, extra: &[&str]) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let dir = format!("fixtures/office/{ext}");
    let mut args = vec![
        "extract",
        dir.as_str(),
        "-o",
        out.path().to_str().unwrap(),
        "-q",
    ];
    args.extend_from_slice(extra);
    let run = iki(&args);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{ext}: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let mut documents = 0;
    for entry in std::fs::read_dir(out.path()).unwrap() {
        let path = entry.unwrap().path();
        // Documents only: the run's own files live in `_run/`.
        if path.is_dir() {
            continue;
        }
        let doc: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(doc["source"]["format"], ext, "{}", path.display());
        assert_eq!(doc["status"], "ok", "{}", path.display());
        documents += 1;
    }
    assert!(documents >= 2, "{ext}: {documents} documents");
    out
}

/// Headline soft F1 of `pred` against the answers of the stems it holds.
fn score(pred: &Path) -> f64 {
    let gold = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(pred).unwrap() {
        let name = entry.unwrap().file_name();
        let answer = root().join("fixtures/expected").join(&name);
        if answer.is_file() {
            std::fs::copy(answer, gold.path().join(&name)).unwrap();
        }
    }
    iki_eval::evaluate_dirs(gold.path(), pred)
        .expect("evaluation runs")
        .headline_f1_soft()
}

#[test]
fn office_fixtures_score_at_the_floor() {
    let mut scores = Vec::new();
    for ext in ["docx", "odt", "xlsx", "ods", "xls"] {
        let out = extract_format(ext, &[]);
        // Every answer has its office file: a missing one would count as a miss.
        assert_eq!(
            std::fs::read_dir(out.path()).unwrap().count() - 1,
            std::fs::read_dir(root().join("fixtures/expected"))
                .unwrap()
                .count(),
            "{ext}"
        );
        scores.push((ext, score(out.path())));
    }
    eprintln!("office headline F1: {scores:?}");
    for (ext, f1) in scores {
        assert!(f1 >= FLOOR, "{ext}: headline F1 {f1:.4} below {FLOOR}");
    }
}

#[test]
fn legacy_doc_without_the_switch_names_it() {
    let run = iki(&[
        "extract",
        "fixtures/office/doc/lumajang-kec-ranuyoso-2023.doc",
        "--ndjson",
        "-",
        "-q",
    ]);
    assert_eq!(run.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(doc["status"], "failed");
    assert_eq!(doc["source"]["format"], "doc");
    assert_eq!(doc["error"]["code"], "office_unsupported");
    let message = doc["error"]["message"].as_str().unwrap();
    assert!(message.contains("--office"), "{message}");
    assert!(message.contains("libreoffice-writer-nogui"), "{message}");
}

#[test]
fn the_office_switch_without_libreoffice_is_a_usage_error() {
    let run = Command::new(env!("CARGO_BIN_EXE_iki"))
        .args(["extract", "fixtures/office/doc", "--office", "-q"])
        .current_dir(root())
        .env("PATH", "/nonexistent")
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("apt-get install libreoffice-writer-nogui"),
        "{stderr}"
    );
}

fn libreoffice_present() -> bool {
    let found = Command::new("soffice")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "LibreOffice (soffice) is missing in CI: .ci/run must install libreoffice-writer-nogui"
        );
        eprintln!("skipped: soffice not installed (apt-get install libreoffice-writer-nogui)");
    }
    found
}

#[test]
fn legacy_doc_through_libreoffice_scores_at_the_floor() {
    if !libreoffice_present() {
        return;
    }
    let out = extract_format("doc", &["--office"]);
    let f1 = score(out.path());
    eprintln!("doc headline F1: {f1:.4}");
    assert!(f1 >= FLOOR, "doc: headline F1 {f1:.4} below {FLOOR}");
}
