//! Measuring the model only on what it was not trained on (feature `train`).
//!
//! - **Leave one source out**: for every source (each corpus document, and the crafted
//!   fixtures as one), fit on the others and score the held-out source's printed cells
//!   (cells derived by a rule are trained on, never measured on).
//! - **Foreign offices**: the model fitted on everything scores `data/foreign.tsv`, cells
//!   written in the style of other offices (hospital, dinas, BKPSDM …) and never trained on.
//!
//! Each gives accuracy, accuracy among the eight table columns when the cell is known to be a
//! table cell (`Other` excluded from truth and prediction), a confusion matrix and the
//! expected calibration error of the top probability.

use std::fmt::Write;

use crate::column::Column;
use crate::model::ColumnModel;
use crate::train::{fit, Example, TrainConfig};

const C: usize = Column::COUNT;

/// Predictions with their truth.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// (truth, scores) per cell.
    pub cells: Vec<(Column, crate::Scores)>,
}

impl Outcome {
    /// Scores every example with `model`.
    pub fn score(model: &ColumnModel, examples: &[Example]) -> Outcome {
        Outcome {
            cells: examples
                .iter()
                .map(|e| (e.column, model.scores(&e.text)))
                .collect(),
        }
    }

    pub fn extend(&mut self, other: Outcome) {
        self.cells.extend(other.cells);
    }

    /// Fraction whose best column is the truth.
    pub fn accuracy(&self) -> f64 {
        ratio(
            self.cells.iter().filter(|(t, s)| s.best() == *t).count(),
            self.cells.len(),
        )
    }

    /// Among table cells (truth not `Other`), the fraction whose best table column is the truth.
    pub fn table_accuracy(&self) -> f64 {
        let table = &Column::ALL[..C - 1];
        let cells: Vec<_> = self
            .cells
            .iter()
            .filter(|(t, _)| *t != Column::Other)
            .collect();
        ratio(
            cells
                .iter()
                .filter(|(t, s)| s.best_among(table) == *t)
                .count(),
            cells.len(),
        )
    }

    /// Mean of the per-column recalls (columns with cells only).
    pub fn macro_recall(&self) -> f64 {
        let m = self.confusion();
        let recalls: Vec<f64> = Column::ALL
            .iter()
            .map(|c| (m[c.index()][c.index()], m[c.index()].iter().sum::<usize>()))
            .filter(|(_, n)| *n > 0)
            .map(|(right, n)| ratio(right, n))
            .collect();
        recalls.iter().sum::<f64>() / recalls.len().max(1) as f64
    }

    /// `m[truth][predicted]`.
    pub fn confusion(&self) -> [[usize; C]; C] {
        let mut m = [[0; C]; C];
        for (t, s) in &self.cells {
            m[t.index()][s.best().index()] += 1;
        }
        m
    }

    /// Expected calibration error of the top probability, ten equal-width bins.
    pub fn ece(&self) -> f64 {
        let mut bins = [(0usize, 0.0f64, 0usize); 10];
        for (t, s) in &self.cells {
            let best = s.best();
            let p = s.prob(best) as f64;
            let b = ((p * 10.0) as usize).min(9);
            bins[b].0 += 1;
            bins[b].1 += p;
            bins[b].2 += (best == *t) as usize;
        }
        let n = self.cells.len().max(1) as f64;
        bins.iter()
            .filter(|b| b.0 > 0)
            .map(|(_, conf, right)| (conf - *right as f64).abs() / n)
            .sum()
    }

    /// The confusion matrix as an aligned table.
    pub fn confusion_table(&self) -> String {
        let m = self.confusion();
        let short = |c: Column| match c {
            Column::SumberData => "sumber",
            Column::PenanggungJawab => "pj",
            Column::Indikator => "indik",
            Column::Sasaran => "sasar",
            c => c.name(),
        };
        let mut out = String::new();
        let _ = write!(out, "{:>8} |", "truth\\");
        for c in Column::ALL {
            let _ = write!(out, "{:>7}", short(c));
        }
        let _ = writeln!(out, " | recall");
        for t in Column::ALL {
            let row = m[t.index()];
            let n: usize = row.iter().sum();
            if n == 0 {
                continue;
            }
            let _ = write!(out, "{:>8} |", short(t));
            for c in Column::ALL {
                let _ = write!(out, "{:>7}", row[c.index()]);
            }
            let _ = writeln!(out, " | {:.2} ({n})", ratio(row[t.index()], n));
        }
        out
    }

    /// Cells whose best column is wrong, as `truth → predicted (p): text` lines.
    pub fn errors(&self, examples: &[Example]) -> Vec<String> {
        self.cells
            .iter()
            .zip(examples)
            .filter(|((t, s), _)| s.best() != *t)
            .map(|((t, s), e)| {
                let best = s.best();
                format!("{t} → {best} ({:.2}): {}", s.prob(best), e.text)
            })
            .collect()
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Leave-one-source-out: per source, its name and the outcome of a model fitted without it.
pub fn leave_one_out(
    examples: &[Example],
    config: &TrainConfig,
) -> Vec<(String, Vec<Example>, Outcome)> {
    let mut sources: Vec<&str> = examples.iter().map(|e| e.source.as_str()).collect();
    sources.dedup();
    sources.sort_unstable();
    sources.dedup();
    sources
        .into_iter()
        .map(|source| {
            let (held, train): (Vec<Example>, Vec<Example>) =
                examples.iter().cloned().partition(|e| e.source == source);
            let held: Vec<Example> = held.into_iter().filter(|e| !e.derived).collect();
            let model = fit(&train, config);
            let outcome = Outcome::score(&model, &held);
            (source.to_string(), held, outcome)
        })
        .collect()
}
