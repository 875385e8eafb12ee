//! Training data and the fitter (feature `train`).
//!
//! **Data.** Each hand-checked answer (`fixtures/expected/<stem>.json` with `corpus/<stem>.txt`,
//! and `fixtures/crafted/<name>.json` with `<name>.txt`, the crafted files as one source) gives:
//! - its indicator rows' cells, labelled by the field they fill (`no`, `sasaran`, `indikator`,
//!   `rumus`, `target.raw`, `sumber_data`, each `penanggung_jawab` item, and a multi-item
//!   list as the `- A - B` cell that printed it);
//! - cells derived from those, as other tables print them: a row number with its dot (`3.`),
//!   and a target split into a Target number and a Satuan unit (`12 bulan` → `12`, `bulan`);
//! - `Other` cells: every tab- or pipe-separated piece of the source text that is not (part
//!   of) a cell of its tables (form labels, list items, titles, signature lines, furniture),
//!   and the answer's own duty items and signers' names. Some text outside tables reads like
//!   a cell by nature: tujuan items like sasaran, indicators of tujuan like indicators,
//!   positions (`jabatan`, heading, a signer's position) like a Penanggung jawab. These, and
//!   pieces matching them, are left out rather than called `Other`.
//! - A rumus cell that repeats its row's indicator (a Penjelasan column copying it) is left
//!   out: it teaches nothing about formulas.
//!
//! - Cells derived by a rule (a row number's dotted form, a target split into number and unit,
//!   and for rows without a target the Target and Satuan cells `iki-synth`'s rule would
//!   print) are marked [`Example::derived`]: trained on, never measured on.
//!
//! Cells are deduplicated per source. Not-IKI fixtures are skipped.
//!
//! **Fit.** Multinomial logistic regression with L2, by stochastic gradient descent in a seeded
//! order. Classes are weighted by `1/sqrt(count)` and the bias then shifted so the model's prior
//! over columns is uniform. Every step uses only `+ − × ÷` and a polynomial `exp`, so the same
//! data gives the same weights, and the same file bytes, on every machine.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::column::Column;
use crate::features::{self, FeatureSet, Sink};
use crate::model::{ColumnModel, Row};

const C: usize = Column::COUNT;

/// One labelled cell.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Example {
    /// Where it came from: a corpus stem, or `crafted`.
    pub source: String,
    pub column: Column,
    pub text: String,
    /// Made by a rule from printed cells rather than printed itself (trained on, never
    /// measured on).
    pub derived: bool,
}

/// Why the training data could not be read.
#[derive(Debug)]
pub enum DataError {
    Io(PathBuf, std::io::Error),
    Json(PathBuf, serde_json::Error),
    /// A line of a cell file that is not `column<TAB>text`.
    Line(PathBuf, usize),
}

impl std::fmt::Display for DataError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DataError::Io(p, e) => write!(f, "{}: {e}", p.display()),
            DataError::Json(p, e) => write!(f, "{}: {e}", p.display()),
            DataError::Line(p, n) => {
                write!(f, "{}:{n}: expected `column<TAB>text`", p.display())
            }
        }
    }
}

impl std::error::Error for DataError {}

/// The repository root, seen from this crate.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every training cell from the fixtures under `root`, sorted (source, column, text).
pub fn training_data(root: &Path) -> Result<Vec<Example>, DataError> {
    let mut out = BTreeSet::new();
    for stem in stems(&root.join("fixtures/expected"))? {
        let answer = root.join("fixtures/expected").join(format!("{stem}.json"));
        let text = root.join("corpus").join(format!("{stem}.txt"));
        read_source(&stem, &answer, &text, &mut out)?;
    }
    let crafted = root.join("fixtures/crafted");
    for stem in stems(&crafted)? {
        let answer = crafted.join(format!("{stem}.json"));
        let text = crafted.join(format!("{stem}.txt"));
        read_source("crafted", &answer, &text, &mut out)?;
    }
    Ok(out.into_iter().collect())
}

