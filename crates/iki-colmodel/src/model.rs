//! The fitted model: a table of per-column weights indexed by hashed feature, and the scorer.
//!
//! Scoring sums the weight rows of a cell's features straight into nine logits (no feature
//! vector is built) and turns them into log-probabilities with a log-softmax.
//!
//! The file format (little-endian): magic `IKICOLM1`, the feature set (`u32`), the table's
//! `log2` size (`u32`), the column count (`u32`), the dequantisation step (`f32`), then
//! `2^bits × columns` weights as `i16`, row by row.

use crate::column::Column;
use crate::features::{self, FeatureSet, Sink};

const MAGIC: &[u8; 8] = b"IKICOLM1";
const HEADER: usize = 8 + 4 + 4 + 4 + 4;
const C: usize = Column::COUNT;

/// Why a model file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelError {
    /// Not a model file (wrong magic or truncated header).
    NotAModel,
    /// A model for a different column set.
    Columns(u32),
    /// Table size out of range, or the weights do not fill it.
    Size,
}

impl std::fmt::Display for ModelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ModelError::NotAModel => f.write_str("not a column model file"),
            ModelError::Columns(n) => write!(f, "model has {n} columns, expected {C}"),
            ModelError::Size => f.write_str("model table size does not match its weights"),
        }
    }
}

impl std::error::Error for ModelError {}

/// One feature's weights: one per column, padded to a cache line so adding a row is four
/// vector operations.
#[derive(Debug, Clone, Copy, PartialEq)]
#[repr(C, align(64))]
pub(crate) struct Row(pub(crate) [f32; 16]);

impl Row {
    pub(crate) fn new(weights: [f32; C]) -> Row {
        let mut row = [0.0; 16];
        row[..C].copy_from_slice(&weights);
        Row(row)
    }
}

/// Per-column weights for hashed text features (see the crate docs for how it is fitted).
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnModel {
    pub(crate) set: FeatureSet,
    pub(crate) bits: u32,
    /// `2^bits` rows.
    pub(crate) weights: Box<[Row]>,
}

/// A cell's log-probability for each column, under a uniform prior over columns (the caller
/// adds what it knows, e.g. which column a table's header names).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scores {
    log_p: [f32; C],
}

impl Scores {
    /// `ln P(column | text)`.
    pub fn log_prob(&self, column: Column) -> f32 {
        self.log_p[column.index()]
    }

    /// `P(column | text)`.
    pub fn prob(&self, column: Column) -> f32 {
        self.log_p[column.index()].exp()
    }

    /// `ln P(a) − ln P(b)`: positive when the text reads more like `a` than `b`.
    pub fn log_odds(&self, a: Column, b: Column) -> f32 {
        self.log_prob(a) - self.log_prob(b)
    }

    /// The most likely column (the first in [`Column::ALL`] order on a tie).
    pub fn best(&self) -> Column {
        self.best_among(&Column::ALL)
    }

    /// The most likely of `columns` (e.g. the columns a table actually has);
    /// [`Column::Other`] when `columns` is empty.
    pub fn best_among(&self, columns: &[Column]) -> Column {
        let mut best = Column::Other;
        let mut score = f32::NEG_INFINITY;
        for c in columns {
            if self.log_prob(*c) > score {
                score = self.log_prob(*c);
                best = *c;
            }
        }
        best
    }

    /// Every column with its log-probability, in [`Column::ALL`] order.
    pub fn iter(&self) -> impl Iterator<Item = (Column, f32)> + '_ {
        Column::ALL.into_iter().zip(self.log_p)
    }

    /// Log-probabilities from raw logits.
    pub(crate) fn from_logits(logits: [f32; C]) -> Scores {
        let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let sum: f32 = logits.iter().map(|l| (l - max).exp()).sum();
        let norm = max + sum.ln();
        Scores {
            log_p: logits.map(|l| l - norm),
        }
    }
}

/// Adds weight rows into logits. Features are buffered and summed in one tight loop, so the
/// running sums stay in registers.
struct Logits<'m> {
    weights: &'m [Row],
    buffer: [(u32, f32); 64],
    len: usize,
    sum: [f32; 16],
}

