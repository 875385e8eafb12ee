//! The source text shown beside a document's values.
//!
//! A document's `source.path` is resolved against the current directory or an explicit root,
//! read up to a byte cap while the whole file is hashed (to tell whether it is still the file
//! that was extracted), decoded with the encoding the extraction recorded, and split into lines
//! the way the parser splits them (CRLF, CR and LF all end a line), so `line` numbers in the
//! document point at the same lines here. Anything that goes wrong is a reason shown in place
//! of the text, never an error of the report.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use encoding_rs::Encoding;
use iki_model::{IkiDocument, SourceFormat};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// What separates an archive from its member in `source.path` (`corpus.zip!/a.txt`).
const ARCHIVE_MEMBER: &str = "!/";

/// How much of one source text is embedded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceLimits {
    pub max_bytes: usize,
    pub max_lines: usize,
}

/// The source part of a document's data block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum SourceView {
    Shown {
        /// Lines joined by `\n`.
        text: String,
        /// Set when the text was cut: what part of the file is shown.
        truncated: Option<String>,
        /// The file is not the one extracted (size or sha256 differ): lines may not match.
        changed: bool,
    },
    Missing {
        /// Why no text is shown, e.g. "corpus/a.txt: No such file or directory".
        missing: String,
    },
}

impl SourceView {
    pub fn missing(reason: impl Into<String>) -> Self {
        SourceView::Missing {
            missing: reason.into(),
        }
    }

    /// Bytes of source text this view embeds.
    pub fn embedded_bytes(&self) -> usize {
        match self {
            SourceView::Shown { text, .. } => text.len(),
            SourceView::Missing { .. } => 0,
        }
    }

    /// The short state shown in the document list: "shown", "truncated", "changed", "missing".
    pub fn state(&self) -> &'static str {
        match self {
            SourceView::Shown { changed: true, .. } => "changed",
            SourceView::Shown {
                truncated: Some(_), ..
            } => "truncated",
            SourceView::Shown { .. } => "shown",
            SourceView::Missing { .. } => "missing",
        }
    }
}

/// The source view of `doc`, its path resolved against `root` (or the current directory).
pub fn source_view(doc: &IkiDocument, root: Option<&Path>, limits: SourceLimits) -> SourceView {
    if doc.source.format != SourceFormat::Text {
        return SourceView::missing(
            "the input is a PDF: its lines are those of the text extracted from it, which the output does not keep",
        );
    }
    let Some(encoding) = doc.source.encoding.as_deref() else {
        return SourceView::missing(undecoded_reason(doc));
    };
    let path = resolve(&doc.source.path, root);
    let raw = match read_prefix(&path, limits.max_bytes, doc.source.bytes) {
        Ok(raw) => raw,
        Err(_) if doc.source.path.contains(ARCHIVE_MEMBER) => {
            return SourceView::missing(format!(
                "{}: the input is a member of an archive, which the report does not open",
                doc.source.path
            ))
        }
        Err(err) => return SourceView::missing(format!("{}: {err}", path.display())),
    };
    let changed = raw.size != doc.source.bytes
        || raw
            .sha256
            .as_deref()
            .is_some_and(|h| h != doc.source.sha256);
    let mut text = normalize_newlines(&decode(&raw.prefix, encoding));
    let cut_bytes = raw.prefix.len() as u64 != raw.size;
    if cut_bytes {
        drop_partial_last_line(&mut text);
    }
    let (text, shown_lines, cut_lines) = keep_lines(text, limits.max_lines);
    let truncated = (cut_bytes || cut_lines).then(|| truncation_note(shown_lines, raw.size));
    SourceView::Shown {
        text,
        truncated,
        changed,
    }
}

fn undecoded_reason(doc: &IkiDocument) -> String {
    match &doc.error {
        Some(error) => format!("no text was decoded from this input ({})", error.code),
        None => "no text was decoded from this input".to_string(),
    }
}

/// `source_path` as written when absolute or without a root, else under `root`.
pub fn resolve(source_path: &str, root: Option<&Path>) -> PathBuf {
    match root {
        Some(root) => root.join(source_path),
        None => PathBuf::from(source_path),
    }
}

