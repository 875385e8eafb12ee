//! The real-layout fixtures (`fixtures/crafted/real-layouts/`, issue #10 item 5): hand-made
//! texts in the structures real archives from other offices hold,
//! each with the answer a careful reader writes (`fixtures/README.md`). Unlike the strict
//! crafted cases (`tests/fixtures.rs`), the parser does not read all of them yet, so each is
//! held to a floor: its headline micro-F1 (soft) must not fall below the figure in
//! [`FLOORS`]. `cargo run --release -p iki-render --bin iki-families -- --crafted
//! fixtures/crafted/real-layouts` prints the per-fixture report (kind, status, F1, accuracy,
//! confidence); raise a floor when the parser reads its fixture better.

use std::collections::BTreeSet;
use std::path::Path;

use iki_render::score::{fixtures_table, score_fixtures};

/// Headline micro-F1 (soft) floors, one row a fixture, measured with the report above with the
/// parser of main at commit 7f97c94 (parser v2 live), rounded down to three decimals. Target (issue #10): ≥ 0.9 wherever a careful reader recovers the table,
/// 1.0 for the near-misses (`not-iki-*`, which must stay `not_iki` with their kind).
const FLOORS: &[(&str, f64)] = &[
    ("blank-nama-nip", 0.999),
    ("column-major", 0.999),
    ("column-major-named", 0.999),
    ("column-synonyms", 0.999),
    ("empty-lettered-items", 0.960),
    ("formula-shapes", 0.962),
    ("header-labels", 1.000),
    ("labels-apart", 0.999),
    ("nip-quirks", 0.999),
    ("not-iki-cascading", 0.000),
    ("not-iki-iku-page", 1.000),
    ("not-iki-skp", 0.000),
    ("preview-paragraph", 0.058),
    ("scoring-rubric", 0.515),
    ("several-forms", 0.993),
    ("signature-position-only", 0.986),
    ("staff-dash-bullets", 1.000),
    ("title-after-table", 0.955),
    ("title-position-only", 1.000),
    ("truncated", 1.000),
];

#[test]
fn every_real_layout_fixture_stays_at_or_above_its_floor() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/crafted/real-layouts");
    let scores = score_fixtures(&dir).expect("real-layout fixtures and their answers");
    eprintln!("{}", fixtures_table(&scores));
    let on_disk: BTreeSet<&str> = scores.iter().map(|s| s.fixture.as_str()).collect();
    let listed: BTreeSet<&str> = FLOORS.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        on_disk, listed,
        "every fixture has one floor row and every row a fixture"
    );
    let below: Vec<String> = scores
        .iter()
        .filter_map(|s| {
            let floor = FLOORS.iter().find(|(name, _)| *name == s.fixture)?.1;
            (s.headline_f1_soft < floor).then(|| {
                format!(
                    "{}: headline F1 {:.4} < floor {floor:.3}",
                    s.fixture, s.headline_f1_soft
                )
            })
        })
        .collect();
    assert!(below.is_empty(), "{}", below.join("\n"));
}
