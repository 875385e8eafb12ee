//! Field-level evaluation of IKI extractions against hand-written gold files, in the manner of
//! GROBID's end-to-end evaluation.
//!
//! Gold and predicted documents are compared as `serde_json::Value`s, so a gold file may leave
//! out keys: a key absent from a gold object is not scored. Records, indicators, list items and
//! signatories are aligned in document order by text similarity (see [`align`]), so one missing
//! or extra element does not shift all later ones. Every field kind ([`Field`]) gets TP / FP /
//! FN in two modes — exact and soft (case, whitespace and trailing punctuation ignored) — and a
//! headline micro-F1 sums them all. Each predicted document's `confidence` is set against its
//! measured accuracy ([`calibration`]): mean gap, expected calibration error, AUROC.
//!
//! ```no_run
//! let report = iki_eval::evaluate_dirs("fixtures/expected".as_ref(), "out".as_ref())?;
//! println!("{report}");
//! println!("soft F1 {:.3}", report.headline_f1_soft());
//! # Ok::<(), iki_eval::EvalError>(())
//! ```

pub mod align;
pub mod calibration;
mod compare;
mod counts;
mod dirs;
mod error;
mod field;
mod report;
mod score;

pub use calibration::{Calibration, ReliabilityBin};
pub use compare::{soft_normalize, values_match, Mode};
pub use counts::{Counts, Diff, DiffKind, FieldCounts, Tally};
pub use dirs::evaluate_dirs;
pub use error::EvalError;
pub use field::Field;
pub use report::{DocumentCounts, FieldScores, FileScores, Prf, Report, MAX_REPORT_DIFFS};

use serde_json::Value;

/// Scores one predicted document against its gold document, adding the tallies and differences
/// to `counts`. Odd JSON never panics: wrong types score as mismatches.
pub fn evaluate_pair(gold: &Value, pred: &Value, counts: &mut Counts) {
    score::score_document(gold, pred, counts);
}

/// Builds a report of one in-memory document pair (file name `name`).
pub fn evaluate_value_pair(name: &str, gold: &Value, pred: &Value) -> Report {
    let mut counts = Counts::new();
    evaluate_pair(gold, pred, &mut counts);
    Report::new(vec![DocumentCounts {
        file: name.to_string(),
        prediction_missing: false,
        counts,
    }])
}

#[cfg(test)]
mod tests;
