//! Known-answer tests of the whole evaluation: scoring rules, alignment, modes, directories.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::{
    evaluate_dirs, evaluate_pair, evaluate_value_pair, Counts, DiffKind, EvalError, Field, Mode,
};

fn indicator(no: &str, indikator: &str) -> Value {
    json!({
        "no": no,
        "sasaran": "Meningkatnya kualitas layanan",
        "indikator": indikator,
        "rumus": "Jumlah dokumen",
        "formula": {"kind": "count", "subject": "dokumen"},
        "target": {"raw": "100 %", "value": 100, "unit": "%"},
        "sumber_data": "Kecamatan Lumajang",
        "penanggung_jawab": ["SEKCAM"]
    })
}

fn record(jabatan: &str, indikators: &[&str]) -> Value {
    let indicators: Vec<Value> = indikators
        .iter()
        .enumerate()
        .map(|(i, t)| indicator(&(i + 1).to_string(), t))
        .collect();
    json!({
        "heading": format!("IKI {jabatan}"),
        "year": 2023,
        "organization": null,
        "jabatan": jabatan,
        "eselon": "IV.a",
        "tugas_pokok": [{"label": null, "text": "Membantu Camat."}],
        "fungsi": [{"label": "a", "text": "perumusan kebijakan;"}, {"label": "b", "text": "pelaksanaan urusan;"}],
        "tujuan": [],
        "indikator_tujuan": [],
        "indicators": indicators
    })
}

fn signatory(name: &str, nip: &str) -> Value {
    json!({
        "role": "signer", "position": "CAMAT LUMAJANG", "acting": false,
        "name": name, "display_name": format!("Drs. {name}, M.Si."),
        "nip": nip, "place": "Lumajang", "date": "2023-02-02"
    })
}

fn document(records: Vec<Value>) -> Value {
    json!({
        "kind": "iki",
        "records": records,
        "signatories": [signatory("DEDWI SUPRAPTO", "197012181991011002")]
    })
}

fn sample() -> Value {
    document(vec![
        record(
            "Sekretaris Kecamatan",
            &["Persentase layanan administrasi", "Nilai SAKIP"],
        ),
        record(
            "Kepala Seksi Pemerintahan",
            &["Jumlah desa yang dibina", "Persentase konflik"],
        ),
        record(
            "Kepala Seksi Trantib",
            &["Persentase penegakan perda", "Jumlah patroli"],
        ),
    ])
}

fn counts_of(gold: &Value, pred: &Value) -> Counts {
    let mut counts = Counts::new();
    evaluate_pair(gold, pred, &mut counts);
    counts
}

fn tally(counts: &Counts, field: Field, mode: Mode) -> (u64, u64, u64) {
    let t = counts.field(field).mode(mode);
    (t.tp, t.fp, t.fn_)
}

#[test]
fn identical_documents_score_one() {
    let doc = sample();
    let report = evaluate_value_pair("a.json", &doc, &doc);
    assert_eq!(report.headline_f1_soft(), 1.0);
    assert_eq!(report.headline_f1_exact(), 1.0);
    assert!(report.diffs.is_empty());
    let counts = counts_of(&doc, &doc);
    assert_eq!(tally(&counts, Field::Records, Mode::Exact), (3, 0, 0));
    assert_eq!(tally(&counts, Field::Indicators, Mode::Exact), (6, 0, 0));
    assert_eq!(tally(&counts, Field::Fungsi, Mode::Exact), (6, 0, 0));
    assert_eq!(tally(&counts, Field::TujuanCount, Mode::Exact), (3, 0, 0));
    assert_eq!(tally(&counts, Field::Nip, Mode::Exact), (1, 0, 0));
    // organization is null on both sides: not scored.
    assert_eq!(tally(&counts, Field::Organization, Mode::Exact), (0, 0, 0));
}

#[test]
fn missing_indicator_lowers_recall_not_precision() {
    let gold = sample();
    let mut pred = sample();
    pred["records"][1]["indicators"]
        .as_array_mut()
        .unwrap()
        .remove(0);
    let report = evaluate_value_pair("a.json", &gold, &pred);
    assert_eq!(report.headline.soft.precision, 1.0);
    assert!(report.headline.soft.recall < 1.0);
    let indicators = report.field("indicators").unwrap();
    assert_eq!(
        (indicators.soft.tp, indicators.soft.fp, indicators.soft.fn_),
        (5, 0, 1)
    );
    // The remaining indicator of that record is still aligned with its gold partner.
    let indikator = report.field("indikator").unwrap();
    assert_eq!((indikator.exact.tp, indikator.exact.fn_), (5, 1));
    assert_eq!(report.diffs[0].kind, DiffKind::Missing);
    assert_eq!(report.diffs[0].path, "records[1].indicators[0]");
    // No further diffs below the missing indicator.
    assert_eq!(report.diffs.len(), 1);
}

