//! The evaluation report: precision / recall / F1 per field and mode, per-file headlines, the
//! worst differences, and its Markdown rendering.

use std::fmt;

use serde::Serialize;
use serde_json::Value;

use crate::calibration::{self, Calibration};
use crate::compare::Mode;
use crate::counts::{Counts, Diff, Tally};
use crate::field::Field;

/// The report keeps at most this many differences.
pub const MAX_REPORT_DIFFS: usize = 200;
/// The Markdown rendering shows at most this many differences.
const SHOWN_DIFFS: usize = 20;
/// Longer values are cut in the Markdown rendering.
const SHOWN_VALUE_CHARS: usize = 80;

/// Precision, recall and F1 of one tally. With nothing predicted precision is 1, with nothing in
/// gold recall is 1 (nothing to get wrong), so an unscored field has F1 = 1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Prf {
    pub tp: u64,
    pub fp: u64,
    #[serde(rename = "fn")]
    pub fn_: u64,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Prf {
    pub fn from_tally(t: Tally) -> Prf {
        let precision = ratio(t.tp, t.tp + t.fp);
        let recall = ratio(t.tp, t.tp + t.fn_);
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        Prf {
            tp: t.tp,
            fp: t.fp,
            fn_: t.fn_,
            precision,
            recall,
            f1,
        }
    }

    /// True when this tally holds any TP, FP or FN.
    pub fn is_scored(&self) -> bool {
        self.tp + self.fp + self.fn_ > 0
    }
}

fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}

/// Scores of one field (or of all fields: `field` = "all") in both modes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldScores {
    pub field: String,
    /// Gold values scored (TP + FN; the same in both modes).
    pub gold: u64,
    pub soft: Prf,
    pub exact: Prf,
}

impl FieldScores {
    fn new(field: &str, soft: Tally, exact: Tally) -> FieldScores {
        FieldScores {
            field: field.to_string(),
            gold: soft.gold(),
            soft: Prf::from_tally(soft),
            exact: Prf::from_tally(exact),
        }
    }

    fn of(field: &str, counts: crate::counts::FieldCounts) -> FieldScores {
        FieldScores::new(field, counts.mode(Mode::Soft), counts.mode(Mode::Exact))
    }
}

/// The headline scores of one gold file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileScores {
    pub file: String,
    /// No prediction file of that name existed (every gold field counted as FN).
    pub prediction_missing: bool,
    pub gold: u64,
    pub soft: Prf,
    pub exact: Prf,
    /// Measured accuracy, `tp / (tp + fp + fn)` in soft mode; `None` when nothing was scored.
    pub accuracy: Option<f64>,
    /// The prediction's `confidence` (see [`Counts::confidence`]).
    pub confidence: Option<f64>,
}

impl FileScores {
    /// `(confidence, accuracy)` when the file enters the calibration: a prediction with a
    /// confidence, and some field scored.
    pub fn calibration_point(&self) -> Option<(f64, f64)> {
        if self.prediction_missing {
            return None;
        }
        Some((self.confidence?, self.accuracy?))
    }
}

/// The counts of one evaluated document, the input of [`Report::new`].
#[derive(Debug, Clone)]
pub struct DocumentCounts {
    pub file: String,
    pub prediction_missing: bool,
    pub counts: Counts,
}

/// The result of an evaluation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Micro average over all fields (`field` = "all").
    pub headline: FieldScores,
    /// One row per [`Field`], in [`Field::ALL`] order.
    pub fields: Vec<FieldScores>,
    pub files: Vec<FileScores>,
    /// The worst differences first (see [`Diff::severity`]), at most [`MAX_REPORT_DIFFS`].
    pub diffs: Vec<Diff>,
    /// How many differences were found in all.
    pub diffs_total: usize,
    /// Document confidence against measured accuracy, over the files with a
    /// [`FileScores::calibration_point`]; `None` when there is none.
    pub calibration: Option<Calibration>,
    /// Gold files whose prediction an earlier run left in the prediction directory: scored as
    /// missing (see `iki_model::outdir`).
    pub stale_predictions: Vec<String>,
}

impl Report {
    /// Builds the report of some evaluated documents.
    pub fn new(documents: Vec<DocumentCounts>) -> Report {
        let mut total = Counts::new();
        let mut files = Vec::with_capacity(documents.len());
        let mut diffs = Vec::new();
        for mut doc in documents {
            doc.counts.set_file(&doc.file);
            total.merge(&doc.counts);
            diffs.extend(doc.counts.diffs().iter().cloned());
            files.push(file_scores(&doc));
        }
        diffs.sort_by_key(Diff::severity);
        diffs.truncate(MAX_REPORT_DIFFS);
        let points: Vec<(f64, f64)> = files
            .iter()
            .filter_map(FileScores::calibration_point)
            .collect();
        Report {
            headline: FieldScores::of("all", total.total()),
            fields: Field::ALL
                .iter()
                .map(|f| FieldScores::of(f.name(), total.field(*f)))
                .collect(),
            files,
            diffs,
            diffs_total: total.diffs_total(),
            calibration: Calibration::from_points(&points),
            stale_predictions: Vec::new(),
        }
    }

    /// Micro-F1 over all fields, soft matching.
    pub fn headline_f1_soft(&self) -> f64 {
        self.headline.soft.f1
    }

    /// Micro-F1 over all fields, exact matching.
    pub fn headline_f1_exact(&self) -> f64 {
        self.headline.exact.f1
    }

    /// The scores of a field by its name (see [`Field::name`]); `None` for an unknown name.
    pub fn field(&self, name: &str) -> Option<&FieldScores> {
        self.fields.iter().find(|f| f.field == name)
    }

