//! Running the OCR tools (`pdfinfo`, `pdftoppm`, `tesseract`) as child processes with a
//! deadline, and the scratch directory their files live in.

use super::OCR_PACKAGES;
use crate::error::PdfError;
use crate::isolate::wait_with_deadline;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// What a finished tool run produced.
#[derive(Debug)]
pub(crate) struct ToolOutput {
    pub success: bool,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl ToolOutput {
    /// The last line the tool wrote to stderr.
    pub fn complaint(&self) -> String {
        String::from_utf8_lossy(&self.stderr)
            .lines()
            .last()
            .unwrap_or("")
            .trim()
            .to_string()
    }
}

/// Run a tool until `deadline`, collecting its output; past it the tool is killed and the
/// answer is `ocr_timeout`.
pub(crate) fn run_tool(command: &mut Command, deadline: Instant) -> Result<ToolOutput, PdfError> {
    let timeout = remaining(deadline)?;
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let program = command.get_program().to_string_lossy().into_owned();
    let mut child = command.spawn().map_err(|e| {
        PdfError::OcrUnavailable(format!(
            "cannot run `{program}` ({e}); OCR needs `apt-get install {OCR_PACKAGES}`"
        ))
    })?;
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let (status, stdout, stderr) = thread::scope(|s| {
        let out = s.spawn(move || read_all(stdout));
        let err = s.spawn(move || read_all(stderr));
        let status = wait_with_deadline(&mut child, timeout);
        (status, out.join(), err.join())
    });
    let status = status.map_err(|e| match e {
        PdfError::Timeout(_) => {
            PdfError::OcrTimeout(format!("`{program}` took longer than its time limit"))
        }
        e => e,
    })?;
    Ok(ToolOutput {
        success: status.success(),
        stdout: stdout.unwrap_or_default(),
        stderr: stderr.unwrap_or_default(),
    })
}

/// Time left before `deadline`; none left is `ocr_timeout`.
pub(crate) fn remaining(deadline: Instant) -> Result<Duration, PdfError> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Err(PdfError::OcrTimeout(
            "OCR of the page took longer than its time limit".to_string(),
        ));
    }
    Ok(left)
}

fn read_all(pipe: Option<impl Read>) -> Vec<u8> {
    let mut out = Vec::new();
    if let Some(mut pipe) = pipe {
        let _ = pipe.read_to_end(&mut out);
    }
    out
}

/// A private scratch directory, removed on drop.
pub(crate) struct TempDir(PathBuf);

impl TempDir {
    pub fn new() -> Result<TempDir, PdfError> {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let name = format!(
            "iki-ocr-{}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            nanos
        );
        let path = std::env::temp_dir().join(name);
        std::fs::create_dir(&path)
            .map_err(|e| PdfError::OcrFailed(format!("cannot create a scratch directory: {e}")))?;
        Ok(TempDir(path))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A scratch file could not be written or read.
pub(crate) fn scratch_error(what: &str, e: impl std::fmt::Display) -> PdfError {
    PdfError::OcrFailed(format!("cannot {what}: {e}"))
}
