//! How well the predicted documents' `confidence` estimates their measured accuracy.
//!
//! A document's measured accuracy is the share of its scored fields that were right, counting
//! missed and spurious ones (soft matching): `tp / (tp + fp + fn)`; `None` when nothing was
//! scored. This is the measure `iki-report` plots, and the one `confidence` claims to estimate
//! ("the fraction of this document's fields extracted correctly"). Over the evaluated documents:
//!
//! - **gap**: the mean of |confidence − accuracy| over documents;
//! - **ECE** (expected calibration error): documents fall in 10 equal-width confidence bins
//!   (bin = ⌊confidence · 10⌋, 1.0 in the last), and the count-weighted mean of
//!   |mean confidence − mean accuracy| per bin is taken;
//! - **AUROC**: how well confidence tells a clean document (accuracy 1) from one with any
//!   error: the probability that a random clean document has a higher confidence than a random
//!   one with an error, ties counting one half; `None` when either class is empty.

use std::cmp::Ordering;

use serde::Serialize;

use crate::counts::Tally;

/// Equal-width confidence bins over `[0, 1]`.
pub const BINS: usize = 10;

/// `tp / (tp + fp + fn)`; `None` when nothing was scored.
pub fn accuracy(tally: Tally) -> Option<f64> {
    let scored = tally.tp + tally.fp + tally.fn_;
    (scored > 0).then(|| tally.tp as f64 / scored as f64)
}

/// bin = ⌊confidence · 10⌋, clamped to 0..=9; NaN falls in bin 0.
pub fn bin_of(confidence: f64) -> usize {
    let scaled = (confidence * BINS as f64).floor();
    if scaled.is_nan() || scaled < 0.0 {
        0
    } else {
        (scaled as usize).min(BINS - 1)
    }
}

/// One bin of the reliability table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReliabilityBin {
    pub min: f64,
    pub max: f64,
    pub count: usize,
    /// Means over the bin's documents; 0 for an empty bin.
    pub mean_confidence: f64,
    pub mean_accuracy: f64,
}

/// The reliability table of `(confidence, accuracy)` points: all [`BINS`] bins, empty ones
/// with count 0.
pub fn reliability(points: &[(f64, f64)]) -> Vec<ReliabilityBin> {
    let mut sums = [(0usize, 0.0f64, 0.0f64); BINS];
    for &(confidence, accuracy) in points {
        let bin = &mut sums[bin_of(confidence)];
        *bin = (bin.0 + 1, bin.1 + confidence, bin.2 + accuracy);
    }
    sums.iter()
        .enumerate()
        .map(|(i, &(count, conf, acc))| {
            let mean = |sum: f64| if count == 0 { 0.0 } else { sum / count as f64 };
            ReliabilityBin {
                min: i as f64 / BINS as f64,
                max: (i + 1) as f64 / BINS as f64,
                count,
                mean_confidence: mean(conf),
                mean_accuracy: mean(acc),
            }
        })
        .collect()
}

/// The count-weighted mean of |mean confidence − mean accuracy| over the bins; `None` without
/// documents.
pub fn expected_calibration_error(bins: &[ReliabilityBin]) -> Option<f64> {
    let total: usize = bins.iter().map(|b| b.count).sum();
    if total == 0 {
        return None;
    }
    let weighted: f64 = bins
        .iter()
        .map(|b| b.count as f64 * (b.mean_confidence - b.mean_accuracy).abs())
        .sum();
    Some(weighted / total as f64)
}

/// The mean of |confidence − accuracy|; `None` without documents.
pub fn mean_gap(points: &[(f64, f64)]) -> Option<f64> {
    if points.is_empty() {
        return None;
    }
    let sum: f64 = points.iter().map(|(c, a)| (c - a).abs()).sum();
    Some(sum / points.len() as f64)
}

/// Whether a document counts as clean (no error at all) for the AUROC.
pub fn is_clean(accuracy: f64) -> bool {
    accuracy >= 1.0
}

/// AUROC of confidence as the score of "clean" (accuracy 1) against "has an error": the
/// probability that a random clean document scores higher than a random document with an
/// error, ties counting one half (the Mann–Whitney U statistic over the two class sizes).
/// `None` when either class is empty.
pub fn auroc(points: &[(f64, f64)]) -> Option<f64> {
    let clean = points.iter().filter(|(_, a)| is_clean(*a)).count();
    let errors = points.len() - clean;
    if clean == 0 || errors == 0 {
        return None;
    }
    // Rank all scores (average ranks over ties); U = rank sum of the clean class − n(n+1)/2.
    let mut sorted: Vec<(f64, bool)> = points.iter().map(|&(c, a)| (c, is_clean(a))).collect();
    sorted.sort_by(|x, y| x.0.partial_cmp(&y.0).unwrap_or(Ordering::Equal));
    let mut clean_rank_sum = 0.0;
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i;
        while j + 1 < sorted.len() && sorted[j + 1].0 == sorted[i].0 {
            j += 1;
        }
        // Ranks i+1 ..= j+1 share their mean.
        let rank = (i + j + 2) as f64 / 2.0;
        let tied_clean = sorted[i..=j].iter().filter(|(_, c)| *c).count();
        clean_rank_sum += rank * tied_clean as f64;
        i = j + 1;
    }
    let n = clean as f64;
    let u = clean_rank_sum - n * (n + 1.0) / 2.0;
    Some(u / (n * errors as f64))
}

