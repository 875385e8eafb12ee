//! Measured accuracy from an evaluation report, and the reliability of confidence against it.
//!
//! The input is the JSON that `iki eval --json` prints for the same output directory; only its
//! `files` (one per gold file, named `<stem>.json` like the documents) and `headline` are read.
//! A document's measured accuracy is the share of its scored fields that were right, counting
//! missed and spurious ones (soft matching): `tp / (tp + fp + fn)`.
//! Confidence claims to be "the fraction of this document's fields extracted correctly", so a
//! reliability bin compares the mean confidence of its documents with their mean accuracy.
//! Accuracy, bins and the calibration error are computed by [`iki_eval::calibration`], as in
//! `iki eval`.

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use iki_eval::calibration;
use serde::Deserialize;

use crate::error::ReportError;

pub use iki_eval::calibration::{
    bin_of, expected_calibration_error, reliability, ReliabilityBin, BINS,
};

#[derive(Debug, Deserialize)]
struct EvalJson {
    files: Vec<EvalFile>,
    headline: Option<EvalScores>,
}

#[derive(Debug, Deserialize)]
struct EvalFile {
    file: String,
    #[serde(default)]
    prediction_missing: bool,
    soft: Tally,
}

#[derive(Debug, Deserialize)]
struct EvalScores {
    soft: Tally,
}

#[derive(Debug, Clone, Copy, Deserialize)]
struct Tally {
    tp: u64,
    fp: u64,
    #[serde(rename = "fn")]
    fn_: u64,
    #[serde(default)]
    f1: Option<f64>,
}

impl Tally {
    /// `tp / (tp + fp + fn)`; `None` when nothing was scored.
    fn accuracy(self) -> Option<f64> {
        calibration::accuracy(iki_eval::Tally {
            tp: self.tp,
            fp: self.fp,
            fn_: self.fn_,
        })
    }
}

/// Measured accuracy per document name (output stem).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Accuracy {
    by_name: HashMap<String, f64>,
    /// Micro-F1 (soft) over all files of the evaluation.
    pub headline_f1: Option<f64>,
}

impl Accuracy {
    /// Reads the evaluation file at `path`.
    pub fn read(path: &Path) -> Result<Accuracy, ReportError> {
        let text = fs::read_to_string(path).map_err(|source| ReportError::ReadEval {
            path: path.to_path_buf(),
            source,
        })?;
        Accuracy::parse(&text).map_err(|source| ReportError::ParseEval {
            path: path.to_path_buf(),
            source,
        })
    }

    /// Parses the text of an evaluation file.
    pub fn parse(text: &str) -> Result<Accuracy, serde_json::Error> {
        let eval: EvalJson = serde_json::from_str(text)?;
        let by_name = eval
            .files
            .iter()
            .filter(|f| !f.prediction_missing)
            .filter_map(|f| Some((stem(&f.file).to_string(), f.soft.accuracy()?)))
            .collect();
        Ok(Accuracy {
            by_name,
            headline_f1: eval.headline.and_then(|h| h.soft.f1),
        })
    }

    /// The measured accuracy of the document `name` (its output stem).
    pub fn of(&self, name: &str) -> Option<f64> {
        self.by_name.get(name).copied()
    }
}

fn stem(file: &str) -> &str {
    file.strip_suffix(".json").unwrap_or(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVAL: &str = r#"{
      "headline": {"field": "all", "gold": 10,
        "soft": {"tp": 9, "fp": 1, "fn": 1, "precision": 0.9, "recall": 0.9, "f1": 0.9},
        "exact": {"tp": 9, "fp": 1, "fn": 1, "precision": 0.9, "recall": 0.9, "f1": 0.9}},
      "fields": [],
      "files": [
        {"file": "a.json", "prediction_missing": false, "gold": 4,
         "soft": {"tp": 3, "fp": 0, "fn": 1, "precision": 1, "recall": 0.75, "f1": 0.85},
         "exact": {"tp": 3, "fp": 0, "fn": 1, "precision": 1, "recall": 0.75, "f1": 0.85}},
        {"file": "b.json", "prediction_missing": true, "gold": 4,
         "soft": {"tp": 0, "fp": 0, "fn": 4, "precision": 1, "recall": 0, "f1": 0},
         "exact": {"tp": 0, "fp": 0, "fn": 4, "precision": 1, "recall": 0, "f1": 0}},
        {"file": "c.json", "prediction_missing": false, "gold": 0,
         "soft": {"tp": 0, "fp": 0, "fn": 0, "precision": 1, "recall": 1, "f1": 1},
         "exact": {"tp": 0, "fp": 0, "fn": 0, "precision": 1, "recall": 1, "f1": 1}},
        {"file": "d.json", "prediction_missing": false, "gold": 2,
         "soft": {"tp": 1, "fp": 1, "fn": 1, "precision": 0.5, "recall": 0.5, "f1": 0.5},
         "exact": {"tp": 1, "fp": 1, "fn": 1, "precision": 0.5, "recall": 0.5, "f1": 0.5}}
      ],
      "diffs": [], "diffs_total": 0
    }"#;

    #[test]
    fn reads_per_file_accuracy() {
        let acc = Accuracy::parse(EVAL).unwrap();
        assert_eq!(acc.of("a"), Some(0.75));
        assert_eq!(acc.of("b"), None, "prediction missing");
        assert_eq!(acc.of("c"), None, "nothing scored");
        assert_eq!(acc.of("d"), Some(1.0 / 3.0));
        assert_eq!(acc.headline_f1, Some(0.9));
    }

    #[test]
    fn rejects_other_json() {
        assert!(Accuracy::parse(r#"{"files": 3}"#).is_err());
        assert!(Accuracy::parse("[]").is_err());
    }
}
