//! Evaluation of a directory of gold files against a directory of prediction files, matched by
//! file name. A prediction directory written by `iki extract -o` says through its manifest
//! which documents its last run wrote ([`iki_model::outdir`]); a file an earlier run left
//! there is stale and scores as a missing prediction.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use iki_model::outdir::list_documents;
use serde_json::Value;

use crate::counts::Counts;
use crate::error::EvalError;
use crate::report::{DocumentCounts, Report};
use crate::score::score_document;

/// Unmatched names listed in the error when gold and predictions share none.
const LISTED_UNMATCHED: usize = 10;

/// Evaluates every `*.json` in `gold` against the file of the same name in `pred`. A missing
/// (or stale) prediction counts every gold field as a false negative; prediction files
/// without a gold file are ignored. Fails when no name is shared: then nothing would be
/// scored, which is always a mistake (e.g. predictions of an archive, named after it).
pub fn evaluate_dirs(gold: &Path, pred: &Path) -> Result<Report, EvalError> {
    let names = list_documents(gold).map_err(io_error(gold))?.documents;
    if names.is_empty() {
        return Err(EvalError::NoGoldFiles {
            path: gold.to_path_buf(),
        });
    }
    let predictions = list_documents(pred).map_err(io_error(pred))?;
    let predicted: HashSet<&str> = predictions.documents.iter().map(String::as_str).collect();
    if !names.iter().any(|n| predicted.contains(n.as_str())) {
        let gold_names: HashSet<&str> = names.iter().map(String::as_str).collect();
        return Err(EvalError::NoSharedNames {
            gold: gold.to_path_buf(),
            pred: pred.to_path_buf(),
            gold_only: listed(names.iter().map(String::as_str), names.len()),
            pred_only: listed(
                predictions
                    .documents
                    .iter()
                    .map(String::as_str)
                    .filter(|n| !gold_names.contains(n)),
                predictions.documents.len(),
            ),
        });
    }
    let mut documents = Vec::with_capacity(names.len());
    for name in &names {
        let prediction = predicted.contains(name.as_str()).then(|| pred.join(name));
        documents.push(evaluate_file(
            &gold.join(name),
            prediction.as_deref(),
            name,
        )?);
    }
    let mut report = Report::new(documents);
    report.stale_predictions = predictions
        .stale
        .into_iter()
        .filter(|n| names.binary_search(n).is_ok())
        .collect();
    Ok(report)
}

/// "a.json, b.json, … (12 in all)": the first names of a list for an error message.
fn listed<'a>(names: impl Iterator<Item = &'a str>, total: usize) -> String {
    let first: Vec<&str> = names.take(LISTED_UNMATCHED).collect();
    if first.is_empty() {
        return "none".to_string();
    }
    let more = if total > first.len() {
        format!(", … ({total} in all)")
    } else {
        String::new()
    };
    format!("{}{more}", first.join(", "))
}

fn evaluate_file(
    gold: &Path,
    pred: Option<&Path>,
    name: &str,
) -> Result<DocumentCounts, EvalError> {
    let gold_value = read_json(gold)?;
    let pred_value = match pred {
        Some(path) => read_json(path)?,
        None => Value::Null,
    };
    let mut counts = Counts::new();
    score_document(&gold_value, &pred_value, &mut counts);
    Ok(DocumentCounts {
        file: name.to_string(),
        prediction_missing: pred.is_none(),
        counts,
    })
}

fn io_error(path: &Path) -> impl Fn(std::io::Error) -> EvalError + '_ {
    move |source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    }
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
