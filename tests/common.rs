//! Helpers shared by the end-to-end test modules: running the binary and reading its output.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

pub fn iki() -> Command {
    Command::new(env!("CARGO_BIN_EXE_iki"))
}

pub fn run_iki(args: &[&str]) -> Output {
    iki().args(args).output().expect("the iki binary runs")
}

/// A temporary path as the `&str` an argument list wants.
pub fn s(path: &Path) -> &str {
    path.to_str().expect("temp paths are UTF-8")
}

/// The workspace root (corpus, fixtures).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn corpus_file(name: &str) -> Vec<u8> {
    fs::read(root().join("corpus").join(name)).expect("corpus file")
}

/// The documents of NDJSON output.
pub fn ndjson(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON document per line"))
        .collect()
}
