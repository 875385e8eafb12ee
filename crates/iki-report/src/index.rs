//! The document list: one small [`IndexEntry`] per document (all the list view needs, so the
//! list never touches a document's full data block), and the [`Totals`] of the overview.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;

use iki_model::{IkiDocument, Status};
use serde::Serialize;

use crate::eval::{bin_of, BINS};

/// One row of the document list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndexEntry {
    /// Position in file-name order: the `N` of `#doc=N` and of the data block `d{N}`.
    pub id: usize,
    /// Output stem (file name without `.json`).
    pub name: String,
    /// `source.path` of the document.
    pub path: String,
    pub status: String,
    pub kind: String,
    pub confidence: f64,
    pub records: usize,
    pub indicators: usize,
    pub signatories: usize,
    /// Document and record warnings.
    pub warnings: usize,
    /// Distinct warning codes, sorted.
    pub codes: Vec<String>,
    /// Records, indicators and signatures below the low-confidence threshold.
    pub low: usize,
    /// `error.code` of a failed document.
    pub error: Option<String>,
    /// "shown", "truncated", "changed" or "missing" (see `SourceView::state`).
    pub source: &'static str,
    /// Measured accuracy from the evaluation file, if it scored this document.
    pub accuracy: Option<f64>,
}

impl IndexEntry {
    pub fn of(id: usize, name: &str, doc: &IkiDocument, low_confidence: f64) -> IndexEntry {
        let warnings = all_warning_codes(doc);
        IndexEntry {
            id,
            name: name.to_string(),
            path: doc.source.path.clone(),
            status: serde_name(&doc.status),
            kind: serde_name(&doc.kind),
            confidence: doc.confidence,
            records: doc.records.len(),
            indicators: doc.records.iter().map(|r| r.indicators.len()).sum(),
            signatories: doc.signatories.len(),
            warnings: warnings.len(),
            codes: warnings
                .into_iter()
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect(),
            low: low_values(doc, low_confidence),
            error: doc.error.as_ref().map(|e| e.code.to_string()),
            source: "missing",
            accuracy: None,
        }
    }

    pub fn is_failed(&self) -> bool {
        self.status == serde_name(&Status::Failed)
    }
}

/// Codes of the document's warnings and of its records' warnings, in document order.
fn all_warning_codes(doc: &IkiDocument) -> Vec<String> {
    let record_warnings = doc.records.iter().flat_map(|r| r.warnings.iter());
    doc.warnings
        .iter()
        .chain(record_warnings)
        .map(|w| w.code.to_string())
        .collect()
}

/// How many records, indicators and signatures have a confidence below `threshold`.
fn low_values(doc: &IkiDocument, threshold: f64) -> usize {
    let records = doc
        .records
        .iter()
        .filter(|r| r.confidence < threshold)
        .count();
    let indicators = doc
        .records
        .iter()
        .flat_map(|r| r.indicators.iter())
        .filter(|i| i.confidence < threshold)
        .count();
    let signatories = doc
        .signatories
        .iter()
        .filter(|s| s.confidence < threshold)
        .count();
    records + indicators + signatories
}

/// A document file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub name: String,
    pub reason: String,
}

/// The numbers of the overview.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Totals {
    pub documents: usize,
    pub status_counts: BTreeMap<String, usize>,
    pub kind_counts: BTreeMap<String, usize>,
    pub records: usize,
    pub indicators: usize,
    pub signatories: usize,
    pub warning_counts: BTreeMap<String, usize>,
    /// Confidence histogram of the documents that were not failed.
    pub histogram: [usize; BINS],
    /// Documents that were not failed, and the sum of their confidence.
    pub extracted: usize,
    pub confidence_sum: f64,
    /// Non-failed documents below the low-confidence threshold.
    pub low_documents: usize,
    /// Records, indicators and signatures below the threshold.
    pub low_values: usize,
    /// Documents per source state ("shown", "missing", ...).
    pub source_states: BTreeMap<&'static str, usize>,
    /// `(confidence, accuracy)` of every evaluated document that was not failed.
    pub points: Vec<(f64, f64)>,
    pub skipped: Vec<Skipped>,
    /// Document files an earlier run left in the directory (not shown).
    pub stale: Vec<String>,
    /// Documents the last run wrote that are gone from the directory.
    pub missing: Vec<String>,
    /// The run that wrote the directory did not finish (no summary beside its manifest).
    pub unfinished: bool,
}

