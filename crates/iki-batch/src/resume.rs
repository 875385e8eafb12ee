//! `--resume`: find what an interrupted run already wrote, so a second run skips it and still
//! ends with exactly the bytes of a clean run.
//!
//! A document is reused when every configured output already holds it for the same input,
//! matched by `source.path` and `source.sha256` (the input is read and hashed, not parsed):
//!
//! - NDJSON: the writer emits in input order, so an interrupted file is a prefix of the clean
//!   output. [`scan_ndjson`] keeps its complete, parseable lines (dropping a torn last line)
//!   and line `i` can stand for input `i`. Where the prefix stops matching the writer
//!   rewrites the file from there (see [`crate::output`]).
//! - `OUT_DIR/<stem>.json`: files are written atomically, so one that exists is whole;
//!   stale temporary files of a killed run are removed ([`remove_stale_temp_files`]).
//!
//! Reuse assumes the same version of `iki` wrote the old outputs; after an upgrade, start
//! from an empty output instead.

use std::fs::{self, File};
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};

use iki_model::IkiDocument;
use sha2::{Digest, Sha256};

use crate::output::TEMP_PREFIX;
use crate::summary::DocStats;

/// One complete line of an existing NDJSON file: the key of its document and where it is.
#[derive(Debug, Clone)]
pub(crate) struct OldLine {
    pub key: u128,
    /// Byte range of the line in the file, newline included.
    pub start: u64,
    pub end: u64,
}

/// What [`scan_ndjson`] found: the usable lines and where they end.
#[derive(Debug, Default)]
pub(crate) struct NdjsonScan {
    pub lines: Vec<OldLine>,
    /// End of the last usable line; anything after it is torn or garbage.
    pub valid_end: u64,
}

/// Read an existing NDJSON output: every complete line that parses as a document, up to
/// the first one that does not. A missing file is an empty scan. Only 32 bytes per line are
/// kept (key and offsets), so resuming a file of 10^5 documents takes a few MB.
pub(crate) fn scan_ndjson(path: &Path) -> io::Result<NdjsonScan> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(NdjsonScan::default()),
        Err(err) => return Err(err),
    };
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let mut scan = NdjsonScan::default();
    let mut line = Vec::new();
    loop {
        line.clear();
        let n = reader.read_until(b'\n', &mut line)?;
        if n == 0 || line.last() != Some(&b'\n') {
            break;
        }
        let Ok(doc) = serde_json::from_slice::<IkiDocument>(&line[..n - 1]) else {
            break;
        };
        let start = scan.valid_end;
        scan.valid_end += n as u64;
        scan.lines.push(OldLine {
            key: key(&doc.source.path, &doc.source.sha256),
            start,
            end: scan.valid_end,
        });
    }
    Ok(scan)
}

/// The statistics of a document read back from an old output line.
pub(crate) fn stats_of_line(line: &[u8], bytes_read: u64) -> io::Result<DocStats> {
    let text = line.strip_suffix(b"\n").unwrap_or(line);
    let doc: IkiDocument = serde_json::from_slice(text).map_err(io::Error::other)?;
    Ok(DocStats::of(&doc, bytes_read))
}

/// A 128-bit digest of a document's identity (display path and content hash).
fn key(path: &str, sha256: &str) -> u128 {
    let digest = Sha256::new()
        .chain_update(path.as_bytes())
        .chain_update(b"\n")
        .chain_update(sha256.as_bytes())
        .finalize();
    let mut first = [0u8; 16];
    first.copy_from_slice(&digest[..16]);
    u128::from_le_bytes(first)
}

