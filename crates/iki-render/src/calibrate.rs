//! Calibration of the parser's confidence against renderings with a known answer (issue #6):
//! every fixture × family × seed is rendered, extracted and scored; the renderings of the first
//! half of the seeds tune the confidence model ([`fit`]), those of the second half measure it.
//!
//! The split is by seed, not by fixture: with a handful of fixtures, holding one out would
//! leave a layout the model never saw on either side, while every seed draws fresh widths,
//! wrap points, labels, slips, furniture and encodings for every fixture. Held-out renderings
//! share their fixture's text with tuning ones, not their bytes.
//!
//! A rendering's measured accuracy and confidence are what `iki eval` reports for it (the
//! same [`iki_eval::evaluate_pair`] path): soft `tp / (tp + fp + fn)`, and the prediction's
//! `confidence` unless it failed.

use std::fmt::Write;
use std::ops::Range;

use iki_eval::calibration::{self, Calibration};
use iki_eval::Counts;
use iki_parser::confidence::{self, Evidence, Summary, Weights, EVIDENCE_KINDS};
use rayon::prelude::*;
use serde_json::Value;

use crate::{render, Family, GoldDoc};

/// One scored rendering.
#[derive(Debug, Clone)]
pub struct Sample {
    pub family: Family,
    pub fixture: String,
    pub seed: u64,
    /// Measured accuracy (soft `tp / (tp + fp + fn)`); `None` when nothing was scored.
    pub accuracy: Option<f64>,
    /// The document confidence the parser wrote; `None` for a failed document.
    pub confidence: Option<f64>,
    /// The evidence the confidence was computed from, summed over the document.
    pub evidence: Summary,
}

impl Sample {
    /// `(confidence, accuracy)` when the rendering enters the calibration.
    pub fn point(&self) -> Option<(f64, f64)> {
        Some((self.confidence?, self.accuracy?))
    }

    /// `(confidence, accuracy)` with the confidence recomputed from the evidence with `weights`.
    pub fn point_with(&self, weights: &Weights) -> Option<(f64, f64)> {
        self.confidence?;
        Some((self.evidence.confidence(weights), self.accuracy?))
    }
}

/// Renders, extracts and scores every fixture in every family with seeds `seeds`, in parallel;
/// the samples come back in (family, seed, fixture) order.
pub fn collect(
    fixtures: &[(String, GoldDoc)],
    families: &[Family],
    seeds: Range<u64>,
) -> Vec<Sample> {
    let jobs: Vec<(Family, u64, usize)> = families
        .iter()
        .flat_map(|&f| seeds.clone().map(move |s| (f, s)))
        .flat_map(|(f, s)| (0..fixtures.len()).map(move |i| (f, s, i)))
        .collect();
    jobs.par_iter()
        .map(|&(family, seed, i)| sample(&fixtures[i].0, &fixtures[i].1, family, seed))
        .collect()
}

fn sample(stem: &str, doc: &GoldDoc, family: Family, seed: u64) -> Sample {
    let rendering = render(doc, family, seed);
    let name = format!("{}/{stem}-{seed}.txt", family.slug());
    let (predicted, found) = iki_parser::extract_with_evidence(&name, &rendering.bytes);
    let evidence = Summary::of(&predicted, &found);
    let pred = serde_json::to_value(&predicted).unwrap_or(Value::Null);
    let mut counts = Counts::new();
    iki_eval::evaluate_pair(&rendering.gold, &pred, &mut counts);
    Sample {
        family,
        fixture: stem.to_string(),
        seed,
        accuracy: calibration::accuracy(counts.total().soft),
        confidence: counts.confidence(),
        evidence,
    }
}

/// Whether a seed belongs to the held-out part of `0..seeds`: the second half.
pub fn is_held_out(seed: u64, seeds: u64) -> bool {
    seed >= seeds / 2
}

/// The calibration of some samples with the confidence the parser wrote.
pub fn calibration_of<'a>(samples: impl IntoIterator<Item = &'a Sample>) -> Option<Calibration> {
    let points: Vec<(f64, f64)> = samples.into_iter().filter_map(Sample::point).collect();
    Calibration::from_points(&points)
}