impl Totals {
    pub fn add(&mut self, entry: &IndexEntry, doc: &IkiDocument, low_confidence: f64) {
        self.documents += 1;
        *self.status_counts.entry(entry.status.clone()).or_default() += 1;
        *self.kind_counts.entry(entry.kind.clone()).or_default() += 1;
        self.records += entry.records;
        self.indicators += entry.indicators;
        self.signatories += entry.signatories;
        for code in all_warning_codes(doc) {
            *self.warning_counts.entry(code).or_default() += 1;
        }
        self.low_values += entry.low;
        *self.source_states.entry(entry.source).or_default() += 1;
        if !entry.is_failed() {
            self.add_extracted(entry, low_confidence);
        }
    }

    fn add_extracted(&mut self, entry: &IndexEntry, low_confidence: f64) {
        self.extracted += 1;
        self.confidence_sum += entry.confidence;
        self.histogram[bin_of(entry.confidence)] += 1;
        if entry.confidence < low_confidence {
            self.low_documents += 1;
        }
        if let Some(accuracy) = entry.accuracy {
            self.points.push((entry.confidence, accuracy));
        }
    }

    pub fn warnings_total(&self) -> usize {
        self.warning_counts.values().sum()
    }

    pub fn mean_confidence(&self) -> Option<f64> {
        (self.extracted > 0).then(|| self.confidence_sum / self.extracted as f64)
    }

    pub fn status(&self, name: &str) -> usize {
        self.status_counts.get(name).copied().unwrap_or(0)
    }

    pub fn source_state(&self, state: &str) -> usize {
        self.source_states.get(state).copied().unwrap_or(0)
    }

    /// Warning codes by count, most frequent first (ties by code).
    pub fn warnings_by_count(&self) -> Vec<(&str, usize)> {
        let mut codes: Vec<(&str, usize)> = self
            .warning_counts
            .iter()
            .map(|(code, &n)| (code.as_str(), n))
            .collect();
        codes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        codes
    }
}

/// The JSON spelling of a unit enum variant, e.g. `Status::Ok` → "ok".
fn serde_name<T: Serialize + Debug>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => format!("{value:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use iki_model::{Warning, WarningCode};

    fn corpus_doc() -> IkiDocument {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/crafted/table-quirks.txt"
        );
        let bytes = std::fs::read(path).unwrap();
        iki_parser::extract("table-quirks.txt", &bytes)
    }

    #[test]
    fn entry_counts_the_document() {
        let mut doc = corpus_doc();
        doc.warnings.push(Warning::new(
            WarningCode::Unrecognized("zzz".into()),
            "m",
            Some(1),
        ));
        doc.warnings.push(Warning::new(
            WarningCode::Unrecognized("zzz".into()),
            "m",
            None,
        ));
        doc.records[0].indicators[0].confidence = 0.5;
        let entry = IndexEntry::of(4, "table-quirks", &doc, 0.7);
        assert_eq!(entry.id, 4);
        assert_eq!((entry.status.as_str(), entry.kind.as_str()), ("ok", "iki"));
        assert_eq!(entry.records, doc.records.len());
        let indicators: usize = doc.records.iter().map(|r| r.indicators.len()).sum();
        assert_eq!(entry.indicators, indicators);
        let record_warnings: usize = doc.records.iter().map(|r| r.warnings.len()).sum();
        assert_eq!(entry.warnings, 2 + record_warnings);
        assert_eq!(entry.codes.iter().filter(|c| *c == "zzz").count(), 1);
        assert!(entry.codes.windows(2).all(|w| w[0] < w[1]));
        assert!(entry.low >= 1);
        assert!(!entry.is_failed());
    }

    #[test]
    fn totals_fold_entries() {
        let doc = corpus_doc();
        let failed = iki_parser::extract("x.txt", b"");
        let mut totals = Totals::default();
        let mut entry = IndexEntry::of(0, "a", &doc, 0.7);
        entry.accuracy = Some(0.9);
        entry.source = "shown";
        totals.add(&entry, &doc, 0.7);
        totals.add(&IndexEntry::of(1, "b", &failed, 0.7), &failed, 0.7);
        assert_eq!(totals.documents, 2);
        assert_eq!((totals.status("ok"), totals.status("failed")), (1, 1));
        assert_eq!(totals.extracted, 1);
        assert_eq!(totals.histogram.iter().sum::<usize>(), 1);
        assert_eq!(totals.mean_confidence(), Some(doc.confidence));
        assert_eq!(totals.points, [(doc.confidence, 0.9)]);
        assert_eq!(
            (totals.source_state("shown"), totals.source_state("missing")),
            (1, 1)
        );
        assert_eq!(totals.warnings_total(), entry.warnings);
    }
}