/// The first bytes of a file, its size, and (when its size is the extracted size, so the read
/// is bounded by what the extraction read) the sha256 of all of it.
#[derive(Debug)]
struct RawSource {
    prefix: Vec<u8>,
    size: u64,
    sha256: Option<String>,
}

fn read_prefix(path: &Path, max_bytes: usize, extracted_size: u64) -> io::Result<RawSource> {
    let mut file = File::open(path)?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Err(io::Error::other("not a regular file"));
    }
    let size = metadata.len();
    if size != extracted_size {
        let mut prefix = Vec::new();
        file.take(max_bytes as u64).read_to_end(&mut prefix)?;
        return Ok(RawSource {
            prefix,
            size,
            sha256: None,
        });
    }
    let (prefix, sha256) = hash_keeping_prefix(&mut file, max_bytes)?;
    Ok(RawSource {
        prefix,
        size,
        sha256: Some(sha256),
    })
}

/// Reads `reader` to its end, hashing everything and keeping the first `max_bytes`.
fn hash_keeping_prefix(reader: &mut impl Read, max_bytes: usize) -> io::Result<(Vec<u8>, String)> {
    let mut hasher = Sha256::new();
    let mut prefix = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        hasher.update(&buf[..n]);
        let room = max_bytes.saturating_sub(prefix.len());
        prefix.extend_from_slice(&buf[..n.min(room)]);
    }
    Ok((prefix, format!("{:x}", hasher.finalize())))
}

/// Bytes to text with the encoding the extraction detected ("utf-8", "utf-8-bom",
/// "windows-1252", or any WHATWG label); invalid sequences become U+FFFD.
pub fn decode(bytes: &[u8], encoding: &str) -> String {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match encoding {
        "utf-8" | "utf-8-bom" => String::from_utf8_lossy(body).into_owned(),
        label => match Encoding::for_label(label.as_bytes()) {
            Some(enc) => enc.decode_without_bom_handling(bytes).0.into_owned(),
            None => String::from_utf8_lossy(body).into_owned(),
        },
    }
}

