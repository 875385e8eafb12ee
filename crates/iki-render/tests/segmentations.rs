//! Property test (issue #10, "Done when"): random indicator tables, their cells drawn from the
//! domain's shapes (row numbers, sasaran phrases, indicators opening with Persentase / Jumlah /
//! Indeks / Tingkat, formulas "A dibagi B x 100%", targets "100 %", unit names, positions),
//! rendered in a small form in every segmentation a converter may produce, must be read back
//! by `iki_parser::extract` cell for cell.
//!
//! [`SEGMENTATIONS`] lists every segmentation with what the parser does with it today. One
//! marked [`Expect::Fails`] must still fail on some case: when the parser learns it, this test
//! says so, and the mark is flipped to [`Expect::Reads`]. A new segmentation is a variant of
//! `iki_render::Segmentation` and a row here.

use iki_render::{render_segmented, GoldDoc, Segmentation};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use proptest::test_runner::{Config, TestCaseError, TestRng, TestRunner};
use serde_json::{json, Value};

/// What the parser does with a segmentation today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// Every case reads back cell for cell.
    Reads,
    /// Some case does not read back yet (issue #10 item 2: tables in any layout).
    Fails,
}

/// Every segmentation, with what the parser of main at commit 7f97c94 (parser v2 live) does
/// with it.
const SEGMENTATIONS: &[(Segmentation, Expect)] = &[
    (Segmentation::Tabs, Expect::Reads),
    (Segmentation::Pipes, Expect::Reads),
    (Segmentation::AlignedSpaces, Expect::Reads),
    (Segmentation::UnalignedSpaces, Expect::Fails),
    (Segmentation::WrappedSpaces, Expect::Fails),
    (Segmentation::CellPerLine, Expect::Fails),
    (Segmentation::CellLinesBlankRows, Expect::Fails),
    (Segmentation::PastedTabs, Expect::Fails),
    (Segmentation::ShiftedPipes, Expect::Fails),
    (Segmentation::Html, Expect::Reads),
    (Segmentation::HtmlRowspan, Expect::Reads),
    (Segmentation::Csv, Expect::Reads),
    (Segmentation::SemicolonCsv, Expect::Reads),
    (Segmentation::ColumnMajor, Expect::Fails),
    (Segmentation::Interleaved, Expect::Fails),
    (Segmentation::Paragraph, Expect::Fails),
];

/// Random tables per segmentation.
const CASES: u32 = 24;

const NOUNS: &[&str] = &[
    "pelayanan",
    "administrasi",
    "kependudukan",
    "desa",
    "ketertiban",
    "umum",
    "keuangan",
    "perangkat",
    "daerah",
    "pembangunan",
    "masyarakat",
    "dokumen",
    "perencanaan",
    "kinerja",
    "pegawai",
    "kearsipan",
    "aset",
    "pengaduan",
    "perizinan",
    "kegiatan",
];
const SASARAN_OPENINGS: &[&str] = &[
    "Meningkatnya",
    "Terlaksananya",
    "Tersedianya",
    "Terpenuhinya",
    "Tercapainya",
];
const INDIKATOR_OPENINGS: &[&str] = &["Persentase", "Jumlah", "Indeks", "Tingkat"];
const UNITS: &[&str] = &["dokumen", "laporan", "desa", "kegiatan", "orang"];
const SOURCES: &[&str] = &[
    "Kecamatan Sukamaju",
    "Sub Bagian Umum",
    "Seksi Pemerintahan",
    "Laporan Bulanan",
    "Dinas Sosial",
];
const POSITIONS: &[&str] = &[
    "Kepala Seksi Pemerintahan",
    "Sekretaris Kecamatan",
    "Kepala Sub Bagian Keuangan",
    "Kepala Seksi Pelayanan",
];

/// One random table row; `continues` rows repeat the No and Sasaran of the row above.
#[derive(Debug, Clone)]
struct Row {
    continues: bool,
    sasaran: String,
    indikator: String,
    rumus: String,
    target: String,
    sumber: String,
    penanggung_jawab: Vec<String>,
}

fn nouns(min: usize, max: usize) -> impl Strategy<Value = String> {
    vec(select(NOUNS), min..=max).prop_map(|words| words.join(" "))
}

fn phrase(openings: &'static [&'static str]) -> impl Strategy<Value = String> {
    (select(openings), nouns(2, 5)).prop_map(|(opening, rest)| format!("{opening} {rest}"))
}

fn rumus() -> impl Strategy<Value = String> {
    prop_oneof![
        (nouns(2, 4), nouns(2, 4))
            .prop_map(|(a, b)| format!("Jumlah {a} dibagi Jumlah {b} x 100%")),
        nouns(2, 4).prop_map(|a| format!("Jumlah {a}")),
        (nouns(1, 3), nouns(1, 3)).prop_map(|(a, b)| format!("(Jumlah {a}/Jumlah {b})*100%")),
    ]
}

fn target() -> impl Strategy<Value = String> {
    prop_oneof![
        (1..=100u32).prop_map(|n| format!("{n} %")),
        (1..=50u32, select(UNITS)).prop_map(|(n, unit)| format!("{n} {unit}")),
        (1..=100u32).prop_map(|n| n.to_string()),
    ]
}

