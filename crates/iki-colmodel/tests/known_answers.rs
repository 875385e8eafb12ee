//! Known answers for the shipped model: cells written for these tests (in no fixture), each
//! with the column a reader gives it.

use iki_colmodel::{Column, ColumnModel};

fn model() -> &'static ColumnModel {
    ColumnModel::embedded()
}

#[track_caller]
fn assert_best(text: &str, column: Column) {
    let scores = model().scores(text);
    let best = scores.best();
    assert_eq!(
        best,
        column,
        "{text:?}: best {best} ({:.2}), {column} {:.2}",
        scores.prob(best),
        scores.prob(column)
    );
}

#[test]
fn formulas_read_as_rumus() {
    assert_best(
        "(Jumlah surat yang diselesaikan / Jumlah surat yang masuk) x 100%",
        Column::Rumus,
    );
    assert_best(
        "Jumlah aduan yang ditangani dibagi jumlah aduan yang diterima dikali 100",
        Column::Rumus,
    );
    assert_best(
        "Jumlah kegiatan terlaksana ÷ jumlah kegiatan terjadwal × 100 %",
        Column::Rumus,
    );
}

#[test]
fn a_percentage_reads_as_target() {
    assert_best("100 %", Column::Target);
    assert_best("95%", Column::Target);
    assert_best("12 laporan", Column::Target);
}

#[test]
fn measure_openings_read_as_indikator() {
    assert_best(
        "Persentase pengaduan masyarakat yang ditindaklanjuti",
        Column::Indikator,
    );
    assert_best(
        "Persentase arsip yang tertata sesuai klasifikasi",
        Column::Indikator,
    );
}

#[test]
fn nominalised_passives_read_as_sasaran() {
    assert_best("Meningkatnya kualitas pelayanan publik", Column::Sasaran);
    assert_best(
        "Terwujudnya tertib administrasi persuratan",
        Column::Sasaran,
    );
}

#[test]
fn an_office_reads_as_a_source_rather_than_an_indicator() {
    let m = model();
    for text in [
        "Kecamatan Sukodono",
        "Kecamatan Tempursari",
        "Bidang Anggaran",
    ] {
        let odds = m.log_odds(text, Column::SumberData, Column::Indikator);
        assert!(odds > 1.0, "{text:?}: log odds {odds:.2}");
    }
}

#[test]
fn row_numbers_read_as_no() {
    assert_best("3.", Column::No);
    assert_best("14", Column::No);
    assert_best("2", Column::No);
}

#[test]
fn signature_lines_read_as_other() {
    assert_best("Drs. AHMAD FAUZI, M.Si", Column::Other);
    assert_best("NIP. 19781104 200701 1 012", Column::Other);
    assert_best("Lumajang, 02 Januari 2024", Column::Other);
}

#[test]
fn header_labels_read_as_other() {
    assert_best("INDIKATOR KINERJA", Column::Other);
    assert_best("RUMUS / FORMULA", Column::Other);
}

#[test]
fn a_unit_reads_as_satuan_and_a_post_as_penanggung_jawab() {
    assert_best("dokumen", Column::Satuan);
    assert_best("Kasubag Umum dan Kepegawaian", Column::PenanggungJawab);
}

#[test]
fn scores_are_log_probabilities() {
    for text in [
        "",
        "x",
        "100 %",
        "Persentase A",
        "\u{fffd}\u{0}",
        &"a ".repeat(5000),
    ] {
        let scores = model().scores(text);
        let total: f32 = scores.iter().map(|(_, l)| l.exp()).sum();
        assert!((total - 1.0).abs() < 1e-4, "{text:?}: sum {total}");
        assert!(scores.iter().all(|(_, l)| l.is_finite() && l <= 0.0));
        let odds = scores.log_odds(Column::Target, Column::No);
        let direct = model().log_odds(text, Column::Target, Column::No);
        assert!((odds - direct).abs() < 1e-3, "{text:?}: {odds} vs {direct}");
    }
}

#[test]
fn best_among_picks_the_likeliest_of_the_choice() {
    let scores = model().scores("100 %");
    let pick = scores.best_among(&[Column::No, Column::Satuan]);
    let other = if pick == Column::No {
        Column::Satuan
    } else {
        Column::No
    };
    assert!(scores.log_prob(pick) >= scores.log_prob(other));
    assert_eq!(scores.best_among(&[Column::Rumus]), Column::Rumus);
    assert_eq!(scores.best_among(&[]), Column::Other);
}
