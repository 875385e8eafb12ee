//! Processing one input: read it (bounded), extract it, fill `source`, render its JSON.
//!
//! Everything that touches the input runs inside `catch_unwind`, so a panic in the parser
//! becomes a failed document with code `internal_error` and the batch goes on. Rendering
//! happens here, in the worker, so that the single writer only copies bytes.

use std::fs::File;
use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use iki_parser::{failed_document, IkiDocument, SourceFormat};

use crate::error::InputError;
use crate::inputs::{Input, InputKind};
use crate::summary::DocStats;

/// The function that turns a display path and raw bytes into a document.
pub(crate) type Extractor = fn(&str, &[u8]) -> IkiDocument;

/// Which renderings of each document the run writes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Renderings {
    /// One compact line for NDJSON.
    pub compact: bool,
    /// Pretty JSON for `OUT_DIR/<stem>.json`.
    pub pretty: bool,
}

/// The rendered JSON of one document.
#[derive(Debug, Default)]
pub(crate) struct Rendered {
    pub compact: Option<String>,
    pub pretty: Option<String>,
}

/// What a worker hands to the writer for one input.
#[derive(Debug)]
pub(crate) struct Processed {
    pub stats: DocStats,
    pub rendered: Rendered,
}

/// Read, extract and describe one input with the real parser. Never fails and never
/// panics: every problem is a failed document.
pub fn process_input(input: &Input, max_file_bytes: u64) -> IkiDocument {
    guarded_document(input, max_file_bytes, iki_parser::extract).0
}

/// [`process_input`] plus statistics and rendering, as the batch driver needs it.
pub(crate) fn process_for_batch(
    input: &Input,
    max_file_bytes: u64,
    extract: Extractor,
    renderings: Renderings,
) -> Processed {
    let (doc, bytes_read) = guarded_document(input, max_file_bytes, extract);
    match render(&doc, renderings) {
        Ok(rendered) => Processed {
            stats: DocStats::of(&doc, bytes_read),
            rendered,
        },
        Err(err) => {
            let message = format!("cannot serialise the document: {err}");
            let failed =
                failed_document(&input.display_path, &[], None, "internal_error", &message);
            Processed {
                stats: DocStats::of(&failed, bytes_read),
                rendered: render(&failed, renderings).unwrap_or_default(),
            }
        }
    }
}

/// The document of `input` and the number of bytes read, with panics caught.
fn guarded_document(input: &Input, max_file_bytes: u64, extract: Extractor) -> (IkiDocument, u64) {
    catch_unwind(AssertUnwindSafe(|| {
        document(input, max_file_bytes, extract)
    }))
    .unwrap_or_else(|payload| (panic_document(input, payload.as_ref()), 0))
}

fn document(input: &Input, max_file_bytes: u64, extract: Extractor) -> (IkiDocument, u64) {
    if let InputKind::Unusable(err) = &input.kind {
        return (input_failed(input, err), 0);
    }
    let bytes = match read_capped(&input.fs_path, max_file_bytes) {
        Ok(bytes) => bytes,
        Err(err) => return (input_failed(input, &err), 0),
    };
    let doc = match &input.kind {
        InputKind::Pdf => pdf_document(input, &bytes),
        InputKind::Archive => failed_document(
            &input.display_path,
            &bytes,
            None,
            "archive_unsupported",
            "archives (.zip, .tar, .tar.gz) are not supported yet; unpack them and pass the directory",
        ),
        InputKind::Text | InputKind::Unusable(_) => extract(&input.display_path, &bytes),
    };
    // The parser fills `source` (path, sha256, bytes) from what it is given.
    (doc, bytes.len() as u64)
}

fn pdf_document(input: &Input, bytes: &[u8]) -> IkiDocument {
    let mut doc = failed_document(
        &input.display_path,
        bytes,
        None,
        "pdf_unsupported",
        "PDF input is not supported yet; convert it to text first",
    );
    doc.source.format = SourceFormat::Pdf;
    doc
}

fn input_failed(input: &Input, err: &InputError) -> IkiDocument {
    let mut doc = failed_document(&input.display_path, &[], None, err.code(), &err.to_string());
    if let InputError::TooLarge { size, .. } = err {
        doc.source.bytes = *size;
    }
    if matches!(input.kind, InputKind::Pdf) {
        doc.source.format = SourceFormat::Pdf;
    }
    doc
}