#[test]
fn case_difference_counts_in_exact_mode_only() {
    let gold = sample();
    let mut pred = sample();
    pred["records"][0]["jabatan"] = json!("SEKRETARIS KECAMATAN");
    pred["records"][0]["fungsi"][0]["text"] = json!("Perumusan  kebijakan");
    let report = evaluate_value_pair("a.json", &gold, &pred);
    assert_eq!(report.field_f1_soft("jabatan"), Some(1.0));
    assert!(report.field_f1_exact("jabatan").unwrap() < 1.0);
    assert_eq!(report.field_f1_soft("fungsi"), Some(1.0));
    assert!(report.field_f1_exact("fungsi").unwrap() < 1.0);
    assert_eq!(report.headline_f1_soft(), 1.0);
    assert!(report.headline_f1_exact() < 1.0);
    assert!(report.diffs.iter().all(|d| d.kind == DiffKind::SoftOnly));
}

#[test]
fn absent_gold_key_is_not_scored() {
    let mut gold = sample();
    for record in gold["records"].as_array_mut().unwrap() {
        record.as_object_mut().unwrap().remove("eselon");
        for ind in record["indicators"].as_array_mut().unwrap() {
            ind.as_object_mut().unwrap().remove("rumus");
        }
    }
    gold.as_object_mut().unwrap().remove("signatories");
    let mut pred = sample();
    pred["records"][0]["eselon"] = json!("III");
    pred["records"][0]["indicators"][0]["rumus"] = json!("something else");
    let counts = counts_of(&gold, &pred);
    assert_eq!(tally(&counts, Field::Eselon, Mode::Soft), (0, 0, 0));
    assert_eq!(tally(&counts, Field::Rumus, Mode::Soft), (0, 0, 0));
    assert_eq!(tally(&counts, Field::Signatories, Mode::Soft), (0, 0, 0));
    assert_eq!(tally(&counts, Field::Nip, Mode::Soft), (0, 0, 0));
    assert_eq!(counts.total().soft.fp, 0);
    assert_eq!(counts.total().soft.fn_, 0);
}

#[test]
fn extra_record_does_not_shift_later_ones() {
    let gold = sample();
    let mut pred = sample();
    let extra = record("Bendahara Pengeluaran", &["Laporan keuangan tepat waktu"]);
    pred["records"].as_array_mut().unwrap().insert(1, extra);
    let counts = counts_of(&gold, &pred);
    assert_eq!(tally(&counts, Field::Records, Mode::Exact), (3, 1, 0));
    // Every gold field is still found; only the extra record adds false positives.
    assert_eq!(tally(&counts, Field::Jabatan, Mode::Exact), (3, 1, 0));
    assert_eq!(tally(&counts, Field::Indikator, Mode::Exact), (6, 1, 0));
    assert_eq!(tally(&counts, Field::FungsiCount, Mode::Exact), (3, 1, 0));
    assert_eq!(counts.total().exact.fn_, 0);
    let extra_diffs: Vec<_> = counts.diffs().iter().map(|d| d.path.as_str()).collect();
    assert_eq!(extra_diffs, vec!["records[pred 1]"]);
}

#[test]
fn scalar_rules() {
    let gold =
        json!({"records": [{"jabatan": "Camat", "heading": null, "eselon": "III", "year": 2023}]});
    let pred = json!({"records": [{"jabatan": "Camat", "heading": "CAMAT", "eselon": null, "year": 2024}]});
    let counts = counts_of(&gold, &pred);
    assert_eq!(tally(&counts, Field::Heading, Mode::Exact), (0, 1, 0));
    assert_eq!(tally(&counts, Field::Eselon, Mode::Exact), (0, 0, 1));
    assert_eq!(tally(&counts, Field::Year, Mode::Exact), (0, 1, 1));
    assert_eq!(tally(&counts, Field::Jabatan, Mode::Exact), (1, 0, 0));
}

