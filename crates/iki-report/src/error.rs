//! Error types of the report writer.
//!
//! Only what stops the whole report is a [`ReportError`]: an output directory that cannot be
//! listed, an evaluation file that cannot be read, a report that cannot be written. A document
//! JSON that cannot be read is a [`DocumentError`]: the report lists it as skipped and goes on,
//! the same way a missing source text becomes "source not available".

use std::io;
use std::path::PathBuf;

impl ReportError {
    /// True when the report could not be written (exit code 3), not its inputs read.
    pub fn is_write(&self) -> bool {
        matches!(self, ReportError::Write { .. })
    }
}

/// Why no report was written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// The output directory could not be listed.
    #[error("{}: cannot read the output directory", path.display())]
    ReadDir {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// The output directory holds no document JSON of its last run.
    #[error("{}: no document JSON files (is this an `iki extract -o` directory?)", path.display())]
    NoDocuments { path: PathBuf },
    /// The evaluation file could not be read.
    #[error("{}: cannot read the evaluation file", path.display())]
    ReadEval {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// The evaluation file is not the JSON that `iki eval --json` prints.
    #[error("{}: not the JSON output of `iki eval --json`", path.display())]
    ParseEval {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    /// The report (or its scratch file) could not be written.
    #[error("{}: cannot write the report", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// Why one document JSON of the output directory is not in the report.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DocumentError {
    #[error("cannot read the file: {0}")]
    Io(#[from] io::Error),
    #[error("not an IKI document: {0}")]
    Json(#[from] serde_json::Error),
}