/// The `.json` stems of a directory, sorted.
fn stems(dir: &Path) -> Result<Vec<String>, DataError> {
    let entries = fs::read_dir(dir).map_err(|e| DataError::Io(dir.to_path_buf(), e))?;
    let mut stems: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".json").map(str::to_string)
        })
        .collect();
    stems.sort();
    Ok(stems)
}

fn read_source(
    source: &str,
    answer: &Path,
    text: &Path,
    out: &mut BTreeSet<Example>,
) -> Result<(), DataError> {
    let json = fs::read(answer).map_err(|e| DataError::Io(answer.to_path_buf(), e))?;
    let doc: Value =
        serde_json::from_slice(&json).map_err(|e| DataError::Json(answer.to_path_buf(), e))?;
    if doc["kind"] != "iki" {
        return Ok(());
    }
    let mut cells: Vec<Cell> = Vec::new();
    let mut outside: Vec<String> = Vec::new();
    let mut ambiguous: Vec<String> = Vec::new();
    for record in doc["records"].as_array().into_iter().flatten() {
        for row in record["indicators"].as_array().into_iter().flatten() {
            row_cells(row, &mut cells);
        }
        for field in ["tugas_pokok", "fungsi"] {
            for item in record[field].as_array().into_iter().flatten() {
                outside.extend(item["text"].as_str().map(str::to_string));
            }
        }
        for field in ["tujuan", "indikator_tujuan"] {
            for item in record[field].as_array().into_iter().flatten() {
                ambiguous.extend(item["text"].as_str().map(str::to_string));
            }
        }
        for field in ["heading", "jabatan"] {
            ambiguous.extend(record[field].as_str().map(str::to_string));
        }
    }
    for signer in doc["signatories"].as_array().into_iter().flatten() {
        outside.extend(signer["display_name"].as_str().map(str::to_string));
        ambiguous.extend(signer["position"].as_str().map(str::to_string));
    }
    // The source text's pieces; a file that is not UTF-8 gives only its answer's values.
    let bytes = fs::read(text).map_err(|e| DataError::Io(text.to_path_buf(), e))?;
    if let Ok(text) = std::str::from_utf8(&bytes) {
        for line in text.lines() {
            outside.extend(line.split(['\t', '|']).map(str::to_string));
        }
    }

    let cell_keys: Vec<String> = cells
        .iter()
        .map(|(_, t, _)| key(t))
        .chain(ambiguous.iter().map(|t| key(t)))
        .collect();
    // Printed cells first, so a text both printed and derived is kept as printed.
    cells.sort_by_key(|(_, _, derived)| *derived);
    for cell in cells {
        push(out, source, cell);
    }
    for piece in outside {
        let k = key(&piece);
        // The piece is part of a cell (a wrapped line), or a cell with a little around it
        // (`Indikator : <cell>`, `1. <cell>`).
        let inside_cell = |c: &String| {
            c.contains(&k)
                || (c.len() >= 12 && k.len() <= 2 * c.len() + 20 && k.contains(c.as_str()))
        };
        if k.is_empty() || cell_keys.iter().any(inside_cell) {
            continue;
        }
        push(out, source, (Column::Other, piece, false));
    }
    Ok(())
}

/// A cell for training: column, text, derived by a rule or printed.
type Cell = (Column, String, bool);

