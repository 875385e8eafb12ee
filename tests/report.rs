//! `iki report` on a fresh `iki extract -o` directory writes one self-contained HTML file.

use std::process::Command;

#[test]
fn report_from_extract_output() {
    let root = env!("CARGO_MANIFEST_DIR");
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let status = Command::new(env!("CARGO_BIN_EXE_iki"))
        .args(["extract", "corpus", "--quiet", "-o"])
        .arg(&out)
        .current_dir(root)
        .status()
        .expect("iki extract runs");
    assert!(status.success());
    let html = dir.path().join("report.html");
    let status = Command::new(env!("CARGO_BIN_EXE_iki"))
        .args(["report", "--quiet"])
        .arg(&out)
        .arg("-o")
        .arg(&html)
        .current_dir(root)
        .status()
        .expect("iki report runs");
    assert!(status.success());
    let text = std::fs::read_to_string(&html).expect("report written");
    assert!(text.contains("<svg"), "inline charts");
    assert!(!text.contains("src=\"http"), "no network resources");
    assert!(
        text.contains("lumajang-kec-ranuyoso-2023"),
        "documents listed"
    );
}
