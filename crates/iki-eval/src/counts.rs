//! TP / FP / FN tallies per field and matching mode, plus the differences found on the way.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::compare::Mode;
use crate::field::Field;

/// At most this many differences are kept per [`Counts`]; later ones are only counted.
pub const MAX_KEPT_DIFFS: usize = 10_000;

/// True positives, false positives and false negatives of one field in one mode.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub tp: u64,
    pub fp: u64,
    #[serde(rename = "fn")]
    pub fn_: u64,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.fn_ += other.fn_;
    }

    /// Number of gold values scored (TP + FN).
    pub fn gold(&self) -> u64 {
        self.tp + self.fn_
    }
}

/// The tallies of one field in both modes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct FieldCounts {
    pub exact: Tally,
    pub soft: Tally,
}

impl FieldCounts {
    /// The tally of `mode`.
    pub fn mode(&self, mode: Mode) -> Tally {
        match mode {
            Mode::Exact => self.exact,
            Mode::Soft => self.soft,
        }
    }

    fn mode_mut(&mut self, mode: Mode) -> &mut Tally {
        match mode {
            Mode::Exact => &mut self.exact,
            Mode::Soft => &mut self.soft,
        }
    }

    fn add(&mut self, other: FieldCounts) {
        self.exact.add(other.exact);
        self.soft.add(other.soft);
    }
}

/// What one comparison contributes to a tally.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Both sides null (or both absent): not scored.
    Unscored,
    TruePositive,
    /// Both sides set but different: one FP and one FN.
    Wrong,
    FalseNegative,
    FalsePositive,
}

impl Outcome {
    fn tally(self) -> Tally {
        let (tp, fp, fn_) = match self {
            Outcome::Unscored => (0, 0, 0),
            Outcome::TruePositive => (1, 0, 0),
            Outcome::Wrong => (0, 1, 1),
            Outcome::FalseNegative => (0, 0, 1),
            Outcome::FalsePositive => (0, 1, 0),
        };
        Tally { tp, fp, fn_ }
    }
}

/// How a predicted value differs from the gold one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DiffKind {
    /// Gold has a value (or element), the prediction none.
    Missing,
    /// The prediction has a value (or element) where gold has none.
    Extra,
    /// Both set, different even in soft mode.
    Different,
    /// Equal in soft mode only (case, spacing, trailing punctuation).
    SoftOnly,
}

/// One difference between a gold and a predicted value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    /// Gold file name; empty for in-memory evaluations.
    pub file: String,
    /// Where in the document, e.g. `records[2].indicators[0].rumus`; an index `[2|pred 3]`
    /// names both sides when they differ, `[pred 3]` an element only the prediction has.
    pub path: String,
    /// The scored field; `None` for a whole missing (or non-object) prediction document.
    pub field: Option<Field>,
    pub kind: DiffKind,
    pub expected: Value,
    pub actual: Value,
}

impl Diff {
    /// Lower is worse: missing documents, then missing / extra records, indicators and
    /// signatories, then values wrong in soft mode, then values wrong only in exact mode.
    pub fn severity(&self) -> u8 {
        match (self.field, self.kind) {
            (None, _) => 0,
            (Some(field), _) if field.is_parent() => 1,
            (_, DiffKind::SoftOnly) => 3,
            _ => 2,
        }
    }
}

/// Tallies of every field, and the differences, of one or more documents.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    fields: BTreeMap<Field, FieldCounts>,
    diffs: Vec<Diff>,
    diffs_total: usize,
    /// The scored prediction's `confidence` (one document's counts only; see
    /// [`Counts::confidence`]).
    confidence: Option<f64>,
}

impl Counts {
    pub fn new() -> Counts {
        Counts::default()
    }

    /// The tallies of one field (zero when never scored).
    pub fn field(&self, field: Field) -> FieldCounts {
        self.fields.get(&field).copied().unwrap_or_default()
    }

    /// The sum over all fields (the micro average's input).
    pub fn total(&self) -> FieldCounts {
        let mut sum = FieldCounts::default();
        for counts in self.fields.values() {
            sum.add(*counts);
        }
        sum
    }

    /// The kept differences, in document order.
    pub fn diffs(&self) -> &[Diff] {
        &self.diffs
    }

    /// How many differences were found, kept or not.
    pub fn diffs_total(&self) -> usize {
        self.diffs_total
    }

    /// The `confidence` of the prediction these counts scored (the last one, when several were
    /// scored into them): set by [`crate::evaluate_pair`] when the prediction is an object with
    /// a numeric `confidence` and a `status` other than "failed" (the documents `iki-report`
    /// plots); `None` otherwise and after [`Counts::merge`] (a sum has no one confidence).
    pub fn confidence(&self) -> Option<f64> {
        self.confidence
    }

    /// Sets the confidence of the scored prediction (see [`Counts::confidence`]).
    pub fn set_confidence(&mut self, confidence: Option<f64>) {
        self.confidence = confidence;
    }

    /// Adds everything of `other` to `self`.
    pub fn merge(&mut self, other: &Counts) {
        for (field, counts) in &other.fields {
            self.fields.entry(*field).or_default().add(*counts);
        }
        let room = MAX_KEPT_DIFFS.saturating_sub(self.diffs.len());
        self.diffs.extend(other.diffs.iter().take(room).cloned());
        self.diffs_total += other.diffs_total;
        self.confidence = None;
    }

    pub(crate) fn record(&mut self, field: Field, mode: Mode, outcome: Outcome) {
        self.fields
            .entry(field)
            .or_default()
            .mode_mut(mode)
            .add(outcome.tally());
    }

    pub(crate) fn record_both(&mut self, field: Field, outcome: Outcome) {
        for mode in Mode::ALL {
            self.record(field, mode, outcome);
        }
    }

    pub(crate) fn push_diff(&mut self, diff: Diff) {
        self.diffs_total += 1;
        if self.diffs.len() < MAX_KEPT_DIFFS {
            self.diffs.push(diff);
        }
    }

    pub(crate) fn set_file(&mut self, file: &str) {
        for diff in &mut self.diffs {
            diff.file = file.to_string();
        }
    }
}