/// The calibration of a set of documents' confidence against their measured accuracy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Calibration {
    /// Documents with a confidence and at least one scored field.
    pub documents: usize,
    /// Of those, documents without any error (accuracy 1) and with some.
    pub clean: usize,
    pub with_errors: usize,
    pub mean_confidence: f64,
    pub mean_accuracy: f64,
    /// Mean |confidence − accuracy|.
    pub gap: f64,
    /// Expected calibration error over [`BINS`] equal-width bins.
    pub ece: f64,
    /// AUROC of confidence for clean against with-error documents; `None` when either class
    /// is empty.
    pub auroc: Option<f64>,
    pub bins: Vec<ReliabilityBin>,
}

impl Calibration {
    /// The calibration of `(confidence, accuracy)` points; `None` without points.
    pub fn from_points(points: &[(f64, f64)]) -> Option<Calibration> {
        let gap = mean_gap(points)?;
        let bins = reliability(points);
        let n = points.len() as f64;
        let clean = points.iter().filter(|(_, a)| is_clean(*a)).count();
        Some(Calibration {
            documents: points.len(),
            clean,
            with_errors: points.len() - clean,
            mean_confidence: points.iter().map(|p| p.0).sum::<f64>() / n,
            mean_accuracy: points.iter().map(|p| p.1).sum::<f64>() / n,
            gap,
            ece: expected_calibration_error(&bins)?,
            auroc: auroc(points),
            bins,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn accuracy_counts_misses_and_extras() {
        let t = |tp, fp, fn_| Tally { tp, fp, fn_ };
        assert_eq!(accuracy(t(3, 0, 1)), Some(0.75));
        assert_eq!(accuracy(t(1, 1, 1)), Some(1.0 / 3.0));
        assert_eq!(accuracy(t(0, 0, 0)), None);
    }

    #[test]
    fn bin_table() {
        for (confidence, bin) in [
            (0.0, 0),
            (0.09, 0),
            (0.1, 1),
            (0.69, 6),
            (0.7, 7),
            (0.999, 9),
            (1.0, 9),
            (-1.0, 0),
            (f64::NAN, 0),
        ] {
            assert_eq!(bin_of(confidence), bin, "{confidence}");
        }
    }

    #[test]
    fn gap_and_ece_of_known_points() {
        let points = [(0.95, 1.0), (0.91, 0.8), (0.55, 0.25), (1.0, 1.0)];
        // |.05| + |.11| + |.30| + 0 over 4.
        assert!(close(mean_gap(&points).unwrap(), 0.46 / 4.0));
        let bins = reliability(&points);
        assert_eq!(bins.len(), BINS);
        assert_eq!(bins[9].count, 3);
        assert!(close(bins[9].mean_confidence, 2.86 / 3.0));
        assert!(close(bins[9].mean_accuracy, 2.8 / 3.0));
        assert_eq!((bins[5].count, bins[0].count), (1, 0));
        assert_eq!((bins[0].mean_confidence, bins[0].mean_accuracy), (0.0, 0.0));
        // Bin 9 is off by 0.02 (3 documents), bin 5 by 0.30 (1 document).
        let ece = expected_calibration_error(&bins).unwrap();
        assert!(close(ece, (3.0 * 0.02 + 0.30) / 4.0), "{ece}");
        // Errors of opposite sign inside a bin cancel in the ECE, not in the gap.
        let points = [(0.9, 1.0), (0.9, 0.8)];
        assert!(close(
            expected_calibration_error(&reliability(&points)).unwrap(),
            0.0
        ));
        assert!(close(mean_gap(&points).unwrap(), 0.1));
        assert_eq!(mean_gap(&[]), None);
        assert_eq!(expected_calibration_error(&reliability(&[])), None);
    }

    #[test]
    fn auroc_of_known_rankings() {
        // Perfect separation: every clean document above every erroneous one.
        let perfect = [(0.99, 1.0), (0.98, 1.0), (0.9, 0.95), (0.5, 0.4)];
        assert_eq!(auroc(&perfect), Some(1.0));
        // Reversed.
        let reversed = [(0.5, 1.0), (0.9, 0.95), (0.99, 0.9)];
        assert_eq!(auroc(&reversed), Some(0.0));
        // All tied: one half.
        let tied = [(0.9, 1.0), (0.9, 0.5), (0.9, 1.0), (0.9, 0.2)];
        assert_eq!(auroc(&tied), Some(0.5));
        // Clean {0.9, 0.7}, errors {0.8, 0.7}: pairs (0.9>0.8) 1, (0.9>0.7) 1, (0.7<0.8) 0,
        // (0.7=0.7) ½ → 2.5 / 4.
        let mixed = [(0.9, 1.0), (0.7, 1.0), (0.8, 0.9), (0.7, 0.99)];
        assert_eq!(auroc(&mixed), Some(0.625));
        // One class empty.
        assert_eq!(auroc(&[(0.9, 1.0), (0.8, 1.0)]), None);
        assert_eq!(auroc(&[(0.9, 0.5)]), None);
        assert_eq!(auroc(&[]), None);
    }

    #[test]
    fn calibration_summary() {
        let c = Calibration::from_points(&[(1.0, 1.0), (0.8, 0.6)]).unwrap();
        assert_eq!((c.documents, c.clean, c.with_errors), (2, 1, 1));
        assert!(close(c.mean_confidence, 0.9));
        assert!(close(c.mean_accuracy, 0.8));
        assert!(close(c.gap, 0.1));
        assert!(close(c.ece, 0.1));
        assert_eq!(c.auroc, Some(1.0));
        assert_eq!(Calibration::from_points(&[]), None);
    }
}