#[test]
fn list_counts_and_items() {
    let gold = json!({"records": [{"jabatan": "Camat", "fungsi": [
        {"label": "a", "text": "satu;"}, {"label": "b", "text": "dua;"}, {"label": "c", "text": "tiga."}
    ], "tujuan": []}]});
    let pred = json!({"records": [{"jabatan": "Camat", "fungsi": [
        {"label": "a", "text": "satu;"}, {"label": "c", "text": "tiga."}
    ], "tujuan": []}]});
    let counts = counts_of(&gold, &pred);
    assert_eq!(tally(&counts, Field::FungsiCount, Mode::Exact), (0, 1, 1));
    assert_eq!(tally(&counts, Field::Fungsi, Mode::Exact), (2, 0, 1));
    assert_eq!(tally(&counts, Field::TujuanCount, Mode::Exact), (1, 0, 0));
}

#[test]
fn indicator_projections() {
    let mut gold_ind = indicator("1", "Persentase layanan");
    gold_ind["penanggung_jawab"] = json!(["Kasubag Umum", "Kasubag Keuangan"]);
    let mut pred_ind = gold_ind.clone();
    pred_ind["formula"] = json!({"kind": "ratio", "numerator": "a", "denominator": "b"});
    pred_ind["target"] = json!({"raw": "100 %", "value": 99, "unit": null});
    pred_ind["penanggung_jawab"] = json!(["kasubag umum", "Kasubag Keuangan"]);
    let gold = json!({"records": [{"jabatan": "Camat", "indicators": [gold_ind]}]});
    let pred = json!({"records": [{"jabatan": "Camat", "indicators": [pred_ind]}]});
    let counts = counts_of(&gold, &pred);
    assert_eq!(tally(&counts, Field::FormulaKind, Mode::Soft), (0, 1, 1));
    assert_eq!(tally(&counts, Field::Target, Mode::Exact), (1, 0, 0));
    assert_eq!(
        tally(&counts, Field::PenanggungJawab, Mode::Soft),
        (1, 0, 0)
    );
    assert_eq!(
        tally(&counts, Field::PenanggungJawab, Mode::Exact),
        (0, 1, 1)
    );
}

#[test]
fn empty_penanggung_jawab_is_no_value() {
    let mut gold_ind = indicator("1", "Persentase layanan");
    gold_ind["penanggung_jawab"] = json!([]);
    let gold = json!({"records": [{"jabatan": "Camat", "indicators": [gold_ind.clone()]}]});
    let counts = counts_of(&gold, &gold);
    assert_eq!(
        tally(&counts, Field::PenanggungJawab, Mode::Exact),
        (0, 0, 0)
    );
}

#[test]
fn signatories_align_and_score() {
    let gold = json!({"signatories": [
        signatory("DEDWI SUPRAPTO", "197012181991011002"),
        signatory("MASRUHIN", "196903031993031009"),
    ]});
    let mut second = signatory("MASRUHIN", "196903031993031009");
    second["date"] = Value::Null;
    second["acting"] = json!(true);
    let pred = json!({"signatories": [second]});
    let counts = counts_of(&gold, &pred);
    assert_eq!(tally(&counts, Field::Signatories, Mode::Exact), (1, 0, 1));
    assert_eq!(tally(&counts, Field::Nip, Mode::Exact), (1, 0, 1));
    assert_eq!(tally(&counts, Field::Date, Mode::Exact), (0, 0, 2));
    assert_eq!(tally(&counts, Field::Acting, Mode::Exact), (0, 1, 2));
}

#[test]
fn wrong_types_score_as_mismatches_without_panicking() {
    let gold = sample();
    for pred in [
        json!(null),
        json!("text"),
        json!({"kind": 3, "records": "oops", "signatories": {"a": 1}}),
        json!({"records": [1, "x", null, {"indicators": 5, "fungsi": "no"}]}),
    ] {
        let counts = counts_of(&gold, &pred);
        assert_eq!(counts.total().soft.tp, 0, "pred {pred}");
        assert!(counts.total().soft.fn_ > 0);
    }
    // A non-object gold document scores nothing.
    assert_eq!(counts_of(&json!([1, 2]), &gold).total().soft.gold(), 0);
}

#[test]
fn extra_pred_record_scores_only_keys_gold_uses() {
    let gold = json!({"records": [{"jabatan": "Camat"}]});
    let pred = json!({"records": [
        {"jabatan": "Camat", "heading": "X"},
        {"jabatan": "Bendahara Pengeluaran Pembantu", "heading": "Y", "eselon": "IV"}
    ]});
    let counts = counts_of(&gold, &pred);
    assert_eq!(tally(&counts, Field::Records, Mode::Exact), (1, 1, 0));
    assert_eq!(tally(&counts, Field::Jabatan, Mode::Exact), (1, 1, 0));
    assert_eq!(tally(&counts, Field::Heading, Mode::Exact), (0, 0, 0));
    assert_eq!(tally(&counts, Field::Eselon, Mode::Exact), (0, 0, 0));
}