fn panic_document(input: &Input, payload: &(dyn std::any::Any + Send)) -> IkiDocument {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic payload".to_string());
    let message = format!("internal error while processing this file: {what}");
    failed_document(&input.display_path, &[], None, "internal_error", &message)
}

/// Read the whole file unless it is larger than `limit`; a file that grows while being read
/// is caught too, since at most `limit + 1` bytes are read.
fn read_capped(path: &Path, limit: u64) -> Result<Vec<u8>, InputError> {
    let file = File::open(path).map_err(|err| InputError::io(path, err))?;
    let size = file
        .metadata()
        .map_err(|err| InputError::io(path, err))?
        .len();
    if size > limit {
        return Err(InputError::TooLarge {
            path: path.to_path_buf(),
            size,
            limit,
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|err| InputError::io(path, err))?;
    if bytes.len() as u64 > limit {
        return Err(InputError::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

fn render(doc: &IkiDocument, renderings: Renderings) -> Result<Rendered, serde_json::Error> {
    Ok(Rendered {
        compact: renderings
            .compact
            .then(|| serde_json::to_string(doc))
            .transpose()?,
        pretty: renderings
            .pretty
            .then(|| serde_json::to_string_pretty(doc))
            .transpose()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inputs::collect_inputs;
    use iki_parser::Status;

    const BOTH: Renderings = Renderings {
        compact: true,
        pretty: true,
    };

    fn panicking_extractor(_: &str, _: &[u8]) -> IkiDocument {
        panic!("boom in the parser")
    }

    fn one_input(name: &str, contents: &[u8]) -> (tempfile::TempDir, Input) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, contents).unwrap();
        let input = collect_inputs(&[&path]).pop().unwrap();
        (dir, input)
    }

    #[test]
    fn a_panic_becomes_an_internal_error_document() {
        let (_dir, input) = one_input("a.txt", b"hello");
        let processed = process_for_batch(&input, 1024, panicking_extractor, BOTH);
        let doc: IkiDocument =
            serde_json::from_str(processed.rendered.compact.as_deref().unwrap()).unwrap();
        assert_eq!(doc.status, Status::Failed);
        let error = doc.error.unwrap();
        assert_eq!(error.code, "internal_error");
        assert!(
            error.message.contains("boom in the parser"),
            "{}",
            error.message
        );
        assert_eq!(doc.source.path, input.display_path);
    }

    #[test]
    fn too_large_files_are_not_read() {
        let (_dir, input) = one_input("big.txt", &[b'x'; 100]);
        let doc = guarded_document(&input, 99, panicking_extractor).0;
        assert_eq!(doc.error.unwrap().code, "file_too_large");
        assert_eq!(doc.source.bytes, 100);
        let doc = guarded_document(&input, 100, iki_parser::extract).0;
        assert_ne!(
            doc.error.map(|e| e.code),
            Some("file_too_large".to_string())
        );
    }

    #[test]
    fn source_is_filled() {
        let (_dir, input) = one_input("empty.txt", b"");
        let doc = process_input(&input, 1024);
        assert_eq!(doc.source.path, input.display_path);
        assert_eq!(doc.source.bytes, 0);
        assert_eq!(
            doc.source.sha256,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn pdf_and_archives_are_failed_for_now() {
        let (_dir, pdf) = one_input("scan.PDF", b"%PDF-1.4");
        let doc = process_input(&pdf, 1024);
        assert_eq!(doc.error.unwrap().code, "pdf_unsupported");
        assert_eq!(doc.source.format, SourceFormat::Pdf);
        assert_eq!(doc.source.bytes, 8);
        let (_dir, zip) = one_input("forms.zip", b"PK");
        assert_eq!(
            process_input(&zip, 1024).error.unwrap().code,
            "archive_unsupported"
        );
    }

    #[test]
    fn renders_only_what_is_asked() {
        let (_dir, input) = one_input("a.txt", b"x");
        let only_compact = Renderings {
            compact: true,
            pretty: false,
        };
        let processed = process_for_batch(&input, 1024, iki_parser::extract, only_compact);
        let line = processed.rendered.compact.unwrap();
        assert!(!line.contains('\n'));
        assert!(processed.rendered.pretty.is_none());
    }
}
