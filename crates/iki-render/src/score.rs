//! Renders fixtures in a family, runs the parser on each rendering in-process and scores it
//! against its gold with `iki-eval`: the numbers behind `iki-families`. Also scores a folder
//! of crafted fixtures (`name.txt` beside the hand-written `name.json`) one by one
//! ([`score_fixtures`], `iki-families --crafted DIR`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use iki_eval::calibration;
use iki_eval::{Counts, DocumentCounts, Report};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;

use crate::{render, Family, GoldDoc, GoldError};

/// The scores of one family over some fixtures and seeds.
#[derive(Debug, Clone, Serialize)]
pub struct FamilyScore {
    pub family: String,
    pub documents: usize,
    /// Renderings the parser answered with `status: "failed"`.
    pub failed: usize,
    pub headline_f1_soft: f64,
    pub indicator_f1: f64,
    pub signatory_f1: f64,
    /// Mean of the documents' `confidence`. This and the next two leave failed documents
    /// out (they carry no confidence of their own; `iki eval` leaves them out of calibration
    /// too); they count in the F1 figures and in `failed`.
    pub mean_confidence: f64,
    /// Mean of the documents' accuracy, soft `tp / (tp + fp + fn)` (what `iki eval` measures).
    pub mean_accuracy: f64,
    /// Mean |confidence − accuracy| over the documents.
    pub mean_gap: f64,
    /// The most frequent kinds of difference ("field kind", count), most frequent first.
    pub top_diffs: Vec<DiffCount>,
    /// Every rendering's headline soft F1, with the variant its seed chose.
    pub files: Vec<FileScore>,
    #[serde(skip)]
    pub report: Report,
}

/// One rendering's score.
#[derive(Debug, Clone, Serialize)]
pub struct FileScore {
    pub file: String,
    pub headline_f1_soft: f64,
    pub failed: bool,
    pub variant: String,
}

/// How often one kind of difference was seen, with one example.
#[derive(Debug, Clone, Serialize)]
pub struct DiffCount {
    pub what: String,
    pub count: usize,
    pub example: String,
}

/// One scored rendering.
struct Scored {
    name: String,
    counts: Counts,
    variant: String,
    failed: bool,
    confidence: f64,
    /// Soft `tp / (tp + fp + fn)`; `None` when nothing was scored.
    accuracy: Option<f64>,
}

/// Renders every fixture in `family` with seeds `0..seeds`, extracts and scores each (in
/// parallel; the results do not depend on the order or the build profile).
pub fn score_family(fixtures: &[(String, GoldDoc)], family: Family, seeds: u64) -> FamilyScore {
    let jobs: Vec<(u64, usize)> = (0..seeds)
        .flat_map(|seed| (0..fixtures.len()).map(move |i| (seed, i)))
        .collect();
    let scored: Vec<Scored> = jobs
        .par_iter()
        .map(|&(seed, i)| {
            let (stem, doc) = &fixtures[i];
            score_one(
                doc,
                family,
                seed,
                &format!("{}/{stem}-{seed}.txt", family.slug()),
            )
        })
        .collect();
    let n = scored.len();
    let failed = scored.iter().filter(|s| s.failed).count();
    let mean = |f: &dyn Fn(&Scored) -> Option<f64>| {
        let values: Vec<f64> = scored.iter().filter_map(f).collect();
        if values.is_empty() {
            0.0
        } else {
            values.iter().sum::<f64>() / values.len() as f64
        }
    };
    // Failed documents carry no confidence of their own (see `iki_eval::Counts::confidence`).
    let mean_confidence = mean(&|s| (!s.failed).then_some(s.confidence));
    let mean_accuracy = mean(&|s| s.accuracy.filter(|_| !s.failed));
    let mean_gap = mean(&|s| {
        let a = s.accuracy.filter(|_| !s.failed)?;
        Some((s.confidence - a).abs())
    });
    let mut files = Vec::with_capacity(n);
    let mut documents = Vec::with_capacity(n);
    for s in scored {
        files.push(FileScore {
            file: s.name.clone(),
            headline_f1_soft: 0.0,
            failed: s.failed,
            variant: s.variant,
        });
        documents.push(DocumentCounts {
            file: s.name,
            prediction_missing: false,
            counts: s.counts,
        });
    }
    let top_diffs = top_diffs(&documents, 8);
    let report = Report::new(documents);
    for (file, scores) in files.iter_mut().zip(&report.files) {
        file.headline_f1_soft = scores.soft.f1;
    }
    FamilyScore {
        family: family.slug(),
        documents: n,
        failed,
        headline_f1_soft: report.headline_f1_soft(),
        indicator_f1: report.field_f1_soft("indicators").unwrap_or(0.0),
        signatory_f1: report.field_f1_soft("signatories").unwrap_or(0.0),
        mean_confidence,
        mean_accuracy,
        mean_gap,
        top_diffs,
        files,
        report,
    }
}

fn score_one(doc: &GoldDoc, family: Family, seed: u64, name: &str) -> Scored {
    let rendering = render(doc, family, seed);
    let predicted = iki_parser::extract(name, &rendering.bytes);
    let failed = predicted.status == iki_parser::Status::Failed;
    let confidence = predicted.confidence;
    let pred = serde_json::to_value(&predicted).unwrap_or(Value::Null);
    let mut counts = Counts::new();
    iki_eval::evaluate_pair(&rendering.gold, &pred, &mut counts);
    Scored {
        name: name.to_string(),
        accuracy: calibration::accuracy(counts.total().soft),
        counts,
        variant: rendering.variant,
        failed,
        confidence,
    }
}