/// Mean confidence and accuracy per family, as a Markdown table.
pub fn family_table<'a>(samples: impl IntoIterator<Item = &'a Sample>) -> String {
    let mut rows: Vec<(Family, Vec<(f64, f64)>)> = Vec::new();
    for s in samples {
        let Some(point) = s.point() else { continue };
        match rows.iter_mut().find(|(f, _)| *f == s.family) {
            Some((_, points)) => points.push(point),
            None => rows.push((s.family, vec![point])),
        }
    }
    let mut out = String::from(
        "| family | documents | mean confidence | mean accuracy | mean gap | clean |\n|---|---:|---:|---:|---:|---:|\n",
    );
    for (family, points) in rows {
        let n = points.len() as f64;
        let mean = |f: &dyn Fn(&(f64, f64)) -> f64| points.iter().map(f).sum::<f64>() / n;
        let clean = points.iter().filter(|p| calibration::is_clean(p.1)).count();
        let _ = writeln!(
            out,
            "| {family} | {} | {:.3} | {:.3} | {:.3} | {clean} |",
            points.len(),
            mean(&|p| p.0),
            mean(&|p| p.1),
            mean(&|p| (p.0 - p.1).abs()),
        );
    }
    out
}

/// How much the ranking term weighs against the squared calibration error in [`fit`].
pub const RANK_WEIGHT: f64 = 5.0;
/// The confidence difference over which the ranking term's penalty softens ([`fit`]).
const RANK_SOFTNESS: f64 = 0.01;

/// The weights that fit the samples best, by coordinate descent from `start` (each coordinate
/// by golden-section search), every weight ≥ 0 and `guessed_columns` ≥
/// [`confidence::MIN_GUESSED_COLUMNS`]. The loss has two terms:
///
/// - calibration: the mean squared difference between the document confidence
///   [`Summary::confidence`] would give and the measured accuracy;
/// - ranking, times [`RANK_WEIGHT`]: over every pair of a clean rendering and one with an
///   error, a soft count of the pair ranked the wrong way round (`τ · ln(1 + e^{(c_err −
///   c_clean) / τ})`, τ = 0.01), the smooth form of 1 − AUROC.
///
/// Least squares alone ranks a document with one wrong field of 500 (accuracy 0.998) above a
/// clean one whose evidence carries a little risk; the ranking term asks evidence of an error
/// to cost more than its share of the fields. A kind of evidence no sample shows keeps its
/// weight from `start` (nothing to fit it on).
pub fn fit(samples: &[Sample], start: &Weights) -> Weights {
    let data: Vec<(&Summary, f64)> = samples
        .iter()
        .filter(|s| s.confidence.is_some())
        .filter_map(|s| Some((&s.evidence, s.accuracy?)))
        .collect();
    let clean: Vec<usize> = (0..data.len())
        .filter(|&i| calibration::is_clean(data[i].1))
        .collect();
    let errors: Vec<usize> = (0..data.len())
        .filter(|&i| !calibration::is_clean(data[i].1))
        .collect();
    let loss = |w: &Weights| -> f64 {
        let conf: Vec<f64> = data
            .iter()
            .map(|(e, _)| unrounded_confidence(e, w))
            .collect();
        let squared: f64 = conf
            .iter()
            .zip(&data)
            .map(|(c, (_, a))| (c - a) * (c - a))
            .sum::<f64>()
            / data.len().max(1) as f64;
        let pairs = (clean.len() * errors.len()) as f64;
        if pairs == 0.0 {
            return squared;
        }
        let mut misranked = 0.0;
        for &c in &clean {
            for &e in &errors {
                misranked += softplus((conf[e] - conf[c]) / RANK_SOFTNESS) * RANK_SOFTNESS;
            }
        }
        squared + RANK_WEIGHT * misranked / pairs
    };
    let seen: Vec<bool> = (0..EVIDENCE_KINDS)
        .map(|k| data.iter().any(|(e, _)| e.counts[k] > 0.0))
        .collect();
    let mut w = *start;
    for _ in 0..6 {
        // Coordinate 0 is the base rate, k + 1 the weight of evidence kind k.
        for coord in 0..=EVIDENCE_KINDS {
            if coord > 0 && !seen[coord - 1] {
                continue;
            }
            let (lo, hi) = bounds(coord);
            let set = |w: &mut Weights, v: f64| match coord {
                0 => w.base = v,
                k => w.per[k - 1] = v,
            };
            let best = golden_section(lo, hi, |v| {
                let mut trial = w;
                set(&mut trial, v);
                loss(&trial)
            });
            let mut trial = w;
            set(&mut trial, best);
            if loss(&trial) < loss(&w) {
                w = trial;
            }
        }
    }
    w.base = round_to(w.base, 5);
    for v in &mut w.per {
        *v = round_to(*v, 3);
    }
    w
}

