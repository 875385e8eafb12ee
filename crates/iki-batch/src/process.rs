//! Processing one input on a worker thread: read it (bounded), skip it if a resumed run
//! already wrote it, extract it under the watchdog, render its JSON.
//!
//! Everything that touches the input runs inside `catch_unwind`, so a panic in the parser
//! becomes a failed document with code `internal_error` and the batch goes on. Rendering
//! happens here, in the worker, so that the single writer only copies bytes.

use std::fs::File;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::Arc;

use iki_model::clock::ParseClock;
use iki_model::{failed_document, source, ErrorCode, IkiDocument, InputFormat};

use crate::archive::SNIFF_BYTES;
use crate::error::InputError;
use crate::inputs::{read_capped, Content, Input};
use crate::resume::ResumeIndex;
use crate::summary::DocStats;
use crate::watchdog::{Running, Watchdog};

/// Turns one input into a document: its format as recognised, its display path, its raw
/// bytes and the clock of its parse time (reading with its own time limit, a PDF worker or
/// OCR, runs under [`ParseClock::reading`] and does not count against `--parse-timeout`).
/// The caller composes it (text parser, PDF reader, office reader); a panic inside it
/// becomes an `internal_error` document.
pub type Extractor =
    Arc<dyn Fn(InputFormat, &str, &[u8], &ParseClock) -> IkiDocument + Send + Sync>;

/// Which renderings of each document the run writes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Renderings {
    /// One compact line for NDJSON.
    pub compact: bool,
    /// Pretty JSON for `OUT_DIR/<stem>.json`.
    pub pretty: bool,
    /// The document itself, for the run's [`crate::DocumentSink`].
    pub document: bool,
}

/// The rendered JSON of one document, each with its final newline: the bytes as written.
#[derive(Debug, Default)]
pub(crate) struct Rendered {
    /// One NDJSON line.
    pub compact: Option<Vec<u8>>,
    /// The content of `OUT_DIR/<stem>.json`.
    pub pretty: Option<Vec<u8>>,
    /// The document, kept when the run has a document sink (boxed: most runs have none).
    pub document: Option<Box<IkiDocument>>,
}

/// What a worker hands to the writer for one input.
#[derive(Debug)]
pub(crate) struct Processed {
    pub index: usize,
    pub stem: String,
    /// `None` only for a reused document whose statistics the writer reads back.
    pub stats: Option<DocStats>,
    pub rendered: Rendered,
    /// Already in every output (resumed run): nothing to write.
    pub reused: bool,
    pub bytes_read: u64,
    pub disk_bytes: u64,
}

/// Everything a worker needs, shared by all of them.
pub(crate) struct Worker {
    pub extract: Extractor,
    pub renderings: Renderings,
    pub max_file_bytes: u64,
    pub resume: ResumeIndex,
    pub watchdog: Watchdog,
}

impl Worker {
    /// Process input number `index`; `None` when the watchdog took the parse over (it then
    /// delivered the failed document itself).
    pub(crate) fn process(&self, index: usize, input: Input) -> Option<Processed> {
        let Input {
            display_path,
            stem,
            format,
            content,
            disk_bytes,
        } = input;
        let done = |doc: IkiDocument, bytes_read: u64| Processed {
            index,
            stem: stem.clone(),
            stats: Some(DocStats::of(&doc, bytes_read)),
            rendered: render_or_fail(doc, self.renderings),
            reused: false,
            bytes_read,
            disk_bytes,
        };
        let bytes = match content {
            Content::File(path) => read_file(&path, self.max_file_bytes),
            Content::Bytes(bytes) => Ok(bytes),
            Content::Failed(err) => Err(err),
        };
        let bytes = match bytes {
            Ok(bytes) => bytes,
            Err(err) => return Some(done(input_failed(&display_path, format, &err), 0)),
        };
        let bytes_read = bytes.len() as u64;
        let format = recognised(&bytes, format);
        // A document sink needs every document, so nothing is reused for it.
        let reusable = !self.renderings.document;
        if let Some(stats) = reusable
            .then(|| self.resume.lookup(index, &display_path, &stem, &bytes))
            .flatten()
        {
            return Some(Processed {
                index,
                stem,
                stats,
                rendered: Rendered::default(),
                reused: true,
                bytes_read,
                disk_bytes,
            });
        }
        let bytes = Arc::new(bytes);
        let clock = ParseClock::start();
        self.watchdog.watch(index, || {
            Running::new(
                &display_path,
                &stem,
                format,
                Arc::clone(&bytes),
                disk_bytes,
                clock.clone(),
            )
        });
        let doc = guarded_extract(&self.extract, format, &display_path, &bytes, &clock);
        if !self.watchdog.unwatch(index) {
            return None;
        }
        Some(done(doc, bytes_read))
    }
}