#[test]
fn report_display_and_lookup() {
    let gold = sample();
    let mut pred = sample();
    pred["records"][0]["jabatan"] = json!("Sekretaris");
    let report = evaluate_value_pair("a.json", &gold, &pred);
    let text = report.to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("| field | gold | P (soft) | R (soft) | F1 (soft) | F1 (exact)"));
    assert!(lines[2].starts_with("| **all (micro)**"));
    for field in Field::ALL {
        assert!(
            text.contains(&format!("| {} |", field.name())),
            "{}",
            field.name()
        );
    }
    assert!(text.contains("- `a.json`:"));
    assert!(text.contains("records[0].jabatan"));
    assert_eq!(report.field_f1_soft("nope"), None);
    assert!(report.field_f1_soft("jabatan").unwrap() < 1.0);
    assert_eq!(report.worst_diffs(5).len(), 1);
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["fields"][0]["field"], "records");
    assert!(json["headline"]["soft"]["fn"].is_u64());
}

struct TempDirs {
    _root: tempfile::TempDir,
    gold: PathBuf,
    pred: PathBuf,
}

fn temp_dirs() -> TempDirs {
    let root = tempfile::tempdir().unwrap();
    let gold = root.path().join("gold");
    let pred = root.path().join("pred");
    fs::create_dir(&gold).unwrap();
    fs::create_dir(&pred).unwrap();
    TempDirs {
        _root: root,
        gold,
        pred,
    }
}

fn write(path: &Path, value: &Value) {
    fs::write(path, serde_json::to_string_pretty(value).unwrap()).unwrap();
}

#[test]
fn dirs_missing_prediction_and_ignored_files() {
    let dirs = temp_dirs();
    write(&dirs.gold.join("a.json"), &sample());
    write(&dirs.gold.join("b.json"), &sample());
    write(&dirs.pred.join("a.json"), &sample());
    write(&dirs.pred.join("extra.json"), &sample());
    write(&dirs.pred.join("summary.json"), &json!({"files": 3}));
    let report = evaluate_dirs(&dirs.gold, &dirs.pred).unwrap();
    assert_eq!(report.files.len(), 2);
    assert_eq!(report.files[0].soft.f1, 1.0);
    assert!(report.files[1].prediction_missing);
    assert_eq!(report.files[1].soft.tp, 0);
    assert_eq!(report.headline.soft.precision, 1.0);
    assert!((report.headline.soft.recall - 0.5).abs() < 1e-9);
    // The missing document is one diff, not one per record.
    let b_diffs: Vec<_> = report.diffs.iter().filter(|d| d.file == "b.json").collect();
    assert_eq!(b_diffs.len(), 1);
    assert_eq!(b_diffs[0].field, None);
    assert!(report.to_string().contains("| b.json | (document) |"));
}

#[test]
fn dirs_errors_name_the_path() {
    let dirs = temp_dirs();
    let err = evaluate_dirs(&dirs.gold, &dirs.pred).unwrap_err();
    assert!(err.to_string().contains("no gold files"));
    write(&dirs.gold.join("a.json"), &sample());
    fs::write(dirs.pred.join("a.json"), "{ not json").unwrap();
    let err = evaluate_dirs(&dirs.gold, &dirs.pred).unwrap_err();
    assert!(err.to_string().contains("a.json"), "{err}");
    let err = evaluate_dirs(&dirs.gold, &dirs.gold.join("missing")).unwrap_err();
    assert!(err.to_string().contains("missing"), "{err}");
}

#[test]
fn no_shared_names_is_an_error_listing_both_sides() {
    let dirs = temp_dirs();
    write(&dirs.gold.join("lumajang-2023.json"), &sample());
    write(&dirs.gold.join("lumajang-2024.json"), &sample());
    write(&dirs.pred.join("corpus__lumajang-2023.json"), &sample());
    let err = evaluate_dirs(&dirs.gold, &dirs.pred).unwrap_err();
    assert!(matches!(err, EvalError::NoSharedNames { .. }));
    let text = err.to_string();
    assert!(
        text.contains("gold files without a prediction: lumajang-2023.json, lumajang-2024.json"),
        "{text}"
    );
    assert!(
        text.contains("predictions without a gold file: corpus__lumajang-2023.json"),
        "{text}"
    );
    // An empty prediction directory is the same mistake.
    fs::remove_file(dirs.pred.join("corpus__lumajang-2023.json")).unwrap();
    let err = evaluate_dirs(&dirs.gold, &dirs.pred).unwrap_err();
    assert!(
        err.to_string()
            .contains("predictions without a gold file: none"),
        "{err}"
    );
}

