//! Evaluation of a directory of gold files against a directory of prediction files, matched by
//! file name.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::counts::Counts;
use crate::error::EvalError;
use crate::report::{DocumentCounts, Report};
use crate::score::score_document;

/// The run summary the CLI writes next to the documents; never a document.
const SUMMARY_FILE: &str = "summary.json";

/// Evaluates every `*.json` in `gold` against the file of the same name in `pred`. A missing
/// prediction counts every gold field as a false negative; prediction files without a gold file
/// are ignored.
pub fn evaluate_dirs(gold: &Path, pred: &Path) -> Result<Report, EvalError> {
    ensure_dir(pred)?;
    let names = gold_file_names(gold)?;
    if names.is_empty() {
        return Err(EvalError::NoGoldFiles {
            path: gold.to_path_buf(),
        });
    }
    let mut documents = Vec::with_capacity(names.len());
    for name in names {
        documents.push(evaluate_file(&gold.join(&name), &pred.join(&name), name)?);
    }
    Ok(Report::new(documents))
}

fn evaluate_file(gold: &Path, pred: &Path, name: String) -> Result<DocumentCounts, EvalError> {
    let gold_value = read_json(gold)?;
    let prediction_missing = !pred.is_file();
    let pred_value = if prediction_missing {
        Value::Null
    } else {
        read_json(pred)?
    };
    let mut counts = Counts::new();
    score_document(&gold_value, &pred_value, &mut counts);
    Ok(DocumentCounts {
        file: name,
        prediction_missing,
        counts,
    })
}

/// Names of the `*.json` files in `dir` (not `summary.json`), sorted.
fn gold_file_names(dir: &Path) -> Result<Vec<String>, EvalError> {
    let io_error = |source| EvalError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut names = Vec::new();
    for entry in fs::read_dir(dir).map_err(io_error)? {
        let path = entry.map_err(io_error)?.path();
        if is_document_file(&path) {
            if let Some(name) = path.file_name().and_then(|n| n.to_str()) {
                names.push(name.to_string());
            }
        }
    }
    names.sort();
    Ok(names)
}

fn is_document_file(path: &Path) -> bool {
    path.is_file()
        && path.extension().is_some_and(|e| e == "json")
        && path.file_name().is_some_and(|n| n != SUMMARY_FILE)
}

fn ensure_dir(dir: &Path) -> Result<(), EvalError> {
    fs::read_dir(dir)
        .map(|_| ())
        .map_err(|source| EvalError::Io {
            path: dir.to_path_buf(),
            source,
        })
}

fn read_json(path: &Path) -> Result<Value, EvalError> {
    let text = fs::read_to_string(path).map_err(|source| EvalError::Io {
        path: PathBuf::from(path),
        source,
    })?;
    serde_json::from_str(&text).map_err(|source| EvalError::Json {
        path: PathBuf::from(path),
        source,
    })
}
