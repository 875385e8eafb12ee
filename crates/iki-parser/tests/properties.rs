//! Property tests: the parser never panics, whatever the input, and a document's warnings and
//! spans stay inside the input.

use proptest::prelude::*;

fn check(text: &str) {
    let doc = iki_parser::extract("prop.txt", text.as_bytes());
    let line_count = text.split('\n').count().max(1);
    for r in &doc.records {
        assert!(r.span.start_line >= 1 && r.span.end_line <= line_count + 1);
        assert!((0.0..=1.0).contains(&r.confidence));
    }
    assert!((0.0..=1.0).contains(&doc.confidence));
}

/// Fragments of real IKI text, so random inputs reach deep into the grammars.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("INDIKATOR KINERJA INDIVIDU (IKI) TAHUN 2023\n".to_string()),
        Just("Jabatan : Kepala Seksi (Eselon IV.a)\n".to_string()),
        Just("- Tugas Pokok :\n- a. menyusun;\n b. melaksanakan\n".to_string()),
        Just("No\tSasaran\tIndikator Kinerja\tRumus/Formula\tTarget\n".to_string()),
        Just("1.\tMeningkatnya X\tPersentase Y\t(Jumlah A/Jumlah B)*100%\t100 %\n".to_string()),
        Just("\t\tPersentase Z\t$\\frac{\\text{A}}{\\text{B}} \\times 100\\%$\t\n".to_string()),
        Just("No   Sasaran     Indikator Kinerja    Rumus\n".to_string()),
        Just("| No | Sasaran | Indikator |\n|---|---|---|\n".to_string()),
        Just("<table><tr><td rowspan=3>1</td><td>x</td></tr>\n".to_string()),
        Just("Lumajang, 02 Februari 2023\nMengetahui\nPlt. CAMAT\n".to_string()),
        Just("Drs. NAMA ORANG, M.Si.\nNIP. 19690303 199303 1 009\n".to_string()),
        Just("    Mengetahui            Lumajang, 1 Mei 2024\n".to_string()),
        "[ -~\t\n]{0,80}",
        "\\PC{0,40}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_on_arbitrary_text(text in "\\PC{0,400}") {
        check(&text);
    }

    #[test]
    fn never_panics_on_shuffled_fragments(parts in prop::collection::vec(fragment(), 0..30)) {
        check(&parts.concat());
    }

    #[test]
    fn never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let _ = iki_parser::extract("bytes.bin", &bytes);
    }
}

#[test]
fn long_line_and_deep_markup() {
    let long = "Jumlah A dibagi B ".repeat(20_000);
    check(&long);
    let deep = format!("${}x{}$", "\\frac{".repeat(5_000), "}{1}".repeat(5_000));
    check(&format!("No\tIndikator\tRumus\n1\tI\t{deep}\n"));
    let html = "<table>".to_string() + &"<tr><td rowspan=64>x".repeat(5_000);
    check(&html);
}

/// Inputs the fuzzer flagged (`fuzz/`), kept so they stay quick and panic-free.
#[test]
fn fuzz_regressions() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    for entry in std::fs::read_dir(dir).expect("regression dir") {
        let bytes = std::fs::read(entry.expect("entry").path()).expect("readable");
        let doc = iki_parser::extract("fuzz.bin", &bytes);
        assert!((0.0..=1.0).contains(&doc.confidence));
    }
}