/// The cells one indicator row printed, and those derived from them.
fn row_cells(row: &Value, cells: &mut Vec<Cell>) {
    let text = |field: &str| row[field].as_str().map(str::to_string);
    if let Some(no) = text("no") {
        cells.push((Column::No, format!("{no}."), true));
        cells.push((Column::No, no, false));
    }
    // A Penjelasan column that repeats the indicator says nothing about how rumus read.
    let repeats = |r: &String| text("indikator").is_some_and(|i| key(&i) == key(r));
    for (field, column) in [
        ("sasaran", Column::Sasaran),
        ("indikator", Column::Indikator),
        ("rumus", Column::Rumus),
        ("sumber_data", Column::SumberData),
    ] {
        match text(field) {
            Some(t) if column == Column::Rumus && repeats(&t) => {}
            Some(t) => cells.push((column, t, false)),
            None => {}
        }
    }
    match row["target"]["raw"].as_str() {
        Some(raw) => {
            cells.push((Column::Target, raw.to_string(), false));
            let number_end = raw
                .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
                .unwrap_or(raw.len());
            let (number, unit) = raw.split_at(number_end);
            if !number.is_empty() && !unit.trim().is_empty() {
                cells.push((Column::Target, number.trim().to_string(), true));
                cells.push((Column::Satuan, unit.trim().to_string(), true));
            }
        }
        None => {
            if let Some(indikator) = text("indikator") {
                synthetic_target(&indikator, cells);
            }
        }
    }
    let people: Vec<&str> = row["penanggung_jawab"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    for p in &people {
        cells.push((Column::PenanggungJawab, p.to_string(), false));
    }
    if people.len() > 1 {
        cells.push((
            Column::PenanggungJawab,
            format!("- {}", people.join(" - ")),
            false,
        ));
    }
}

/// The Target and Satuan cells a form with those columns would print for an indicator, by
/// `iki-synth`'s rule: a percentage aims at `100 %`, "Jumlah <thing> …" at a count of things.
fn synthetic_target(indikator: &str, cells: &mut Vec<Cell>) {
    let mut words = indikator.split_whitespace();
    let first = words.next().unwrap_or("").to_lowercase();
    let k = key(indikator);
    // A deterministic variety of spellings and counts, from the text itself.
    let pick = k
        .bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(b as u32));
    if first.ends_with("entase") {
        let target = ["100 %", "100%", "100"][pick as usize % 3];
        cells.push((Column::Target, target.to_string(), true));
        cells.push((Column::Satuan, "%".to_string(), true));
    } else if first == "jumlah" {
        if let Some(thing) = words.next() {
            let n = 1 + pick % 36;
            cells.push((Column::Target, format!("{n} {thing}"), true));
            cells.push((Column::Target, n.to_string(), true));
            cells.push((Column::Satuan, thing.to_string(), true));
        }
    }
}

fn push(out: &mut BTreeSet<Example>, source: &str, (column, text, derived): Cell) {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let printed = Example {
        source: source.to_string(),
        column,
        text,
        derived: false,
    };
    // A cell both printed and derived counts as printed.
    let known = derived && out.contains(&printed);
    if !printed.text.is_empty() && !known {
        out.insert(Example { derived, ..printed });
    }
}

/// A matching key: lowercase letters and digits only, LaTeX command names and `x` dropped.
fn key(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            let mut name = String::new();
            while let Some(d) = chars.next_if(|d| d.is_ascii_alphabetic()) {
                name.push(d);
            }
            // `\begin{array}{l}`, `\end{array}`: their arguments are not text.
            if name == "begin" || name == "end" {
                while chars.next_if_eq(&'{').is_some() {
                    for d in chars.by_ref() {
                        if d == '}' {
                            break;
                        }
                    }
                }
            }
        } else if c == '<'
            && chars
                .peek()
                .is_some_and(|d| d.is_ascii_alphabetic() || *d == '/')
        {
            // An HTML tag.
            for d in chars.by_ref() {
                if d == '>' {
                    break;
                }
            }
        } else if c.is_alphanumeric() && c != 'x' && c != 'X' {
            // Without x: answers write LaTeX `\times` as "x".
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Cells in a `column<TAB>text` file (`#` starts a comment line).
pub fn read_cells(path: &Path, source: &str) -> Result<Vec<Example>, DataError> {
    let text = fs::read_to_string(path).map_err(|e| DataError::Io(path.to_path_buf(), e))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (name, cell) = line
            .split_once('\t')
            .ok_or_else(|| DataError::Line(path.to_path_buf(), i + 1))?;
        let column = Column::from_name(name.trim())
            .ok_or_else(|| DataError::Line(path.to_path_buf(), i + 1))?;
        out.push(Example {
            source: source.to_string(),
            column,
            text: cell.to_string(),
            derived: false,
        });
    }
    Ok(out)
}

