//! The run's summary (`OUT_DIR/_run/summary.json`, and the exit status of the binary).
//!
//! Workers reduce each document to a small [`DocStats`]; the writer folds them, in input
//! order, into a [`SummaryBuilder`]. Maps are `BTreeMap`s so the JSON is stable.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use iki_model::{DocumentKind, ErrorCode, IkiDocument, Status};
use serde::Serialize;

use crate::skip::Skipped;

/// Number of equal-width bins of the confidence histogram over `[0, 1]`.
const HISTOGRAM_BINS: usize = 10;

const ALL_STATUSES: [Status; 3] = [Status::Ok, Status::Partial, Status::Failed];
const ALL_KINDS: [DocumentKind; 5] = [
    DocumentKind::Iki,
    DocumentKind::Iku,
    DocumentKind::PerjanjianKinerja,
    DocumentKind::Skp,
    DocumentKind::Unknown,
];

/// One input that could not be extracted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    pub path: String,
    pub code: ErrorCode,
    pub message: String,
}

/// One bin of the confidence histogram: documents with `min <= confidence < max` (the last
/// bin includes 1).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConfidenceBin {
    pub min: f64,
    pub max: f64,
    pub count: usize,
}

/// What a run did, written as `OUT_DIR/_run/summary.json`.
///
/// A resumed run writes the same summary as a clean run over the same inputs except for the
/// timing fields (`elapsed_seconds`, `files_per_second`, `mb_per_second`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BatchSummary {
    /// Number of inputs (= documents written).
    pub files: usize,
    /// Bytes read from the inputs (files over the size cap are not read).
    pub bytes: u64,
    pub elapsed_seconds: f64,
    pub files_per_second: f64,
    /// Throughput in decimal megabytes (10^6 bytes) per second.
    pub mb_per_second: f64,
    /// Documents per `status` ("ok", "partial", "failed"); every status is present.
    pub status_counts: BTreeMap<String, usize>,
    /// Documents per `kind`; every kind is present.
    pub kind_counts: BTreeMap<String, usize>,
    /// Occurrences per warning code, document and record warnings together.
    pub warning_counts: BTreeMap<String, usize>,
    /// Confidence of the documents that were not failed.
    pub confidence_histogram: Vec<ConfidenceBin>,
    /// Every failed input, in input order.
    pub failures: Vec<Failure>,
    /// Files and archive entries under the inputs that are no input iki reads.
    pub skipped: Skipped,
}

impl BatchSummary {
    pub fn ok(&self) -> usize {
        self.count_of(Status::Ok)
    }

    pub fn partial(&self) -> usize {
        self.count_of(Status::Partial)
    }

    pub fn failed(&self) -> usize {
        self.count_of(Status::Failed)
    }

    /// True when every input was extracted (status ok or partial): exit code 0.
    pub fn all_extracted(&self) -> bool {
        self.failed() == 0
    }

    fn count_of(&self, status: Status) -> usize {
        self.status_counts
            .get(&serde_name(&status))
            .copied()
            .unwrap_or(0)
    }
}

/// The one-line summary: "N files: X ok, Y partial, Z failed; K skipped (…) in T s (F files/s,
/// M MB/s)".
impl fmt::Display for BatchSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} files: {} ok, {} partial, {} failed; {} in {:.2} s ({:.0} files/s, {:.2} MB/s)",
            self.files,
            self.ok(),
            self.partial(),
            self.failed(),
            self.skipped,
            self.elapsed_seconds,
            self.files_per_second,
            self.mb_per_second
        )
    }
}

/// The part of one document the summary and the manifest need.
#[derive(Debug, Clone)]
pub(crate) struct DocStats {
    pub(crate) path: String,
    pub(crate) sha256: String,
    pub(crate) status: Status,
    kind: DocumentKind,
    confidence: f64,
    warning_codes: Vec<String>,
    bytes_read: u64,
    failure: Option<Failure>,
}

impl DocStats {
    pub(crate) fn of(doc: &IkiDocument, bytes_read: u64) -> Self {
        let record_warnings = doc.records.iter().flat_map(|r| r.warnings.iter());
        DocStats {
            path: doc.source.path.clone(),
            sha256: doc.source.sha256.clone(),
            status: doc.status,
            kind: doc.kind,
            confidence: doc.confidence,
            warning_codes: doc
                .warnings
                .iter()
                .chain(record_warnings)
                .map(|w| w.code.as_str().to_string())
                .collect(),
            bytes_read,
            failure: (doc.status == Status::Failed).then(|| failure_of(doc)),
        }
    }

    pub(crate) fn is_failed(&self) -> bool {
        self.status == Status::Failed
    }
}

fn failure_of(doc: &IkiDocument) -> Failure {
    let (code, message) = match &doc.error {
        Some(error) => (error.code.clone(), error.message.clone()),
        // A failed document always carries its error; never expected.
        None => (
            ErrorCode::InternalError,
            "failed without an error".to_string(),
        ),
    };
    Failure {
        path: doc.source.path.clone(),
        code,
        message,
    }
}

/// Folds [`DocStats`] into a [`BatchSummary`].
#[derive(Debug)]
pub(crate) struct SummaryBuilder {
    files: usize,
    bytes: u64,
    status_counts: BTreeMap<String, usize>,
    kind_counts: BTreeMap<String, usize>,
    warning_counts: BTreeMap<String, usize>,
    histogram: [usize; HISTOGRAM_BINS],
    failures: Vec<Failure>,
}

