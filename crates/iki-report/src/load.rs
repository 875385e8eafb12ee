//! The document files of an `iki extract -o` directory, in file-name order (the order ids are
//! given in, so `#doc=N` stays stable between runs): those the directory's last run wrote,
//! as its manifest lists them ([`iki_model::outdir`]); every `*.json` file of a directory
//! without a manifest.

use std::fs;
use std::path::{Path, PathBuf};

use iki_model::outdir::{list_documents, Listing};
use iki_model::IkiDocument;

use crate::error::{DocumentError, ReportError};

/// One document file of the output directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentFile {
    pub path: PathBuf,
    /// File name without `.json`: the output stem, and the key into the evaluation report.
    pub name: String,
}

/// The documents of an output directory, and what the listing found besides (stale and
/// missing documents, whether the last run finished).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentFiles {
    pub files: Vec<DocumentFile>,
    pub listing: Listing,
}

/// The document files of `out_dir`, sorted by name.
pub fn document_files(out_dir: &Path) -> Result<DocumentFiles, ReportError> {
    let listing = list_documents(out_dir).map_err(|source| ReportError::ReadDir {
        path: out_dir.to_path_buf(),
        source,
    })?;
    if listing.documents.is_empty() {
        return Err(ReportError::NoDocuments {
            path: out_dir.to_path_buf(),
        });
    }
    let files = listing
        .documents
        .iter()
        .map(|file_name| DocumentFile {
            path: out_dir.join(file_name),
            name: file_name.trim_end_matches(".json").to_string(),
        })
        .collect();
    Ok(DocumentFiles { files, listing })
}

/// Reads and parses one document file.
pub fn load_document(path: &Path) -> Result<IkiDocument, DocumentError> {
    let text = fs::read_to_string(path)?;
    Ok(serde_json::from_str(&text)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use iki_model::outdir::{run_file, RunState, MANIFEST_FILE, RUN_DIR};

    fn names(files: &DocumentFiles) -> Vec<&str> {
        files.files.iter().map(|f| f.name.as_str()).collect()
    }

    #[test]
    fn lists_documents_sorted() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["b.json", "a.json", "summary.json", "notes.txt"] {
            fs::write(dir.path().join(name), "{}").unwrap();
        }
        fs::create_dir(dir.path().join("sub.json")).unwrap();
        let files = document_files(dir.path()).unwrap();
        assert_eq!(names(&files), ["a", "b", "summary"]);
        assert_eq!(files.listing.run, RunState::NoManifest);
    }

    #[test]
    fn the_manifest_leaves_out_stale_documents() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["new.json", "old.json"] {
            fs::write(dir.path().join(name), "{}").unwrap();
        }
        fs::create_dir(dir.path().join(RUN_DIR)).unwrap();
        fs::write(
            run_file(dir.path(), MANIFEST_FILE),
            "{\"file\":\"new.json\",\"path\":\"a.txt\",\"sha256\":\"0\",\"status\":\"ok\"}\n",
        )
        .unwrap();
        let files = document_files(dir.path()).unwrap();
        assert_eq!(names(&files), ["new"]);
        assert_eq!(files.listing.stale, ["old.json"]);
        assert_eq!(files.listing.run, RunState::Unfinished);
    }

    #[test]
    fn empty_or_missing_directory_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("notes.txt"), "{}").unwrap();
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