/// One family held out of the fit (issue #10 item 4): the weights fitted on every other
/// family's renderings, measured on this family's.
#[derive(Debug, Clone)]
pub struct HeldOutFamily {
    pub family: Family,
    /// With the weights fitted without this family; `None` when no rendering of it has a
    /// confidence (every one failed).
    pub refitted: Option<Calibration>,
    /// With the parser's own weights, for comparison.
    pub parser: Option<Calibration>,
}

/// Leave-one-family-out calibration: for each of `families`, fit on the samples of all the
/// others (every seed) and measure on that family's samples.
pub fn leave_one_out(
    samples: &[Sample],
    families: &[Family],
    start: &Weights,
) -> Vec<HeldOutFamily> {
    families
        .par_iter()
        .map(|&family| {
            let others: Vec<Sample> = samples
                .iter()
                .filter(|s| s.family != family)
                .cloned()
                .collect();
            let weights = fit(&others, start);
            let held: Vec<&Sample> = samples.iter().filter(|s| s.family == family).collect();
            let refitted: Vec<(f64, f64)> =
                held.iter().filter_map(|s| s.point_with(&weights)).collect();
            let parser: Vec<(f64, f64)> = held.iter().filter_map(|s| s.point()).collect();
            HeldOutFamily {
                family,
                refitted: Calibration::from_points(&refitted),
                parser: Calibration::from_points(&parser),
            }
        })
        .collect()
}

/// The Markdown table of [`leave_one_out`], with the worst family's figures last.
pub fn leave_one_out_table(rows: &[HeldOutFamily]) -> String {
    let mut out = String::from(
        "| held-out family | documents (clean / with errors) | mean \\|confidence − accuracy\\| | ECE | AUROC | gap with the parser's weights |\n|---|---:|---:|---:|---:|---:|\n",
    );
    let three = |v: Option<f64>| v.map_or("–".to_string(), |v| format!("{v:.3}"));
    for row in rows {
        let c = row.refitted.as_ref();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            row.family,
            c.map_or("0".to_string(), |c| format!(
                "{} ({} / {})",
                c.documents, c.clean, c.with_errors
            )),
            three(c.map(|c| c.gap)),
            three(c.map(|c| c.ece)),
            three(c.and_then(|c| c.auroc)),
            three(row.parser.as_ref().map(|c| c.gap)),
        );
    }
    let worst = |f: fn(&Calibration) -> f64| {
        rows.iter()
            .filter_map(|r| r.refitted.as_ref().map(|c| (f(c), r.family)))
            .max_by(|a, b| a.0.total_cmp(&b.0))
    };
    if let (Some((gap, gap_family)), Some((ece, ece_family))) = (worst(|c| c.gap), worst(|c| c.ece))
    {
        let _ = writeln!(
            out,
            "| **worst** | | {gap:.3} ({gap_family}) | {ece:.3} ({ece_family}) | | |"
        );
    }
    out
}

/// `ln(1 + e^x)` without overflow.
fn softplus(x: f64) -> f64 {
    if x > 30.0 {
        x
    } else {
        x.exp().ln_1p()
    }
}