    /// Soft F1 of a field by name; `None` for an unknown name, 1.0 when nothing was scored.
    pub fn field_f1_soft(&self, name: &str) -> Option<f64> {
        self.field(name).map(|f| f.soft.f1)
    }

    /// Exact F1 of a field by name; `None` for an unknown name, 1.0 when nothing was scored.
    pub fn field_f1_exact(&self, name: &str) -> Option<f64> {
        self.field(name).map(|f| f.exact.f1)
    }

    /// The `n` worst differences (missing / extra elements, then soft mismatches, then
    /// exact-only mismatches), in document order within each group.
    pub fn worst_diffs(&self, n: usize) -> &[Diff] {
        &self.diffs[..n.min(self.diffs.len())]
    }
}

fn file_scores(doc: &DocumentCounts) -> FileScores {
    let total = doc.counts.total();
    FileScores {
        file: doc.file.clone(),
        prediction_missing: doc.prediction_missing,
        gold: total.soft.gold(),
        soft: Prf::from_tally(total.soft),
        exact: Prf::from_tally(total.exact),
        accuracy: calibration::accuracy(total.soft),
        confidence: doc.counts.confidence(),
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "| field | gold | P (soft) | R (soft) | F1 (soft) | F1 (exact) |"
        )?;
        writeln!(f, "|---|---:|---:|---:|---:|---:|")?;
        write_row(f, "**all (micro)**", &self.headline)?;
        for row in &self.fields {
            write_row(f, &row.field, row)?;
        }
        writeln!(f)?;
        writeln!(f, "Per file (micro-F1 soft / exact):")?;
        writeln!(f)?;
        for file in &self.files {
            write_file(f, file)?;
        }
        if !self.stale_predictions.is_empty() {
            writeln!(f)?;
            writeln!(
                f,
                "{} predictions were written by an earlier run into the prediction directory (its last run did not write them) and count as missing: {}",
                self.stale_predictions.len(),
                self.stale_predictions.join(", ")
            )?;
        }
        if let Some(calibration) = &self.calibration {
            writeln!(f)?;
            write!(f, "{calibration}")?;
        }
        write_diffs(f, self)
    }
}

fn write_row(f: &mut fmt::Formatter<'_>, name: &str, row: &FieldScores) -> fmt::Result {
    if !row.soft.is_scored() && !row.exact.is_scored() {
        return writeln!(f, "| {name} | 0 | – | – | – | – |");
    }
    writeln!(
        f,
        "| {name} | {} | {:.3} | {:.3} | {:.3} | {:.3} |",
        row.gold, row.soft.precision, row.soft.recall, row.soft.f1, row.exact.f1
    )
}

fn write_file(f: &mut fmt::Formatter<'_>, file: &FileScores) -> fmt::Result {
    let note = if file.prediction_missing {
        " (no prediction)"
    } else {
        ""
    };
    let calibration = match file.calibration_point() {
        Some((confidence, accuracy)) => {
            format!(" (accuracy {accuracy:.3}, confidence {confidence:.3})")
        }
        None => String::new(),
    };
    writeln!(
        f,
        "- `{}`: {:.3} / {:.3}{calibration}{note}",
        file.file, file.soft.f1, file.exact.f1
    )
}

impl fmt::Display for Calibration {
    /// The calibration figures and the reliability table, in Markdown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let auroc = self
            .auroc
            .map_or_else(|| "– (one class empty)".to_string(), |a| format!("{a:.3}"));
        writeln!(
            f,
            "Confidence calibration ({} documents, {} clean, {} with errors; accuracy = tp / (tp + fp + fn), soft):",
            self.documents, self.clean, self.with_errors
        )?;
        writeln!(f)?;
        writeln!(
            f,
            "- mean confidence {:.3}, mean accuracy {:.3}",
            self.mean_confidence, self.mean_accuracy
        )?;
        writeln!(f, "- mean |confidence − accuracy|: {:.3}", self.gap)?;
        writeln!(
            f,
            "- expected calibration error ({} bins): {:.3}",
            calibration::BINS,
            self.ece
        )?;
        writeln!(f, "- AUROC, clean vs. with errors: {auroc}")?;
        writeln!(f)?;
        writeln!(
            f,
            "| confidence | documents | mean confidence | mean accuracy |"
        )?;
        writeln!(f, "|---|---:|---:|---:|")?;
        for bin in self.bins.iter().filter(|b| b.count > 0) {
            writeln!(
                f,
                "| {:.1}–{:.1} | {} | {:.3} | {:.3} |",
                bin.min, bin.max, bin.count, bin.mean_confidence, bin.mean_accuracy
            )?;
        }
        Ok(())
    }
}

fn write_diffs(f: &mut fmt::Formatter<'_>, report: &Report) -> fmt::Result {
    if report.diffs.is_empty() {
        return Ok(());
    }
    let shown = report.worst_diffs(SHOWN_DIFFS);
    writeln!(f)?;
    writeln!(
        f,
        "Worst differences ({} of {}):",
        shown.len(),
        report.diffs_total
    )?;
    writeln!(f)?;
    writeln!(f, "| file | path | expected | actual |")?;
    writeln!(f, "|---|---|---|---|")?;
    for diff in shown {
        writeln!(
            f,
            "| {} | {} | {} | {} |",
            cell(&diff.file),
            cell(shown_path(&diff.path)),
            cell(&shown_value(&diff.expected)),
            cell(&shown_value(&diff.actual))
        )?;
    }
    Ok(())
}

fn shown_path(path: &str) -> &str {
    if path.is_empty() {
        "(document)"
    } else {
        path
    }
}

fn shown_value(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= SHOWN_VALUE_CHARS {
        return text;
    }
    let cut: String = text.chars().take(SHOWN_VALUE_CHARS).collect();
    format!("{cut}…")
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}
