//! The published JSON Schema (`schema/iki-document.schema.json`) is the one the types generate,
//! and every document `iki extract` writes — good, failed and crafted inputs — validates
//! against it.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

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

fn committed_schema() -> Value {
    let text = std::fs::read_to_string(root().join("schema/iki-document.schema.json"))
        .expect("committed schema file");
    serde_json::from_str(&text).expect("schema is JSON")
}

#[test]
fn committed_schema_is_current() {
    let out = iki(&["schema"]);
    assert!(out.status.success());
    let generated: Value = serde_json::from_slice(&out.stdout).expect("schema is JSON");
    assert_eq!(
        generated,
        committed_schema(),
        "schema/iki-document.schema.json is stale: run `cargo run -- schema > schema/iki-document.schema.json`"
    );
}

#[test]
fn every_output_validates() {
    let schema = committed_schema();
    let validator = jsonschema::validator_for(&schema).expect("valid schema");
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("empty.txt"), b"").expect("write");
    std::fs::write(dir.path().join("binary.txt"), [0u8, 159, 146, 150, 0, 1, 2]).expect("write");
    let out = iki(&[
        "extract",
        "corpus",
        "fixtures/crafted",
        dir.path().to_str().expect("utf-8 path"),
        "--ndjson",
        "-",
        "--quiet",
    ]);
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let mut count = 0;
    for line in text.lines() {
        let doc: Value = serde_json::from_str(line).expect("JSON line");
        let errors: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", doc["source"]["path"]);
        count += 1;
    }
    assert!(count >= 5 + 9 + 2, "documents validated: {count}");
}

#[test]
fn schema_rejects_a_broken_document() {
    let validator = jsonschema::validator_for(&committed_schema()).expect("valid schema");
    let broken = serde_json::json!({"schema_version": "1", "status": "maybe"});
    assert!(!validator.is_valid(&broken));
}