/// CRLF and CR become LF, as in the parser's line model.
pub fn normalize_newlines(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_string();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// A text cut at a byte cap ends inside a line (perhaps inside a character): drop that line.
fn drop_partial_last_line(text: &mut String) {
    if let Some(end) = text.rfind('\n') {
        text.truncate(end);
    }
}

/// The first `max_lines` lines of `text`, how many lines that is, and whether non-empty text
/// was cut off.
pub fn keep_lines(mut text: String, max_lines: usize) -> (String, usize, bool) {
    let mut count = 0;
    let mut cut_at = None;
    for (i, _) in text.match_indices('\n') {
        count += 1;
        if count == max_lines {
            cut_at = Some(i);
            break;
        }
    }
    match cut_at {
        Some(i) => {
            let cut = text.len() > i + 1;
            text.truncate(i);
            (text, max_lines, cut)
        }
        None => (text, count + 1, false),
    }
}

fn truncation_note(shown_lines: usize, file_bytes: u64) -> String {
    format!("only the first {shown_lines} lines of this {file_bytes}-byte file are embedded")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    const LIMITS: SourceLimits = SourceLimits {
        max_bytes: 1024,
        max_lines: 100,
    };

    fn doc_for(path: &Path, bytes: &[u8]) -> IkiDocument {
        iki_parser::extract(path.to_str().unwrap(), bytes)
    }

    fn shown(view: &SourceView) -> (&str, Option<&str>, bool) {
        match view {
            SourceView::Shown {
                text,
                truncated,
                changed,
            } => (text, truncated.as_deref(), *changed),
            SourceView::Missing { missing } => panic!("missing: {missing}"),
        }
    }

    #[test]
    fn shows_the_whole_text_with_parser_line_breaks() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        let bytes = b"INDIKATOR KINERJA INDIVIDU\r\nJabatan : Camat\rline 3\n";
        fs::write(&path, bytes).unwrap();
        let view = source_view(&doc_for(&path, bytes), None, LIMITS);
        assert_eq!(
            shown(&view),
            (
                "INDIKATOR KINERJA INDIVIDU\nJabatan : Camat\nline 3\n",
                None,
                false
            )
        );
        assert_eq!(view.state(), "shown");
    }

    #[test]
    fn resolves_against_a_root() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.txt"), "x").unwrap();
        let doc = doc_for(Path::new("a.txt"), b"x");
        assert_eq!(shown(&source_view(&doc, Some(dir.path()), LIMITS)).0, "x");
        assert_eq!(
            resolve("/abs/a.txt", Some(dir.path())),
            Path::new("/abs/a.txt")
        );
    }

    #[test]
    fn a_missing_file_or_undecoded_input_gives_a_reason() {
        let doc = doc_for(Path::new("/nonexistent/a.txt"), b"x");
        let view = source_view(&doc, None, LIMITS);
        assert!(
            matches!(&view, SourceView::Missing { missing } if missing.contains("/nonexistent/a.txt"))
        );
        assert_eq!(view.state(), "missing");
        let binary = doc_for(Path::new("b.bin"), b"\0\0\0\0");
        assert!(matches!(
            source_view(&binary, None, LIMITS),
            SourceView::Missing { missing } if missing.contains("binary_file")
        ));
    }

    #[test]
    fn an_archive_member_says_so() {
        let doc = doc_for(Path::new("/nonexistent/corpus.zip!/a.txt"), b"x");
        assert!(matches!(
            source_view(&doc, None, LIMITS),
            SourceView::Missing { missing } if missing.ends_with("member of an archive, which the report does not open")
        ));
    }

    #[test]
    fn a_pdf_source_is_not_shown_as_text() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.pdf");
        fs::write(&path, "%PDF-1.4").unwrap();
        let mut doc = doc_for(&path, b"%PDF-1.4");
        doc.source.format = SourceFormat::Pdf;
        doc.source.encoding = Some("utf-8".to_string());
        assert!(matches!(
            source_view(&doc, None, LIMITS),
            SourceView::Missing { missing } if missing.contains("PDF")
        ));
    }

    #[test]
    fn an_edited_file_is_marked_changed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        fs::write(&path, "abc").unwrap();
        let doc = doc_for(&path, b"abd");
        assert_eq!(shown(&source_view(&doc, None, LIMITS)), ("abc", None, true));
        let longer = doc_for(&path, b"abcd");
        assert!(shown(&source_view(&longer, None, LIMITS)).2);
    }

    #[test]
    fn cuts_at_the_byte_cap_on_a_line_boundary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        let text = "é line\n".repeat(400);
        fs::write(&path, &text).unwrap();
        let view = source_view(&doc_for(&path, text.as_bytes()), None, LIMITS);
        let (shown_text, truncated, changed) = shown(&view);
        assert!(shown_text.len() <= 1024 && !shown_text.contains('\u{fffd}'));
        assert!(shown_text.ends_with("é line"));
        assert!(
            truncated.unwrap().contains("3200-byte file"),
            "{truncated:?}"
        );
        assert!(!changed);
        assert_eq!(view.state(), "truncated");
    }

    #[test]
    fn cuts_at_the_line_cap() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        let text = "x\n".repeat(500);
        fs::write(&path, &text).unwrap();
        let view = source_view(&doc_for(&path, text.as_bytes()), None, LIMITS);
        let (shown_text, truncated, _) = shown(&view);
        assert_eq!(shown_text.matches('\n').count(), 99);
        assert!(shown_text.ends_with('x'));
        assert!(truncated.unwrap().contains("first 100 lines"));
    }

    #[test]
    fn keep_lines_table() {
        let cases = [
            ("", 3, "", 1, false),
            ("a", 3, "a", 1, false),
            ("a\nb\nc", 3, "a\nb\nc", 3, false),
            ("a\nb\nc\n", 3, "a\nb\nc", 3, false),
            ("a\nb\nc\nd", 3, "a\nb\nc", 3, true),
            ("a\n", 3, "a\n", 2, false),
        ];
        for (text, max, expected, count, cut) in cases {
            let kept = keep_lines(text.to_string(), max);
            assert_eq!(kept, (expected.to_string(), count, cut), "{text:?}");
        }
    }

    #[test]
    fn decodes_by_recorded_encoding() {
        assert_eq!(decode(b"\xEF\xBB\xBFCamat", "utf-8-bom"), "Camat");
        assert_eq!(decode(b"Caf\xe9", "windows-1252"), "Café");
        assert_eq!(decode(b"Caf\xe9", "utf-8"), "Caf\u{fffd}");
        assert_eq!(decode(b"abc", "no-such-encoding"), "abc");
    }
}