/// Remove the temporary files a killed run left in `dir` (they never hold a whole output).
pub(crate) fn remove_stale_temp_files(dir: &Path) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let is_temp = entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX);
        if is_temp && entry.file_type()?.is_file() {
            fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

/// What the workers consult to decide whether an input is already written.
#[derive(Debug, Default)]
pub(crate) struct ResumeIndex {
    /// Resuming an NDJSON file: the keys of its usable lines, in input order.
    ndjson: Option<Vec<u128>>,
    /// Resuming an output directory.
    out_dir: Option<PathBuf>,
}

impl ResumeIndex {
    pub(crate) fn new(ndjson: Option<&NdjsonScan>, out_dir: Option<&Path>) -> Self {
        ResumeIndex {
            ndjson: ndjson.map(|scan| scan.lines.iter().map(|line| line.key).collect()),
            out_dir: out_dir.map(Path::to_path_buf),
        }
    }

    /// True when there is anything to resume from.
    pub(crate) fn is_active(&self) -> bool {
        self.ndjson.is_some() || self.out_dir.is_some()
    }

    /// Whether input `index` is already in every configured output: `None` means it must be
    /// extracted; `Some(stats)` that it is written, with its statistics when they were read
    /// here (from `OUT_DIR`; for NDJSON the writer reads them back from the old line).
    pub(crate) fn lookup(
        &self,
        index: usize,
        display_path: &str,
        stem: &str,
        bytes: &[u8],
    ) -> Option<Option<DocStats>> {
        if !self.is_active() {
            return None;
        }
        let sha256 = format!("{:x}", Sha256::digest(bytes));
        if let Some(keys) = &self.ndjson {
            if *keys.get(index)? != key(display_path, &sha256) {
                return None;
            }
        }
        let Some(dir) = &self.out_dir else {
            return Some(None);
        };
        let doc = read_document(&dir.join(format!("{stem}.json")))?;
        if doc.source.path != display_path || doc.source.sha256 != sha256 {
            return None;
        }
        Some(Some(DocStats::of(&doc, bytes.len() as u64)))
    }
}

fn read_document(path: &Path) -> Option<IkiDocument> {
    let text = fs::read(path).ok()?;
    serde_json::from_slice(&text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use iki_model::{failed_document, source, ErrorCode, SourceFormat};

    fn line(path: &str, bytes: &[u8]) -> String {
        let doc = failed_document(
            source(path, bytes, SourceFormat::Text, None),
            ErrorCode::NotIki,
            "m",
        );
        serde_json::to_string(&doc).unwrap() + "\n"
    }

    #[test]
    fn scan_keeps_complete_lines_and_drops_a_torn_tail() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.ndjson");
        let full = line("a.txt", b"a") + &line("b.txt", b"b");
        let torn = &line("c.txt", b"c")[..20];
        fs::write(&path, format!("{full}{torn}")).unwrap();
        let scan = scan_ndjson(&path).unwrap();
        assert_eq!(scan.lines.len(), 2);
        assert_eq!(scan.valid_end, full.len() as u64);
        assert_eq!(scan.lines[1].start, line("a.txt", b"a").len() as u64);
        let sha = format!("{:x}", Sha256::digest(b"b"));
        assert_eq!(scan.lines[1].key, key("b.txt", &sha));
    }

    #[test]
    fn scan_stops_at_a_garbage_line_and_accepts_a_missing_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.ndjson");
        assert!(scan_ndjson(&path).unwrap().lines.is_empty());
        fs::write(
            &path,
            line("a.txt", b"a") + "{not json\n" + &line("b.txt", b"b"),
        )
        .unwrap();
        assert_eq!(scan_ndjson(&path).unwrap().lines.len(), 1);
    }

    #[test]
    fn lookup_matches_path_and_hash_at_the_same_index() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.ndjson");
        fs::write(&path, line("a.txt", b"a") + &line("b.txt", b"b")).unwrap();
        let scan = scan_ndjson(&path).unwrap();
        let index = ResumeIndex::new(Some(&scan), None);
        assert!(index.lookup(0, "a.txt", "a", b"a").is_some());
        assert!(index.lookup(0, "a.txt", "a", b"changed").is_none());
        assert!(index.lookup(1, "a.txt", "a", b"a").is_none());
        assert!(index.lookup(2, "c.txt", "c", b"c").is_none());
    }

    #[test]
    fn lookup_in_out_dir_reads_the_stem_file() {
        let dir = tempfile::tempdir().unwrap();
        let doc = failed_document(
            source("a.txt", b"a", SourceFormat::Text, None),
            ErrorCode::NotIki,
            "m",
        );
        fs::write(
            dir.path().join("a.json"),
            serde_json::to_string_pretty(&doc).unwrap(),
        )
        .unwrap();
        let index = ResumeIndex::new(None, Some(dir.path()));
        assert!(index.lookup(7, "a.txt", "a", b"a").is_some());
        assert!(index.lookup(7, "a.txt", "b", b"a").is_none());
        assert!(index.lookup(7, "other.txt", "a", b"a").is_none());
    }
}