/// The search interval of a coordinate (0: base rate per field; k: weight of kind k − 1).
fn bounds(coord: usize) -> (f64, f64) {
    match coord {
        0 => (0.0, 0.02),
        k if Evidence::ALL[k - 1] == Evidence::GuessedColumns => {
            (confidence::MIN_GUESSED_COLUMNS, 10.0)
        }
        _ => (0.0, 10.0),
    }
}

fn unrounded_confidence(e: &Summary, w: &Weights) -> f64 {
    let evidence: f64 = e.counts.iter().zip(&w.per).map(|(c, w)| c * w).sum();
    confidence::accuracy_estimate(e.fields, w.base * e.fields + evidence)
}

/// The minimum of `f` on `[lo, hi]` (unimodal assumed), to about 1e-4 of the interval; the
/// lower end itself when it is no worse (weights of 0 stay exactly 0).
fn golden_section(lo: f64, hi: f64, f: impl Fn(f64) -> f64) -> f64 {
    let ratio = (5f64.sqrt() - 1.0) / 2.0;
    let (mut a, mut b) = (lo, hi);
    let mut c = b - ratio * (b - a);
    let mut d = a + ratio * (b - a);
    let (mut fc, mut fd) = (f(c), f(d));
    while (b - a) > 1e-4 * (hi - lo) {
        if fc < fd {
            b = d;
            d = c;
            fd = fc;
            c = b - ratio * (b - a);
            fc = f(c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + ratio * (b - a);
            fd = f(d);
        }
    }
    let mid = (a + b) / 2.0;
    if f(lo) <= f(mid) {
        lo
    } else {
        mid
    }
}

fn round_to(v: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (v * scale).round() / scale
}

/// The weights as the Rust constant `iki_parser::confidence::WEIGHTS` is written.
pub fn weights_source(w: &Weights) -> String {
    let mut out = String::from(
        "#[allow(clippy::approx_constant)] // fitted numbers that may look like π or e\npub const WEIGHTS: Weights = Weights {\n",
    );
    let _ = writeln!(out, "    base: {:?},", w.base);
    out.push_str("    per: [\n");
    // Comments aligned as rustfmt aligns them.
    let values: Vec<String> = Evidence::ALL
        .iter()
        .map(|e| format!("{:?},", w.of(*e)))
        .collect();
    let width = values.iter().map(String::len).max().unwrap_or(0);
    for (value, e) in values.iter().zip(Evidence::ALL) {
        let _ = writeln!(out, "        {value:<width$} // {}", e.name());
    }
    out.push_str("    ],\n};\n");
    out
}

/// A small self-contained SVG reliability plot: per-document dots, per-bin means (sized by
/// count) joined by a line, and the diagonal. The axes run from `lo` (the lowest tenth holding
/// a point, at most 0.5) to 1 so the crowded top of the range stays readable. `title` may hold
/// two lines (split at `\n`).
pub fn reliability_svg(points: &[(f64, f64)], title: &str) -> String {
    let lowest = points.iter().map(|p| p.0.min(p.1)).fold(1.0f64, f64::min);
    let lo = ((lowest * 10.0).floor() / 10.0).clamp(0.0, 0.5);
    let (left, top, size) = (56.0, 52.0, 320.0);
    let x = |v: f64| left + (v.clamp(lo, 1.0) - lo) / (1.0 - lo) * size;
    let y = |v: f64| top + size - (v.clamp(lo, 1.0) - lo) / (1.0 - lo) * size;
    let mut svg = String::new();
    let _ = write!(
        svg,
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="420" height="432" viewBox="0 0 420 432" "#,
            r#"font-family="sans-serif" font-size="11">"#,
            "\n<title>{}</title>\n",
            r#"<rect width="420" height="432" fill="white"/>"#,
            "\n",
        ),
        escape(&title.replace('\n', " — ")),
    );
    for (i, line) in title.lines().take(2).enumerate() {
        let _ = writeln!(
            svg,
            r#"<text x="{left}" y="{}" font-size="12">{}</text>"#,
            18 + 16 * i,
            escape(line)
        );
    }
    // Grid and tick labels every tenth.
    let mut t = (lo * 10.0).round() as i64;
    while t <= 10 {
        let v = t as f64 / 10.0;
        let _ = writeln!(
            svg,
            r##"<line x1="{:.1}" y1="{top}" x2="{:.1}" y2="{:.1}" stroke="#e4e4e4"/><line x1="{left}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#e4e4e4"/><text x="{:.1}" y="{:.1}" text-anchor="middle">{v:.1}</text><text x="{:.1}" y="{:.1}" text-anchor="end">{v:.1}</text>"##,
            x(v),
            x(v),
            top + size,
            y(v),
            left + size,
            y(v),
            x(v),
            top + size + 16.0,
            left - 6.0,
            y(v) + 4.0,
        );
        t += 1;
    }
    let _ = writeln!(
        svg,
        r##"<rect x="{left}" y="{top}" width="{size}" height="{size}" fill="none" stroke="#999"/><line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#999" stroke-dasharray="4 3"/>"##,
        x(lo),
        y(lo),
        x(1.0),
        y(1.0)
    );
    let _ = writeln!(
        svg,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">document confidence</text><text transform="translate(16 {:.1}) rotate(-90)" text-anchor="middle">measured accuracy (soft, per document)</text>"#,
        left + size / 2.0,
        top + size + 34.0,
        top + size / 2.0
    );
    for &(c, a) in points {
        let _ = write!(
            svg,
            r##"<circle cx="{:.1}" cy="{:.1}" r="2" fill="#4477aa" fill-opacity="0.35"/>"##,
            x(c),
            y(a)
        );
    }
    svg.push('\n');
    let bins: Vec<_> = calibration::reliability(points)
        .into_iter()
        .filter(|b| b.count > 0)
        .collect();
    let path: Vec<String> = bins
        .iter()
        .map(|b| format!("{:.1},{:.1}", x(b.mean_confidence), y(b.mean_accuracy)))
        .collect();
    if path.len() > 1 {
        let _ = writeln!(
            svg,
            r##"<polyline points="{}" fill="none" stroke="#cc3311" stroke-width="1.5"/>"##,
            path.join(" ")
        );
    }
    let total = points.len().max(1) as f64;
    for b in &bins {
        let r = 3.0 + 9.0 * (b.count as f64 / total).sqrt();
        let _ = writeln!(
            svg,
            r##"<circle cx="{:.1}" cy="{:.1}" r="{r:.1}" fill="#cc3311" fill-opacity="0.8"><title>confidence {:.1}–{:.1}: {} documents, mean confidence {:.3}, mean accuracy {:.3}</title></circle>"##,
            x(b.mean_confidence),
            y(b.mean_accuracy),
            b.min,
            b.max,
            b.count,
            b.mean_confidence,
            b.mean_accuracy
        );
    }
    let _ = writeln!(
        svg,
        r##"<text x="{:.1}" y="{:.1}" fill="#4477aa">● document</text><text x="{:.1}" y="{:.1}" fill="#cc3311">● bin mean (size: documents)</text>"##,
        left + 8.0,
        top + 16.0,
        left + 8.0,
        top + 30.0
    );
    svg.push_str("</svg>\n");
    svg
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_by_seed() {
        assert!(!is_held_out(0, 20) && !is_held_out(9, 20));
        assert!(is_held_out(10, 20) && is_held_out(19, 20));
        assert!(is_held_out(0, 1), "a single seed is held out");
    }

    #[test]
    fn golden_section_finds_the_minimum_or_the_lower_end() {
        let m = golden_section(0.0, 10.0, |v| (v - 3.0) * (v - 3.0));
        assert!((m - 3.0).abs() < 1e-2, "{m}");
        assert_eq!(golden_section(0.0, 10.0, |v| v), 0.0);
    }

    #[test]
    fn svg_is_self_contained() {
        let svg = reliability_svg(&[(0.95, 1.0), (0.8, 0.7), (0.99, 0.98)], "a <b>");
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains("a &lt;b&gt;"));
        assert!(!svg.contains("href"));
        assert!(svg.trim_end().ends_with("</svg>"));
    }
}
