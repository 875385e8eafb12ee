//! The Rust side of the Python package `iki`: inputs to documents rendered as the JSON the CLI
//! writes, through the same crates the CLI uses.
//!
//! ```text
//! bytes + name ──recognise──▶ iki_extract::extract ──▶ one JSON document
//! PATH ──iki_batch::enumerate_inputs (walk, archives)──▶ process_input ──▶ one JSON per input
//! ```
//!
//! Every document is the compact JSON line `iki extract --ndjson` writes for it, so the
//! package and a cluster job built on it give the CLI's bytes. The PyO3 bindings
//! (`python` feature, [`python`]) only convert arguments and release the GIL around these
//! functions.
//!
//! PDFs are decoded in a child process, as in the CLI. A wheel has no `iki` binary to start
//! as `iki __pdf-worker`, and maturin cannot put a second binary into a PyO3 wheel, so the
//! package starts the Python interpreter on its worker script (`python …/iki/_pdf_worker.py
//! __pdf-worker`), which calls [`iki_pdf::worker_main`] from this same extension module: the
//! same protocol, limits and error codes, and a crash of the decoder kills only that child.

#[cfg(feature = "python")]
pub mod python;

use std::ops::ControlFlow;
use std::path::Path;
use std::time::Duration;

use iki_batch::archive::ArchiveFormat;
use iki_batch::{enumerate_inputs, process_input, Content, Input, Limits};
use iki_model::{failed_document, ErrorCode, IkiDocument};
use iki_pdf::{OcrOptions, PdfConfig, WorkerCommand};

/// How the package reads inputs: the CLI's `--ocr` and `--pdf-timeout`, and the command that
/// starts a PDF worker.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Read PDFs without a text layer by OCR.
    pub ocr: bool,
    /// Wall time of one PDF's decoding in the worker.
    pub pdf_timeout: Duration,
    pub pdf_worker: WorkerCommand,
}

impl Settings {
    /// The extraction config the CLI builds from the same options.
    pub fn config(&self) -> iki_extract::Config {
        iki_extract::Config {
            pdf: Some(PdfConfig {
                worker: self.pdf_worker.clone(),
                limits: iki_pdf::Limits {
                    timeout: self.pdf_timeout,
                    ..iki_pdf::Limits::default()
                },
                ocr: self.ocr.then(OcrOptions::default),
            }),
            // Office files are read without LibreOffice: legacy .doc needs the CLI's --office.
            office: Default::default(),
        }
    }
}

/// Why a path cannot be read as asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathError {
    /// `-`, which the CLI reads as standard input; a library caller passes bytes instead.
    Stdin,
    /// A directory holds many documents ([`extract_path`] reads them).
    Directory,
    /// An archive holds many documents ([`extract_path`] reads them).
    Archive,
}

impl std::fmt::Display for PathError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            PathError::Stdin => "`-` means standard input to the CLI; pass the bytes to extract()",
            PathError::Directory => "a directory holds many documents; use extract_path()",
            PathError::Archive => "an archive holds many documents; use extract_path()",
        })
    }
}

impl std::error::Error for PathError {}

/// One document from bytes in memory, named `path`; the format is recognised from the bytes,
/// then the name.
pub fn extract_bytes(data: &[u8], path: &str, settings: &Settings) -> String {
    let input = Input {
        display_path: path.to_string(),
        stem: String::new(),
        format: iki_extract::recognise(path, data),
        content: Content::Bytes(data.to_vec()),
        disk_bytes: 0,
    };
    let extractor = iki_extract::extractor(settings.config());
    render(&process_input(
        input,
        Limits::default().max_file_bytes,
        &extractor,
    ))
}

/// The one document of the file at `path`, read as `iki extract PATH` reads it (a missing or
/// unreadable file is a failed document).
pub fn extract_file(path: &Path, settings: &Settings) -> Result<String, PathError> {
    if path.is_dir() {
        return Err(PathError::Directory);
    }
    if ArchiveFormat::of_name(&path.to_string_lossy()).is_some() {
        return Err(PathError::Archive);
    }
    // Neither a directory nor an archive: the batch makes exactly one input of it (unless it
    // became a directory since the check above).
    extract_path(path, None, settings)?
        .into_iter()
        .next()
        .ok_or(PathError::Directory)
}

/// Every document `iki extract PATH` writes for `path` (a file, an archive's entries, a
/// directory's files), in its order; see [`each_document`].
pub fn extract_path(
    path: &Path,
    display: Option<&str>,
    settings: &Settings,
) -> Result<Vec<String>, PathError> {
    let mut documents = Vec::new();
    each_document(path, display, settings, &mut |line| {
        documents.push(line);
        ControlFlow::Continue(())
    })?;
    Ok(documents)
}

/// Hand every document of `path` to `emit` as soon as it is extracted, until `emit` breaks:
/// an archive of any size is read one entry at a time. `display`, when given, replaces
/// `path` at the start of each `source.path`: a job that copied a remote object to a scratch
/// file keeps the object's name (`s3://bucket/a.zip!/form.txt`).
pub fn each_document(
    path: &Path,
    display: Option<&str>,
    settings: &Settings,
    emit: &mut dyn FnMut(String) -> ControlFlow<()>,
) -> Result<(), PathError> {
    if path.as_os_str() == iki_batch::inputs::STDIN_PATH {
        return Err(PathError::Stdin);
    }
    let extractor = iki_extract::extractor(settings.config());
    let limits = Limits::default();
    let real = path.to_string_lossy().into_owned();
    let own_outputs = iki_batch::OwnOutputs::default();
    let _ = enumerate_inputs(&[path], &limits, &own_outputs, &mut |mut input| {
        if let Some(display) = display {
            input.display_path = redisplay(&input.display_path, &real, display);
        }
        emit(render(&process_input(
            input,
            limits.max_file_bytes,
            &extractor,
        )))
    });
    Ok(())
}

/// The failed document of an input that could not be fetched (a remote object that vanished
/// or refused access): `io_error` with `message`, the format as its name says.
pub fn unreadable(path: &str, message: &str) -> String {
    let format = iki_model::InputFormat::from_name(path)
        .unwrap_or(iki_model::InputFormat::Text)
        .source_format();
    render(&failed_document(
        iki_model::source(path, &[], format, None),
        ErrorCode::IoError,
        message,
    ))
}

/// The files `paths` name, directories walked as the CLI walks them, archives left whole
/// ([`iki_batch::list_files`]).
pub fn list_files(paths: &[&Path]) -> Vec<String> {
    iki_batch::list_files(paths)
        .into_iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect()
}

/// Whether a directory walk takes a file of this name (text, PDF, archive).
pub fn is_input_name(name: &str) -> bool {
    iki_batch::inputs::is_taken_name(Path::new(name))
}

/// The JSON Schema of the document, as `iki schema` prints it.
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(IkiDocument);
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}

/// `shown` with its leading `real` replaced by `display`.
fn redisplay(shown: &str, real: &str, display: &str) -> String {
    match shown.strip_prefix(real) {
        Some(rest) => format!("{display}{rest}"),
        None => shown.to_string(),
    }
}

/// The document's NDJSON line (without its newline); one that cannot be serialised (never
/// expected) becomes a failed document, as in the batch.
fn render(doc: &IkiDocument) -> String {
    serde_json::to_string(doc).unwrap_or_else(|err| {
        let mut failed = failed_document(
            doc.source.clone(),
            ErrorCode::InternalError,
            format!("cannot serialise the document: {err}"),
        );
        failed.source.encoding = None;
        serde_json::to_string(&failed).unwrap_or_default()
    })
}

#[cfg(test)]
mod tests;
