//! Errors of the evaluation: I/O and JSON failures, always with the path that caused them.

use std::path::PathBuf;

/// Why an evaluation could not run.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// A directory or file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A gold or prediction file is not valid JSON.
    #[error("invalid JSON in {path}: {source}")]
    Json {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    /// The gold directory holds no `*.json` file, so there is nothing to evaluate.
    #[error("no gold files (*.json) in {path}")]
    NoGoldFiles { path: PathBuf },
}