/// How to fit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrainConfig {
    pub set: FeatureSet,
    /// `log2` of the weight table's rows.
    pub bits: u32,
    pub epochs: u32,
    /// Initial step size (decays as `rate / (1 + epoch / 4)`).
    pub rate: f64,
    /// L2 strength per example.
    pub l2: f64,
    pub seed: u64,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            set: FeatureSet::DEFAULT,
            bits: 12,
            epochs: 30,
            rate: 0.05,
            l2: 1e-3,
            seed: 0x1c01_0de1,
        }
    }
}

/// Collects a cell's features, merging repeats.
#[derive(Default)]
struct Sparse(Vec<(u32, f32)>);

impl Sink for Sparse {
    fn add(&mut self, bucket: usize, value: f32) {
        self.0.push((bucket as u32, value));
    }
}

fn featurize(text: &str, config: &TrainConfig) -> Vec<(u32, f64)> {
    let mut s = Sparse::default();
    features::extract(text, config.set, config.bits, &mut s);
    s.0.sort_by_key(|(b, _)| *b);
    let mut out: Vec<(u32, f64)> = Vec::with_capacity(s.0.len());
    for (b, v) in s.0 {
        match out.last_mut() {
            Some((last, sum)) if *last == b => *sum += v as f64,
            _ => out.push((b, v as f64)),
        }
    }
    out
}

/// Fits a model to `examples`.
pub fn fit(examples: &[Example], config: &TrainConfig) -> ColumnModel {
    let rows: Vec<Vec<(u32, f64)>> = examples
        .iter()
        .map(|e| featurize(&e.text, config))
        .collect();
    let mut counts = [0usize; C];
    for e in examples {
        counts[e.column.index()] += 1;
    }
    // Rare columns weigh more (1/sqrt(count)); the mean weight is 1.
    let raw: Vec<f64> = counts
        .iter()
        .map(|&n| if n == 0 { 0.0 } else { 1.0 / sqrt(n as f64) })
        .collect();
    let mean =
        examples.iter().map(|e| raw[e.column.index()]).sum::<f64>() / examples.len().max(1) as f64;
    let class_weight: Vec<f64> = raw.iter().map(|w| w / mean).collect();

    let size = 1usize << config.bits;
    // Weights are `scale × v`, so the L2 shrink of every weight is one multiplication.
    let mut v = vec![[0.0f64; C]; size];
    let mut scale = 1.0f64;
    let mut rng = config.seed | 1;
    let mut order: Vec<usize> = (0..examples.len()).collect();
    for epoch in 0..config.epochs {
        shuffle(&mut order, &mut rng);
        let rate = config.rate / (1.0 + epoch as f64 / 4.0);
        for &i in &order {
            let x = &rows[i];
            let mut logits = [0.0f64; C];
            for &(b, val) in x {
                for (l, w) in logits.iter_mut().zip(&v[b as usize]) {
                    *l += val * w * scale;
                }
            }
            let p = softmax(logits);
            let label = examples[i].column.index();
            let sw = class_weight[label];
            scale *= 1.0 - rate * config.l2;
            for &(b, val) in x {
                let row = &mut v[b as usize];
                for (c, w) in row.iter_mut().enumerate() {
                    let y = if c == label { 1.0 } else { 0.0 };
                    *w -= rate * sw * (p[c] - y) * val / scale;
                }
            }
            if scale < 1e-6 {
                for row in v.iter_mut() {
                    for w in row.iter_mut() {
                        *w *= scale;
                    }
                }
                scale = 1.0;
            }
        }
    }
    let mut weights: Vec<[f32; C]> = v
        .iter()
        .map(|row| row.map(|w| (w * scale) as f32))
        .collect();
    // A uniform prior: remove the training prior (count × class weight) from the bias row.
    let bias = bias_bucket(config);
    let total: f64 = counts
        .iter()
        .zip(&class_weight)
        .map(|(&n, w)| n as f64 * w)
        .sum();
    for c in 0..C {
        let prior = counts[c] as f64 * class_weight[c] / total;
        if prior > 0.0 {
            weights[bias][c] -= ln(prior) as f32;
        } else {
            // A column without training cells is never the answer.
            weights[bias][c] = -30.0;
        }
    }
    ColumnModel {
        set: config.set,
        bits: config.bits,
        weights: weights.into_iter().map(Row::new).collect(),
    }
}

