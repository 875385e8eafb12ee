//! Paths shared by the integration tests: the fixture folders and the probe binary.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// `fixtures/pdf/<sub>` of the repository.
pub fn fixture(sub: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/pdf")
        .join(sub)
}

/// `fixtures/expected/<stem>.json` as JSON.
pub fn gold(stem: &str) -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/expected")
        .join(format!("{stem}.json"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_slice(&bytes).expect("gold JSON")
}

/// The crate's probe binary, which runs the worker protocol.
pub fn probe() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_iki-pdf-probe"))
}

/// The text-layer fixture PDFs, sorted.
pub fn text_pdfs() -> Vec<PathBuf> {
    let mut pdfs: Vec<PathBuf> = std::fs::read_dir(fixture("text"))
        .expect("fixtures/pdf/text")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .collect();
    pdfs.sort();
    pdfs
}

pub fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}
