//! The package's Rust side: paths and archives read as the CLI reads them, display paths of
//! remote objects, misuse refused, the published schema.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::*;

const CORPUS_FILE: &str = "lumajang-kec-lumajang-2023.txt";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Settings whose PDF worker cannot start: enough for everything but PDFs.
fn settings() -> Settings {
    Settings {
        ocr: false,
        pdf_timeout: Duration::from_secs(5),
        pdf_worker: WorkerCommand::exe("/nonexistent/pdf-worker"),
    }
}

fn json(line: &str) -> Value {
    serde_json::from_str(line).unwrap()
}

fn corpus_bytes() -> Vec<u8> {
    std::fs::read(workspace().join("corpus").join(CORPUS_FILE)).unwrap()
}

/// A zip at `path` holding `entries` (name, bytes), stored.
fn write_zip(path: &Path, entries: &[(&str, &[u8])]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in entries {
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn bytes_become_the_document_the_parser_gives() {
    let bytes = corpus_bytes();
    let line = extract_bytes(&bytes, "form.txt", &settings());
    let expected = serde_json::to_string(&reference_document(&bytes)).unwrap();
    assert_eq!(line, expected);
    let doc = json(&line);
    assert_eq!(doc["status"], "ok");
    assert_eq!(doc["source"]["path"], "form.txt");
}

/// The text path of `iki_extract` with the CLI's config, as a reference.
fn reference_document(bytes: &[u8]) -> IkiDocument {
    iki_extract::extract(
        iki_model::InputFormat::Text,
        "form.txt",
        bytes,
        &settings().config(),
    )
}

#[test]
fn bytes_are_recognised_by_content_before_name() {
    // A PDF named .txt goes to the PDF reader, whose worker here cannot start.
    let doc = json(&extract_bytes(
        b"%PDF-1.4\n%garbage",
        "scan.txt",
        &settings(),
    ));
    assert_eq!(doc["source"]["format"], "pdf");
    assert_eq!(doc["status"], "failed");
    assert_eq!(doc["error"]["code"], "internal_error");
    assert!(doc["error"]["message"]
        .as_str()
        .unwrap()
        .contains("cannot start the PDF worker"));
}

#[test]
fn a_path_expands_like_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = corpus_bytes();
    write_zip(
        &dir.path().join("b.zip"),
        &[("x/one.txt", &bytes), ("two.md", b"bukan formulir")],
    );
    std::fs::write(dir.path().join("a.txt"), &bytes).unwrap();
    std::fs::write(dir.path().join("notes.csv"), b"ignored by the walk").unwrap();
    let root = dir.path().to_string_lossy().into_owned();
    let paths: Vec<String> = extract_path(dir.path(), None, &settings())
        .unwrap()
        .iter()
        .map(|l| json(l)["source"]["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        paths,
        [
            format!("{root}/a.txt"),
            format!("{root}/b.zip!/x/one.txt"),
            format!("{root}/b.zip!/two.md"),
        ]
    );
    // Listing leaves the archive whole; each listed file expands to its part of the above.
    let listed = list_files(&[dir.path()]);
    assert_eq!(listed, [format!("{root}/a.txt"), format!("{root}/b.zip")]);
    let one_by_one: usize = listed
        .iter()
        .map(|p| extract_path(Path::new(p), None, &settings()).unwrap().len())
        .sum();
    assert_eq!(one_by_one, 3);
}

#[test]
fn a_scratch_copy_keeps_the_remote_name() {
    let dir = tempfile::tempdir().unwrap();
    let scratch = dir.path().join("tmp1234.zip");
    write_zip(&scratch, &[("form.txt", &corpus_bytes())]);
    let lines = extract_path(&scratch, Some("s3://archives/2023/kec.zip"), &settings()).unwrap();
    assert_eq!(lines.len(), 1);
    let doc = json(&lines[0]);
    assert_eq!(
        doc["source"]["path"],
        "s3://archives/2023/kec.zip!/form.txt"
    );
    assert_eq!(doc["status"], "ok");
}

#[test]
fn one_file_or_a_clear_refusal() {
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("a.zip");
    write_zip(&zip, &[("form.txt", b"x")]);
    assert_eq!(
        extract_file(dir.path(), &settings()),
        Err(PathError::Directory)
    );
    assert_eq!(extract_file(&zip, &settings()), Err(PathError::Archive));
    assert_eq!(
        extract_file(Path::new("-"), &settings()),
        Err(PathError::Stdin)
    );
    assert_eq!(
        extract_path(Path::new("-"), None, &settings()),
        Err(PathError::Stdin)
    );
    let missing = json(&extract_file(&dir.path().join("gone.txt"), &settings()).unwrap());
    assert_eq!(missing["status"], "failed");
    assert_eq!(missing["error"]["code"], "not_found");
}

#[test]
fn input_names_are_those_the_walk_takes() {
    for (name, taken) in [
        ("a/form.TXT", true),
        ("x.md", true),
        ("scan.pdf", true),
        ("kec.tar.gz", true),
        ("kec.tgz", true),
        ("kec.zip", true),
        ("notes.csv", false),
        ("README", false),
    ] {
        assert_eq!(is_input_name(name), taken, "{name}");
    }
}

#[test]
fn schema_is_the_published_one() {
    let published: Value = serde_json::from_slice(
        &std::fs::read(workspace().join("schema/iki-document.schema.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(json(&schema_json()), published);
}