/// The document the watchdog writes for a parse it took over.
pub(crate) fn timed_out(
    index: usize,
    running: &Running,
    limit_seconds: f64,
    renderings: Renderings,
) -> Processed {
    let message =
        format!("parsing took longer than the limit of {limit_seconds} s; the file was skipped");
    let doc = failed_document(
        source(
            &running.display_path,
            &running.bytes,
            running.format.source_format(),
            None,
        ),
        ErrorCode::ParseTimeout,
        message,
    );
    Processed {
        index,
        stem: running.stem.clone(),
        stats: Some(DocStats::of(&doc, running.bytes.len() as u64)),
        rendered: render_or_fail(doc, renderings),
        reused: false,
        bytes_read: running.bytes.len() as u64,
        disk_bytes: running.disk_bytes,
    }
}

/// `extract` with panics caught: a panic is an `internal_error` document.
fn guarded_extract(
    extract: &Extractor,
    format: InputFormat,
    display_path: &str,
    bytes: &[u8],
    clock: &ParseClock,
) -> IkiDocument {
    catch_unwind(AssertUnwindSafe(|| {
        extract(format, display_path, bytes, clock)
    }))
    .unwrap_or_else(|payload| panic_document(display_path, format, bytes, payload.as_ref()))
}

/// Read and extract one input with `extract`, outside a batch. Never fails and never
/// panics: every problem is a failed document.
pub fn process_input(input: Input, max_file_bytes: u64, extract: &Extractor) -> IkiDocument {
    let bytes = match input.content {
        Content::File(path) => read_file(&path, max_file_bytes),
        Content::Bytes(bytes) => Ok(bytes),
        Content::Failed(err) => Err(err),
    };
    match bytes {
        Err(err) => input_failed(&input.display_path, input.format, &err),
        Ok(bytes) => {
            let format = recognised(&bytes, input.format);
            guarded_extract(
                extract,
                format,
                &input.display_path,
                &bytes,
                &ParseClock::start(),
            )
        }
    }
}

/// The format of an input: what its first bytes announce (a PDF named `.txt`, a PDF on
/// standard input), else what its name does.
fn recognised(bytes: &[u8], by_name: InputFormat) -> InputFormat {
    InputFormat::sniff(&bytes[..bytes.len().min(SNIFF_BYTES)]).unwrap_or(by_name)
}

fn input_failed(display_path: &str, format: InputFormat, err: &InputError) -> IkiDocument {
    let mut doc = failed_document(
        source(display_path, &[], format.source_format(), None),
        err.code(),
        err.to_string(),
    );
    doc.source.bytes = err.reported_size();
    doc
}

fn panic_document(
    display_path: &str,
    format: InputFormat,
    bytes: &[u8],
    payload: &(dyn std::any::Any + Send),
) -> IkiDocument {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic payload".to_string());
    let message = format!("internal error while processing this file: {what}");
    failed_document(
        source(display_path, bytes, format.source_format(), None),
        ErrorCode::InternalError,
        message,
    )
}

/// Read the whole file unless it is larger than `limit` (checked before reading, and again
/// while reading in case it grows).
fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>, InputError> {
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
    read_capped(file, path, limit, size)
}

/// Render `doc` (and keep it if asked); a document that cannot be serialised (never expected)
/// becomes a failed one.
fn render_or_fail(doc: IkiDocument, renderings: Renderings) -> Rendered {
    let (rendered, doc) = match render(&doc, renderings) {
        Ok(rendered) => (rendered, doc),
        Err(err) => {
            let message = format!("cannot serialise the document: {err}");
            let mut failed = failed_document(doc.source.clone(), ErrorCode::InternalError, message);
            failed.source.encoding = None;
            (render(&failed, renderings).unwrap_or_default(), failed)
        }
    };
    Rendered {
        document: renderings.document.then(|| Box::new(doc)),
        ..rendered
    }
}