impl Default for SummaryBuilder {
    fn default() -> Self {
        SummaryBuilder {
            files: 0,
            bytes: 0,
            status_counts: ALL_STATUSES.iter().map(|s| (serde_name(s), 0)).collect(),
            kind_counts: ALL_KINDS.iter().map(|k| (serde_name(k), 0)).collect(),
            warning_counts: BTreeMap::new(),
            histogram: [0; HISTOGRAM_BINS],
            failures: Vec::new(),
        }
    }
}

impl SummaryBuilder {
    pub(crate) fn add(&mut self, stats: DocStats) {
        self.files += 1;
        self.bytes += stats.bytes_read;
        *self
            .status_counts
            .entry(serde_name(&stats.status))
            .or_default() += 1;
        *self.kind_counts.entry(serde_name(&stats.kind)).or_default() += 1;
        for code in stats.warning_codes {
            *self.warning_counts.entry(code).or_default() += 1;
        }
        if stats.status != Status::Failed {
            self.histogram[histogram_bin(stats.confidence)] += 1;
        }
        self.failures.extend(stats.failure);
    }

    pub(crate) fn finish(self, elapsed: Duration, skipped: Skipped) -> BatchSummary {
        let seconds = elapsed.as_secs_f64();
        BatchSummary {
            files: self.files,
            bytes: self.bytes,
            elapsed_seconds: seconds,
            files_per_second: per_second(self.files as f64, seconds),
            mb_per_second: per_second(self.bytes as f64 / 1e6, seconds),
            status_counts: self.status_counts,
            kind_counts: self.kind_counts,
            warning_counts: self.warning_counts,
            confidence_histogram: histogram_bins(&self.histogram),
            failures: self.failures,
            skipped,
        }
    }
}

fn per_second(amount: f64, seconds: f64) -> f64 {
    if seconds > 0.0 {
        amount / seconds
    } else {
        0.0
    }
}

/// bin = floor(confidence * 10), clamped to 0..=9; NaN counts as 0.
fn histogram_bin(confidence: f64) -> usize {
    let scaled = (confidence * HISTOGRAM_BINS as f64).floor();
    if scaled.is_nan() || scaled < 0.0 {
        0
    } else {
        (scaled as usize).min(HISTOGRAM_BINS - 1)
    }
}

fn histogram_bins(counts: &[usize; HISTOGRAM_BINS]) -> Vec<ConfidenceBin> {
    counts
        .iter()
        .enumerate()
        .map(|(i, &count)| ConfidenceBin {
            min: i as f64 / HISTOGRAM_BINS as f64,
            max: (i + 1) as f64 / HISTOGRAM_BINS as f64,
            count,
        })
        .collect()
}

/// The JSON spelling of a unit enum variant, e.g. `Status::Ok` → "ok", so the summary uses
/// exactly the contract's names.
fn serde_name<T: Serialize + fmt::Debug>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => format!("{value:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use iki_model::{failed_document, source, SourceFormat, Warning, WarningCode};

    fn doc(status: Status, confidence: f64, warnings: &[&str]) -> IkiDocument {
        let mut doc = failed_document(
            source("x.txt", b"", SourceFormat::Text, None),
            ErrorCode::NotIki,
            "m",
        );
        doc.status = status;
        doc.confidence = confidence;
        if status != Status::Failed {
            doc.error = None;
            doc.kind = DocumentKind::Iki;
        }
        doc.warnings = warnings
            .iter()
            .map(|c| Warning::new(WarningCode::parse(c), "", None))
            .collect();
        doc
    }

    #[test]
    fn histogram_bins_table() {
        let cases = [
            (0.0, 0),
            (0.05, 0),
            (0.1, 1),
            (0.95, 9),
            (1.0, 9),
            (1.5, 9),
            (-0.2, 0),
            (f64::NAN, 0),
        ];
        for (confidence, bin) in cases {
            assert_eq!(histogram_bin(confidence), bin, "confidence {confidence}");
        }
    }

    #[test]
    fn folds_counts_warnings_histogram_and_failures() {
        let mut builder = SummaryBuilder::default();
        builder.add(DocStats::of(&doc(Status::Ok, 0.95, &["a", "b"]), 10));
        builder.add(DocStats::of(&doc(Status::Partial, 0.5, &["a"]), 20));
        builder.add(DocStats::of(&doc(Status::Failed, 0.0, &[]), 0));
        let mut skipped = Skipped::default();
        skipped.add(
            "notes.csv".to_string(),
            crate::skip::SkipReason::UnknownType,
        );
        let summary = builder.finish(Duration::from_secs(2), skipped);
        assert_eq!(summary.files, 3);
        assert_eq!(summary.bytes, 30);
        assert_eq!(
            (summary.ok(), summary.partial(), summary.failed()),
            (1, 1, 1)
        );
        assert!(!summary.all_extracted());
        assert_eq!(summary.kind_counts["iki"], 2);
        assert_eq!(summary.kind_counts["unknown"], 1);
        assert_eq!(summary.kind_counts["perjanjian_kinerja"], 0);
        assert_eq!(summary.warning_counts["a"], 2);
        assert_eq!(summary.warning_counts["b"], 1);
        let counts: Vec<usize> = summary
            .confidence_histogram
            .iter()
            .map(|b| b.count)
            .collect();
        assert_eq!(counts, [0, 0, 0, 0, 0, 1, 0, 0, 0, 1]);
        assert_eq!(summary.confidence_histogram[3].min, 0.3);
        assert_eq!(summary.failures.len(), 1);
        assert_eq!(summary.failures[0].code, ErrorCode::NotIki);
        assert_eq!(summary.files_per_second, 1.5);
        assert_eq!(
            summary.to_string(),
            "3 files: 1 ok, 1 partial, 1 failed; 1 skipped (1 unknown_type) in 2.00 s (2 files/s, 0.00 MB/s)"
        );
    }
}