impl Logits<'_> {
    fn flush(&mut self) {
        let mut sum = self.sum;
        for &(bucket, value) in &self.buffer[..self.len] {
            let row = &self.weights[bucket as usize].0;
            for (s, w) in sum.iter_mut().zip(row) {
                *s += value * w;
            }
        }
        self.sum = sum;
        self.len = 0;
    }
}

impl Sink for Logits<'_> {
    #[inline]
    fn add(&mut self, bucket: usize, value: f32) {
        self.buffer[self.len] = (bucket as u32, value);
        self.len += 1;
        if self.len == self.buffer.len() {
            self.flush();
        }
    }
}

static EMBEDDED: std::sync::OnceLock<ColumnModel> = std::sync::OnceLock::new();

/// The shipped model file (rebuilt by `cargo run -p iki-colmodel --bin iki-colmodel-train`).
pub(crate) const EMBEDDED_BYTES: &[u8] = include_bytes!("../data/columns.bin");

impl ColumnModel {
    /// The model shipped with the crate, read once.
    pub fn embedded() -> &'static ColumnModel {
        EMBEDDED.get_or_init(|| {
            // The test suite checks the embedded file reads and matches the trainer's output.
            ColumnModel::from_bytes(EMBEDDED_BYTES).expect("embedded column model is valid")
        })
    }

    /// A cell's log-probability for each column.
    pub fn scores(&self, text: &str) -> Scores {
        Scores::from_logits(self.logits(text))
    }

    /// `ln P(a | text) − ln P(b | text)`.
    pub fn log_odds(&self, text: &str, a: Column, b: Column) -> f32 {
        let l = self.logits(text);
        l[a.index()] - l[b.index()]
    }

    /// The column `text` most reads like.
    pub fn best(&self, text: &str) -> Column {
        self.scores(text).best()
    }

    pub(crate) fn logits(&self, text: &str) -> [f32; C] {
        let mut logits = Logits {
            weights: &self.weights,
            buffer: [(0, 0.0); 64],
            len: 0,
            sum: [0.0; 16],
        };
        features::extract(text, self.set, self.bits, &mut logits);
        logits.flush();
        let mut out = [0.0; C];
        out.copy_from_slice(&logits.sum[..C]);
        out
    }

    /// Reads a model file.
    pub fn from_bytes(bytes: &[u8]) -> Result<ColumnModel, ModelError> {
        if bytes.len() < HEADER || &bytes[..8] != MAGIC {
            return Err(ModelError::NotAModel);
        }
        let word =
            |i: usize| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
        let set = FeatureSet(word(8));
        let bits = word(12);
        let columns = word(16);
        let step = f32::from_bits(word(20));
        if columns as usize != C {
            return Err(ModelError::Columns(columns));
        }
        if !(4..=24).contains(&bits) || bytes.len() != HEADER + (1usize << bits) * C * 2 {
            return Err(ModelError::Size);
        }
        let weights = bytes[HEADER..]
            .chunks_exact(2 * C)
            .map(|row| {
                let mut out = [0.0; C];
                for (o, q) in out.iter_mut().zip(row.chunks_exact(2)) {
                    *o = i16::from_le_bytes([q[0], q[1]]) as f32 * step;
                }
                Row::new(out)
            })
            .collect();
        Ok(ColumnModel { set, bits, weights })
    }

    /// The model file: weights quantised to `i16` with one step for the whole table.
    pub fn to_bytes(&self) -> Vec<u8> {
        let columns = || self.weights.iter().flat_map(|row| &row.0[..C]);
        let max = columns().fold(0.0f32, |m, w| m.max(w.abs()));
        let step = if max > 0.0 {
            max / i16::MAX as f32
        } else {
            1.0
        };
        let mut out = Vec::with_capacity(HEADER + self.weights.len() * C * 2);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.set.0.to_le_bytes());
        out.extend_from_slice(&self.bits.to_le_bytes());
        out.extend_from_slice(&(C as u32).to_le_bytes());
        out.extend_from_slice(&step.to_bits().to_le_bytes());
        for w in columns() {
            let q = (w / step).round().clamp(i16::MIN as f32, i16::MAX as f32) as i16;
            out.extend_from_slice(&q.to_le_bytes());
        }
        out
    }

    /// The feature groups this model reads.
    pub fn feature_set(&self) -> FeatureSet {
        self.set
    }
}