fn row() -> impl Strategy<Value = Row> {
    (
        any::<bool>(),
        phrase(SASARAN_OPENINGS),
        phrase(INDIKATOR_OPENINGS),
        rumus(),
        target(),
        select(SOURCES),
        subsequence(POSITIONS, 1..=2),
    )
        .prop_map(
            |(continues, sasaran, indikator, rumus, target, sumber, penanggung_jawab)| Row {
                continues,
                sasaran,
                indikator,
                rumus,
                target,
                sumber: sumber.to_string(),
                penanggung_jawab: penanggung_jawab.into_iter().map(str::to_string).collect(),
            },
        )
}

fn table() -> impl Strategy<Value = Vec<Row>> {
    vec(row(), 1..=5)
}

/// The table's indicators as a gold document holds them: rows numbered from 1, continuation
/// rows repeating the number and sasaran above.
fn indicators(rows: &[Row]) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::with_capacity(rows.len());
    let mut no = 0;
    for (i, row) in rows.iter().enumerate() {
        let continues = row.continues && i > 0;
        let sasaran = if continues {
            out[i - 1]["sasaran"].clone()
        } else {
            no += 1;
            json!(row.sasaran)
        };
        out.push(json!({
            "no": no.to_string(),
            "sasaran": sasaran,
            "indikator": row.indikator,
            "rumus": row.rumus,
            "target": {"raw": row.target},
            "sumber_data": row.sumber,
            "penanggung_jawab": row.penanggung_jawab,
        }));
    }
    out
}

/// A one-form document around the table.
fn document(rows: &[Row]) -> GoldDoc {
    GoldDoc::from_value(json!({
        "kind": "iki",
        "records": [{
            "heading": "KEPALA SEKSI PEMERINTAHAN",
            "year": 2024,
            "jabatan": "Kepala Seksi Pemerintahan",
            "tugas_pokok": [{"label": null, "text": "melaksanakan urusan pemerintahan kecamatan"}],
            "indicators": indicators(rows),
            "signatory_refs": [0],
        }],
        "signatories": [{
            "role": "signer",
            "position": "Kepala Seksi Pemerintahan",
            "name": "BUDI SANTOSO",
            "display_name": "BUDI SANTOSO, S.Sos",
            "nip": "198001012005011001",
            "place": "Sukamaju",
            "date": "2024-01-05",
        }],
    }))
    .expect("a gold document")
}

fn collapse(value: &Value) -> Value {
    match value {
        Value::String(s) => Value::String(s.split_whitespace().collect::<Vec<_>>().join(" ")),
        Value::Array(items) => Value::Array(items.iter().map(collapse).collect()),
        other => other.clone(),
    }
}

/// The first cell that does not read back, if any.
fn read_back(segmentation: Segmentation, rows: &[Row]) -> Result<(), String> {
    let doc = document(rows);
    let rendering = render_segmented(&doc, segmentation, rows.len() as u64);
    let predicted = iki_parser::extract("table.txt", &rendering.bytes);
    let predicted = serde_json::to_value(&predicted).expect("JSON document");
    let text = String::from_utf8_lossy(&rendering.bytes);
    let got = predicted["records"][0]["indicators"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let want = indicators(rows);
    if got.len() != want.len() {
        return Err(format!(
            "{} indicators read, {} in the table\n{text}",
            got.len(),
            want.len()
        ));
    }
    for (i, (w, g)) in want.iter().zip(&got).enumerate() {
        for key in [
            "no",
            "sasaran",
            "indikator",
            "rumus",
            "sumber_data",
            "penanggung_jawab",
        ] {
            if collapse(&w[key]) != collapse(&g[key]) {
                return Err(format!(
                    "row {i} {key}: expected {} got {}\n{text}",
                    w[key], g[key]
                ));
            }
        }
        if collapse(&w["target"]["raw"]) != collapse(&g["target"]["raw"]) {
            return Err(format!(
                "row {i} target: expected {} got {}\n{text}",
                w["target"], g["target"]
            ));
        }
    }
    Ok(())
}

/// Runs the cases of one segmentation; `Err` with the (shrunk, for an expected reader)
/// failing case.
fn run(segmentation: Segmentation, expect: Expect) -> Result<(), String> {
    let config = Config {
        cases: CASES,
        failure_persistence: None,
        // An expected failure needs no minimal case.
        max_shrink_iters: if expect == Expect::Reads { 256 } else { 0 },
        ..Config::default()
    };
    let rng = TestRng::deterministic_rng(config.rng_algorithm);
    let mut runner = TestRunner::new_with_rng(config, rng);
    runner
        .run(&table(), |rows| {
            read_back(segmentation, &rows).map_err(TestCaseError::fail)
        })
        .map_err(|e| e.to_string())
}

#[test]
fn the_list_holds_every_segmentation_once() {
    let listed: Vec<Segmentation> = SEGMENTATIONS.iter().map(|(s, _)| *s).collect();
    assert_eq!(listed, Segmentation::ALL);
}

#[test]
fn random_tables_read_back_cell_for_cell() {
    let mut report = Vec::new();
    let mut wrong = Vec::new();
    for &(segmentation, expect) in SEGMENTATIONS {
        let result = run(segmentation, expect);
        report.push(format!(
            "{segmentation:?}: expected {expect:?}, {}",
            if result.is_ok() { "reads" } else { "fails" }
        ));
        match (expect, result) {
            (Expect::Reads, Err(case)) => {
                wrong.push(format!("{segmentation:?} no longer reads back: {case}"))
            }
            (Expect::Fails, Ok(())) => wrong.push(format!(
                "{segmentation:?} now reads back every case: flip it to Expect::Reads"
            )),
            _ => {}
        }
    }
    eprintln!("{}", report.join("\n"));
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}