/// The `n` most frequent (field, kind) differences over all documents.
fn top_diffs(documents: &[DocumentCounts], n: usize) -> Vec<DiffCount> {
    let mut groups: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for doc in documents {
        for diff in doc.counts.diffs() {
            let field = diff.field.map(|f| f.name()).unwrap_or("document");
            let what = format!("{field} {:?}", diff.kind).to_lowercase();
            let entry = groups.entry(what).or_insert_with(|| {
                let example = format!(
                    "{} {}: expected {} got {}",
                    doc.file,
                    diff.path,
                    short(&diff.expected),
                    short(&diff.actual)
                );
                (0, example)
            });
            entry.0 += 1;
        }
    }
    let mut out: Vec<DiffCount> = groups
        .into_iter()
        .map(|(what, (count, example))| DiffCount {
            what,
            count,
            example,
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then(a.what.cmp(&b.what)));
    out.truncate(n);
    out
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= 70 {
        return text;
    }
    let cut: String = text.chars().take(70).collect();
    format!("{cut}…")
}

/// One crafted fixture read by the parser and scored against its hand-written answer.
#[derive(Debug, Clone, Serialize)]
pub struct FixtureScore {
    /// The fixture's file stem.
    pub fixture: String,
    /// The answer's `kind` ("iki", "skp", ...), when it states one.
    pub expected_kind: Option<String>,
    /// The kind the parser gave.
    pub kind: String,
    /// The parser's status ("ok", "partial", "failed").
    pub status: String,
    pub headline_f1_soft: f64,
    /// Soft `tp / (tp + fp + fn)`; `None` when nothing was scored.
    pub accuracy: Option<f64>,
    /// The document's `confidence`; `None` for a failed document (it carries none of its own).
    pub confidence: Option<f64>,
    #[serde(skip)]
    pub report: Report,
}

/// Reads every `*.txt` of `dir` with the parser and scores it against the `*.json` beside it,
/// in file-name order.
pub fn score_fixtures(dir: &Path) -> Result<Vec<FixtureScore>, GoldError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| GoldError::Io { path, source }
    };
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io(dir))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    inputs.sort();
    inputs
        .iter()
        .map(|input| {
            let bytes = std::fs::read(input).map_err(io(input))?;
            let answer = input.with_extension("json");
            let gold = GoldDoc::from_path(&answer)?.value;
            let stem = input
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            Ok(score_fixture(&stem, &bytes, &gold))
        })
        .collect()
}

fn score_fixture(stem: &str, bytes: &[u8], gold: &Value) -> FixtureScore {
    let predicted = iki_parser::extract(&format!("{stem}.txt"), bytes);
    let pred = serde_json::to_value(&predicted).unwrap_or(Value::Null);
    let mut counts = Counts::new();
    iki_eval::evaluate_pair(gold, &pred, &mut counts);
    let accuracy = calibration::accuracy(counts.total().soft);
    let text = |v: &Value| v.as_str().unwrap_or("").to_string();
    let report = Report::new(vec![DocumentCounts {
        file: stem.to_string(),
        prediction_missing: false,
        counts,
    }]);
    FixtureScore {
        fixture: stem.to_string(),
        expected_kind: gold.get("kind").and_then(Value::as_str).map(str::to_string),
        kind: text(&pred["kind"]),
        status: text(&pred["status"]),
        headline_f1_soft: report.headline_f1_soft(),
        accuracy,
        confidence: (predicted.status != iki_parser::Status::Failed)
            .then_some(predicted.confidence),
        report,
    }
}

/// The Markdown table of some fixture scores, with their means (confidence and its gap to
/// accuracy over the documents that did not fail).
pub fn fixtures_table(scores: &[FixtureScore]) -> String {
    let mut out = String::from(
        "| fixture | kind (expected → read) | status | headline F1 (soft) | accuracy | confidence | \\|confidence − accuracy\\| |\n|---|---|---|---:|---:|---:|---:|\n",
    );
    let three = |v: Option<f64>| v.map_or("–".to_string(), |v| format!("{v:.3}"));
    let gap = |s: &FixtureScore| Some((s.confidence? - s.accuracy?).abs());
    for s in scores {
        let expected = s.expected_kind.as_deref().unwrap_or("–");
        out.push_str(&format!(
            "| {} | {expected} → {} | {} | {:.3} | {} | {} | {} |\n",
            s.fixture,
            s.kind,
            s.status,
            s.headline_f1_soft,
            three(s.accuracy),
            three(s.confidence),
            three(gap(s)),
        ));
    }
    let mean = |values: Vec<f64>| {
        (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
    };
    out.push_str(&format!(
        "| **mean of {}** | | | {} | {} | {} | {} |\n",
        scores.len(),
        three(mean(scores.iter().map(|s| s.headline_f1_soft).collect())),
        three(mean(scores.iter().filter_map(|s| s.accuracy).collect())),
        three(mean(scores.iter().filter_map(|s| s.confidence).collect())),
        three(mean(scores.iter().filter_map(gap).collect())),
    ));
    out
}

/// The Markdown table of some family scores.
pub fn markdown_table(scores: &[FamilyScore]) -> String {
    let mut out = String::from(
        "| family | documents | headline micro-F1 (soft) | indicator F1 | signatory F1 | mean confidence | mean accuracy | mean \\|confidence − accuracy\\| | failed |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for s in scores {
        out.push_str(&format!(
            "| {} | {} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {} |\n",
            s.family,
            s.documents,
            s.headline_f1_soft,
            s.indicator_f1,
            s.signatory_f1,
            s.mean_confidence,
            s.mean_accuracy,
            s.mean_gap,
            s.failed
        ));
    }
    out
}
