//! The document files of an `iki extract -o` directory: every `*.json` but `summary.json`,
//! in file-name order (the order ids are given in, so `#doc=N` stays stable between runs).

use std::fs;
use std::path::{Path, PathBuf};

use iki_model::IkiDocument;

use crate::error::{DocumentError, ReportError};

/// The run summary the CLI writes next to the documents; never a document.
const SUMMARY_FILE: &str = "summary.json";

/// One document file of the output directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentFile {
    pub path: PathBuf,
    /// File name without `.json`: the output stem, and the key into the evaluation report.
    pub name: String,
}

/// The document files of `out_dir`, sorted by name.
pub fn document_files(out_dir: &Path) -> Result<Vec<DocumentFile>, ReportError> {
    let read_error = |source| ReportError::ReadDir {
        path: out_dir.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    for entry in fs::read_dir(out_dir).map_err(read_error)? {
        let path = entry.map_err(read_error)?.path();
        if let Some(name) = document_name(&path) {
            files.push(DocumentFile { path, name });
        }
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    if files.is_empty() {
        return Err(ReportError::NoDocuments {
            path: out_dir.to_path_buf(),
        });
    }
    Ok(files)
}

/// The stem of a document file: a regular `*.json` file that is not `summary.json`.
fn document_name(path: &Path) -> Option<String> {
    let file_name = path.file_name()?.to_str()?;
    if file_name == SUMMARY_FILE || !path.is_file() {
        return None;
    }
    file_name.strip_suffix(".json").map(str::to_string)
}

/// Reads and parses one document file.
pub fn load_document(path: &Path) -> Result<IkiDocument, DocumentError> {
    let text = fs::read_to_string(path)?;
    Ok(serde_json::from_str(&text)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_documents_sorted_without_summary() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["b.json", "a.json", "summary.json", "notes.txt"] {
            fs::write(dir.path().join(name), "{}").unwrap();
        }
        fs::create_dir(dir.path().join("sub.json")).unwrap();
        let names: Vec<String> = document_files(dir.path())
            .unwrap()
            .into_iter()
            .map(|f| f.name)
            .collect();
        assert_eq!(names, ["a", "b"]);
    }

    #[test]
    fn empty_or_missing_directory_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("summary.json"), "{}").unwrap();
        assert!(matches!(
            document_files(dir.path()),
            Err(ReportError::NoDocuments { .. })
        ));
        assert!(matches!(
            document_files(&dir.path().join("missing")),
            Err(ReportError::ReadDir { .. })
        ));
    }

    #[test]
    fn a_broken_document_is_a_document_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.json");
        fs::write(&path, "{\"schema_version\": \"1\"}").unwrap();
        assert!(matches!(load_document(&path), Err(DocumentError::Json(_))));
        assert!(matches!(
            load_document(&dir.path().join("none.json")),
            Err(DocumentError::Io(_))
        ));
    }
}