#[test]
fn stale_predictions_count_as_missing() {
    let dirs = temp_dirs();
    for name in ["a.json", "b.json"] {
        write(&dirs.gold.join(name), &sample());
        write(&dirs.pred.join(name), &sample());
    }
    // The prediction directory's last run wrote only a.json; b.json is an earlier run's.
    fs::create_dir(dirs.pred.join("_run")).unwrap();
    fs::write(
        dirs.pred.join("_run/manifest.ndjson"),
        "{\"file\":\"a.json\",\"path\":\"a.txt\",\"sha256\":\"0\",\"status\":\"ok\"}\n",
    )
    .unwrap();
    let report = evaluate_dirs(&dirs.gold, &dirs.pred).unwrap();
    assert!(!report.files[0].prediction_missing);
    assert!(report.files[1].prediction_missing);
    assert_eq!(report.stale_predictions, ["b.json"]);
    assert!(report
        .to_string()
        .contains("1 predictions were written by an earlier run"));
}

#[test]
fn fixtures_against_themselves_score_one() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/expected");
    if !fixtures.is_dir() {
        return;
    }
    let report = evaluate_dirs(&fixtures, &fixtures).unwrap();
    assert!(!report.files.is_empty());
    assert_eq!(report.headline_f1_soft(), 1.0);
    assert_eq!(report.headline_f1_exact(), 1.0);
    assert!(report.field("indikator").unwrap().gold > 0);
    assert!(report.field("nip").unwrap().gold > 0);
}

#[test]
fn per_file_accuracy_and_calibration() {
    let dirs = temp_dirs();
    let gold = sample();
    let mut clean = gold.clone();
    clean["confidence"] = json!(0.95);
    let mut wrong = gold.clone();
    wrong["records"][0]["jabatan"] = json!("Camat");
    wrong["confidence"] = json!(0.5);
    let mut failed = gold.clone();
    failed["status"] = json!("failed");
    failed["confidence"] = json!(0.0);
    for name in ["a.json", "b.json", "c.json", "d.json"] {
        write(&dirs.gold.join(name), &gold);
    }
    write(&dirs.pred.join("a.json"), &clean);
    write(&dirs.pred.join("b.json"), &wrong);
    write(&dirs.pred.join("c.json"), &failed);
    write(&dirs.pred.join("d.json"), &sample()); // no confidence
    let report = evaluate_dirs(&dirs.gold, &dirs.pred).unwrap();
    let files = &report.files;
    assert_eq!(files[0].accuracy, Some(1.0));
    assert_eq!(files[0].confidence, Some(0.95));
    let t = files[1].soft;
    assert_eq!((t.fp, t.fn_), (1, 1));
    assert_eq!(
        files[1].accuracy,
        Some(t.tp as f64 / (t.tp + 2) as f64),
        "a wrong value is one FP and one FN"
    );
    assert_eq!(files[2].confidence, None, "failed documents are left out");
    assert_eq!(files[3].confidence, None);
    let c = report.calibration.as_ref().unwrap();
    assert_eq!((c.documents, c.clean, c.with_errors), (2, 1, 1));
    assert_eq!(c.auroc, Some(1.0));
    let acc_b = files[1].accuracy.unwrap();
    assert!((c.gap - (0.05 + (acc_b - 0.5)) / 2.0).abs() < 1e-9);
    let text = report.to_string();
    assert!(
        text.contains("Confidence calibration (2 documents"),
        "{text}"
    );
    assert!(
        text.contains("AUROC, clean vs. with errors: 1.000"),
        "{text}"
    );
    assert!(
        text.contains("(accuracy 1.000, confidence 0.950)"),
        "{text}"
    );
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["calibration"]["documents"], 2);
    assert_eq!(json["files"][0]["accuracy"], 1.0);
    assert_eq!(json["calibration"]["bins"].as_array().unwrap().len(), 10);
}

#[test]
fn no_confidence_no_calibration() {
    let report = evaluate_value_pair("a.json", &sample(), &sample());
    assert_eq!(report.calibration, None);
    assert!(!report.to_string().contains("Confidence calibration"));
}