/// The bucket of the bias feature (every cell has it).
fn bias_bucket(config: &TrainConfig) -> usize {
    let mut s = Sparse::default();
    features::extract("", FeatureSet(0), config.bits, &mut s);
    s.0[0].0 as usize
}

/// Fisher–Yates with xorshift64.
fn shuffle(order: &mut [usize], state: &mut u64) {
    for i in (1..order.len()).rev() {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        let j = (*state % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
}

fn softmax(logits: [f64; C]) -> [f64; C] {
    let max = logits.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let e = logits.map(|l| exp(l - max));
    let sum: f64 = e.iter().sum();
    e.map(|x| x / sum)
}

/// `e^x` from IEEE basic operations only (platform `exp` may differ in the last bit).
fn exp(x: f64) -> f64 {
    if x < -700.0 {
        return 0.0;
    }
    let x = x.min(700.0);
    const LN2: f64 = std::f64::consts::LN_2;
    let k = (x / LN2 + 0.5).floor();
    let r = x - k * LN2;
    // Taylor series on |r| ≤ ln2/2: 13 terms reach f64 precision.
    let mut term = 1.0;
    let mut sum = 1.0;
    for n in 1..14 {
        term *= r / n as f64;
        sum += term;
    }
    sum * f64::from_bits(((k as i64 + 1023) as u64) << 52)
}

/// Natural log from basic operations (used once per column for the prior).
fn ln(x: f64) -> f64 {
    // x = m · 2^e with m in [1, 2); ln m = 2 atanh((m−1)/(m+1)).
    let bits = x.to_bits();
    let e = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let m = f64::from_bits((bits & ((1 << 52) - 1)) | (1023 << 52));
    let t = (m - 1.0) / (m + 1.0);
    let t2 = t * t;
    let mut term = t;
    let mut sum = 0.0;
    for n in 0..40 {
        sum += term / (2 * n + 1) as f64;
        term *= t2;
    }
    2.0 * sum + e as f64 * std::f64::consts::LN_2
}

/// Square root by Newton's method (basic operations only).
fn sqrt(x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    let mut g = x.max(1.0);
    for _ in 0..64 {
        g = 0.5 * (g + x / g);
    }
    g
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_operation_functions_agree_with_std() {
        for x in [-20.0, -1.5, -0.1, 0.0, 0.3, 2.0, 10.0] {
            assert!(
                (exp(x) - f64::exp(x)).abs() <= 1e-12 * f64::exp(x),
                "exp {x}"
            );
        }
        for x in [0.01, 0.5, 1.0, 3.0, 1000.0] {
            assert!((ln(x) - f64::ln(x)).abs() < 1e-12, "ln {x}");
            assert!((sqrt(x) - f64::sqrt(x)).abs() < 1e-9, "sqrt {x}");
        }
    }

    #[test]
    fn key_ignores_markup_and_case() {
        assert_eq!(
            key("$\\frac{\\text{Jumlah A}}{B} \\times 100$"),
            key("Jumlah A / B x 100")
        );
        assert_eq!(key("Kecamatan  Lumajang."), "kecamatanlumajang");
        assert_eq!(key("<b>Jumlah</b> desa"), "jumlahdesa");
    }

    #[test]
    fn target_splits_into_number_and_unit() {
        let row: Value = serde_json::json!({"target": {"raw": "12 bulan"}});
        let mut cells = Vec::new();
        row_cells(&row, &mut cells);
        assert!(cells.contains(&(Column::Target, "12".to_string(), true)));
        assert!(cells.contains(&(Column::Satuan, "bulan".to_string(), true)));
        assert!(cells.contains(&(Column::Target, "12 bulan".to_string(), false)));
    }
}