fn render(doc: &IkiDocument, renderings: Renderings) -> Result<Rendered, serde_json::Error> {
    // Room for the usual output (pretty JSON is about three times the text it comes from)
    // spares the buffer its series of doublings.
    let reserve = usize::try_from(doc.source.bytes.saturating_mul(4))
        .unwrap_or(usize::MAX)
        .clamp(4096, 1 << 20);
    let compact = |doc| {
        let mut line = Vec::with_capacity(reserve / 2);
        serde_json::to_writer(&mut line, doc)?;
        line.push(b'\n');
        Ok::<_, serde_json::Error>(line)
    };
    let pretty = |doc| {
        let mut text = Vec::with_capacity(reserve);
        serde_json::to_writer_pretty(&mut text, doc)?;
        text.push(b'\n');
        Ok::<_, serde_json::Error>(text)
    };
    Ok(Rendered {
        compact: renderings.compact.then(|| compact(doc)).transpose()?,
        pretty: renderings.pretty.then(|| pretty(doc)).transpose()?,
        document: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inputs::collect_inputs;
    use crate::Limits;
    use iki_parser::Status;

    const BOTH: Renderings = Renderings {
        compact: true,
        pretty: true,
        document: false,
    };

    fn panicking_extractor(_: &str, _: &[u8]) -> IkiDocument {
        panic!("boom in the parser")
    }

    fn worker(extract: Extractor) -> Worker {
        Worker {
            extract,
            renderings: BOTH,
            max_file_bytes: 1024,
            resume: ResumeIndex::default(),
            watchdog: Watchdog::new(None),
        }
    }

    fn one_input(name: &str, contents: &[u8]) -> (tempfile::TempDir, Input) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, contents).unwrap();
        let input = collect_inputs(&[&path], &Limits::default())
            .0
            .pop()
            .unwrap();
        (dir, input)
    }

    fn doc_of(processed: &Processed) -> IkiDocument {
        serde_json::from_slice(processed.rendered.compact.as_deref().unwrap()).unwrap()
    }

    #[test]
    fn a_panic_becomes_an_internal_error_document() {
        let (_dir, input) = one_input("a.txt", b"hello");
        let path = input.display_path.clone();
        let processed = worker(crate::tests::fn_extractor(panicking_extractor))
            .process(0, input)
            .unwrap();
        let doc = doc_of(&processed);
        assert_eq!(doc.status, Status::Failed);
        let error = doc.error.unwrap();
        assert_eq!(error.code, ErrorCode::InternalError);
        assert!(
            error.message.contains("boom in the parser"),
            "{}",
            error.message
        );
        assert_eq!(doc.source.path, path);
        assert_eq!(doc.source.bytes, 5, "the bytes read are still described");
    }

    #[test]
    fn too_large_files_are_not_read() {
        let (_dir, input) = one_input("big.txt", &[b'x'; 2000]);
        let doc = doc_of(
            &worker(crate::tests::fn_extractor(panicking_extractor))
                .process(0, input)
                .unwrap(),
        );
        assert_eq!(doc.error.unwrap().code, ErrorCode::FileTooLarge);
        assert_eq!(doc.source.bytes, 2000);
    }

    #[test]
    fn source_is_filled() {
        let (_dir, input) = one_input("empty.txt", b"");
        let path = input.display_path.clone();
        let doc = process_input(input, 1024, &crate::tests::parser());
        assert_eq!(doc.source.path, path);
        assert_eq!(doc.source.bytes, 0);
        assert_eq!(
            doc.source.sha256,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn renders_only_what_is_asked() {
        let (_dir, input) = one_input("a.txt", b"x");
        let mut only_compact = worker(crate::tests::parser());
        only_compact.renderings = Renderings {
            compact: true,
            pretty: false,
            document: false,
        };
        let processed = only_compact.process(0, input).unwrap();
        let line = processed.rendered.compact.unwrap();
        assert_eq!(line.iter().filter(|&&b| b == b'\n').count(), 1);
        assert_eq!(line.last(), Some(&b'\n'));
        assert!(processed.rendered.pretty.is_none());
    }
}
