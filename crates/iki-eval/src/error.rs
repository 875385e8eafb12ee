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
    /// No prediction file has the name of a gold file: nothing would be scored.
    #[error(
        "no prediction in {pred} has the name of a gold file in {gold} (predictions are matched to gold files by file name)\n  gold files without a prediction: {gold_only}\n  predictions without a gold file: {pred_only}"
    )]
    NoSharedNames {
        gold: PathBuf,
        pred: PathBuf,
        gold_only: String,
        pred_only: String,
    },
}
