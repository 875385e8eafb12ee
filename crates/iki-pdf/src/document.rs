//! A PDF input read the way the batch wants it: the text layer in the isolated worker, OCR
//! for scans when asked. What comes out is text (or, for scans read as ruled tables, cells)
//! plus warnings; the caller parses it, so this crate knows nothing of the parser.

use crate::error::PdfError;
use crate::isolate::{run_worker, Limits, WORKER_ARG};
use crate::ocr::{ocr_image, ocr_text_bytes, OcrOptions};
use crate::text::PdfText;
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::Command;

/// How the batch reads PDFs.
#[derive(Debug, Clone)]
pub struct PdfConfig {
    /// The program started as the PDF worker.
    pub worker: WorkerCommand,
    pub limits: Limits,
    /// `Some` with `--ocr`: PDFs without a text layer are read by OCR.
    pub ocr: Option<OcrOptions>,
}

/// The command line of a PDF worker: `program args… __pdf-worker`.
///
/// The CLI starts itself (`iki __pdf-worker`, no extra arguments); the Python package, which
/// has no binary of its own, starts the interpreter on its worker script
/// (`python …/iki/_pdf_worker.py __pdf-worker`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerCommand {
    pub program: PathBuf,
    /// Arguments before [`WORKER_ARG`].
    pub args: Vec<OsString>,
}

impl WorkerCommand {
    /// A binary that serves the protocol when started as `exe __pdf-worker`.
    pub fn exe(exe: impl Into<PathBuf>) -> WorkerCommand {
        WorkerCommand {
            program: exe.into(),
            args: Vec::new(),
        }
    }

    /// The command to spawn, [`WORKER_ARG`] included.
    pub fn command(&self) -> Command {
        let mut command = Command::new(&self.program);
        command.args(&self.args).arg(WORKER_ARG);
        command
    }
}

/// Read one PDF's text: its text layer, or OCR when it has none and OCR is configured.
/// `PdfText::origin` says which.
pub fn read_pdf(bytes: &[u8], config: &PdfConfig) -> Result<PdfText, PdfError> {
    match run_worker(config.worker.command(), bytes, &config.limits) {
        Err(PdfError::NoTextLayer(message)) => match &config.ocr {
            Some(options) => ocr_text_bytes(bytes, options),
            None => Err(PdfError::NoTextLayer(message)),
        },
        other => other,
    }
}

/// Read a page image file (PNG, JPEG, TIFF) by OCR; without OCR configured it cannot be read.
pub fn read_image(bytes: &[u8], config: &PdfConfig) -> Result<PdfText, PdfError> {
    match &config.ocr {
        Some(options) => ocr_image(bytes, options),
        None => Err(PdfError::OcrUnavailable(
            "image input is read by OCR only; run with --ocr".to_string(),
        )),
    }
}
