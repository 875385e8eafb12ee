//! The layout of an `iki extract -o OUT_DIR` directory, shared by its writer (`iki-batch`) and
//! its readers (`iki report`, `iki eval`, `--resume`):
//!
//! ```text
//! OUT_DIR/<stem>.json            one document per input: `OUT_DIR/*.json` yields documents only
//! OUT_DIR/_run/manifest.ndjson   one ManifestEntry per document of the last run, in input order
//! OUT_DIR/_run/summary.json      the last run's counts, written when it finished
//! OUT_DIR/_run/lock              held (advisory lock) while a run writes OUT_DIR
//! ```
//!
//! The run's own files live in a `_`-prefixed folder, as data-lake writers keep theirs
//! (`_SUCCESS`, `_delta_log/`), so both a shell glob and a Spark or Arrow dataset reader see
//! documents only. A directory re-used by several runs keeps the documents of earlier runs
//! (iki never deletes them); the manifest tells the last run's documents from those stale ones.

use std::collections::HashSet;
use std::fs;
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::Status;

/// The folder of the run's own files inside OUT_DIR.
pub const RUN_DIR: &str = "_run";
/// The last run's summary (in [`RUN_DIR`]); present only once that run finished.
pub const SUMMARY_FILE: &str = "summary.json";
/// The last run's documents (in [`RUN_DIR`]), one JSON line each.
pub const MANIFEST_FILE: &str = "manifest.ndjson";
/// The file a run holds an advisory lock on (in [`RUN_DIR`]).
pub const LOCK_FILE: &str = "lock";

/// `OUT_DIR/_run/<name>`.
pub fn run_file(out_dir: &Path, name: &str) -> PathBuf {
    out_dir.join(RUN_DIR).join(name)
}

/// One line of the manifest: a document file of the run and the input it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestEntry {
    /// The document's file name in OUT_DIR, e.g. `"lumajang-2023.json"`.
    pub file: String,
    /// `source.path` of the document.
    pub path: String,
    /// `source.sha256` of the document.
    pub sha256: String,
    pub status: Status,
}

/// What [`list_documents`] found in a directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    /// File names of the documents to read, sorted.
    pub documents: Vec<String>,
    /// `*.json` files the last run did not write (left by an earlier run), sorted.
    pub stale: Vec<String>,
    /// Documents the manifest lists that are not in the directory, sorted.
    pub missing: Vec<String>,
    pub run: RunState,
}

/// Whether the directory says which run wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunState {
    /// A manifest and a summary: the last run finished.
    Finished,
    /// A manifest without a summary: the last run was stopped (or is still going).
    Unfinished,
    /// No manifest: not written by `iki extract -o` (a gold directory, hand-made files);
    /// every `*.json` counts as a document.
    NoManifest,
}

/// The document files of `dir`: with a manifest, those the last run wrote; without one, every
/// regular `*.json` file. Fails only when `dir` or its manifest cannot be read.
pub fn list_documents(dir: &Path) -> io::Result<Listing> {
    let mut present = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        // `metadata` follows a symlink, as reading the document would.
        if name.ends_with(".json") && entry.path().metadata().is_ok_and(|m| m.is_file()) {
            present.push(name.to_string());
        }
    }
    present.sort();
    let Some(manifest) = read_manifest_files(dir)? else {
        return Ok(Listing {
            documents: present,
            stale: Vec::new(),
            missing: Vec::new(),
            run: RunState::NoManifest,
        });
    };
    let run = if run_file(dir, SUMMARY_FILE).is_file() {
        RunState::Finished
    } else {
        RunState::Unfinished
    };
    let (documents, stale) = present.into_iter().partition(|n| manifest.contains(n));
    let on_disk: &Vec<String> = &documents;
    let mut missing: Vec<String> = manifest
        .into_iter()
        .filter(|n| on_disk.binary_search(n).is_err())
        .collect();
    missing.sort();
    Ok(Listing {
        documents,
        stale,
        missing,
        run,
    })
}

/// The file names the manifest of `dir` lists; `None` when there is no manifest.
fn read_manifest_files(dir: &Path) -> io::Result<Option<HashSet<String>>> {
    let path = run_file(dir, MANIFEST_FILE);
    let file = match fs::File::open(&path) {
        Ok(file) => file,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(err),
    };
    let mut files = HashSet::new();
    for (n, line) in BufReader::new(file).lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let entry: ManifestEntry = serde_json::from_str(&line).map_err(|err| {
            let message = format!("{} line {}: {err}", path.display(), n + 1);
            io::Error::new(io::ErrorKind::InvalidData, message)
        })?;
        files.insert(entry.file);
    }
    Ok(Some(files))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(file: &str) -> String {
        let entry = ManifestEntry {
            file: file.to_string(),
            path: format!("in/{file}"),
            sha256: "00".to_string(),
            status: Status::Ok,
        };
        serde_json::to_string(&entry).unwrap() + "\n"
    }

    #[test]
    fn without_a_manifest_every_json_file_is_a_document() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["b.json", "a.json", "notes.txt"] {
            fs::write(dir.path().join(name), "{}").unwrap();
        }
        fs::create_dir(dir.path().join("sub.json")).unwrap();
        let listing = list_documents(dir.path()).unwrap();
        assert_eq!(listing.documents, ["a.json", "b.json"]);
        assert_eq!(listing.run, RunState::NoManifest);
        assert!(listing.stale.is_empty());
    }

    #[test]
    fn the_manifest_separates_the_last_run_from_stale_and_missing_documents() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["old.json", "a.json", "b.json"] {
            fs::write(dir.path().join(name), "{}").unwrap();
        }
        fs::create_dir(dir.path().join(RUN_DIR)).unwrap();
        let manifest = entry("b.json") + &entry("a.json") + &entry("gone.json");
        fs::write(run_file(dir.path(), MANIFEST_FILE), manifest).unwrap();
        let listing = list_documents(dir.path()).unwrap();
        assert_eq!(listing.documents, ["a.json", "b.json"]);
        assert_eq!(listing.stale, ["old.json"]);
        assert_eq!(listing.missing, ["gone.json"]);
        assert_eq!(listing.run, RunState::Unfinished);
        fs::write(run_file(dir.path(), SUMMARY_FILE), "{}").unwrap();
        assert_eq!(list_documents(dir.path()).unwrap().run, RunState::Finished);
    }

    #[test]
    fn a_broken_manifest_line_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join(RUN_DIR)).unwrap();
        fs::write(
            run_file(dir.path(), MANIFEST_FILE),
            entry("a.json") + "{oops\n",
        )
        .unwrap();
        let err = list_documents(dir.path()).unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
    }
}
