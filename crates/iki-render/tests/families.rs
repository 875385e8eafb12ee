//! Renderer properties over the real gold fixtures: determinism, the indicator texts present,
//! family 7's bytes, family 8's NIP slips repairable.

use std::collections::BTreeSet;
use std::path::PathBuf;

use encoding_rs::WINDOWS_1252;
use iki_render::{load_dir, render, repair_nip, Family, GoldDoc};
use serde_json::Value;

fn fixtures() -> Vec<(String, GoldDoc)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/expected");
    let fixtures = load_dir(&dir).expect("gold fixtures load");
    assert!(!fixtures.is_empty(), "no fixtures in {}", dir.display());
    fixtures
}

/// The text of a rendering: BOM dropped, UTF-8 else windows-1252, whitespace (NBSP too)
/// collapsed to single spaces.
fn text_of(bytes: &[u8]) -> String {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(body) {
        Ok(t) => t.to_string(),
        Err(_) => WINDOWS_1252.decode(body).0.into_owned(),
    };
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn indicators(gold: &Value) -> Vec<&Value> {
    gold["records"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|r| r["indicators"].as_array().into_iter().flatten())
        .collect()
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

mod determinism {
    use super::*;

    #[test]
    fn same_seed_same_bytes_and_seeds_differ() {
        for (stem, doc) in fixtures() {
            for family in Family::ALL {
                let a = render(&doc, family, 11);
                let b = render(&doc, family, 11);
                assert_eq!(a, b, "{family} {stem}: seed 11 rendered twice differs");
                let distinct: BTreeSet<Vec<u8>> =
                    (0..4).map(|s| render(&doc, family, s).bytes).collect();
                assert!(
                    distinct.len() > 1,
                    "{family} {stem}: seeds 0-3 all render alike"
                );
            }
        }
    }

    #[test]
    fn an_empty_gold_document_renders_without_panic() {
        let doc = GoldDoc::from_value(serde_json::json!({})).unwrap();
        for family in Family::ALL {
            let r = render(&doc, family, 0);
            assert_eq!(r.gold, serde_json::json!({}));
        }
    }
}

mod content {
    use super::*;

    /// Families whose cells are never wrapped: every indicator, sasaran and rumus text is in
    /// the rendering as one run of words (family 6 splits only rumus / sumber data cells).
    #[test]
    fn unwrapped_families_hold_the_cell_texts() {
        let unwrapped = [
            Family::Markup,
            Family::Numbered,
            Family::Synonyms,
            Family::Flattened,
            Family::Furniture,
            Family::Encoding,
            Family::Ocr,
            Family::Web,
            Family::Paragraph,
            Family::Structure,
        ];
        for (stem, doc) in fixtures() {
            for family in unwrapped {
                for seed in 0..3 {
                    let r = render(&doc, family, seed);
                    let text = text_of(&r.bytes);
                    for ind in indicators(&r.gold) {
                        let mut cells = vec!["indikator", "sasaran"];
                        if family != Family::Furniture {
                            cells.push("rumus");
                        }
                        for key in cells {
                            if let Some(cell) = ind[key].as_str() {
                                assert!(
                                    text.contains(&collapse(cell)),
                                    "{family} {stem} seed {seed}: {key} {cell:?} not found"
                                );
                            }
                        }
                    }
                }
            }
        }
    }

    /// The space-aligned family wraps cells: every word of every indicator is still there.
    #[test]
    fn wrapped_family_holds_every_word() {
        for (stem, doc) in fixtures() {
            let r = render(&doc, Family::Layout, 5);
            let words: BTreeSet<String> =
                text_of(&r.bytes).split(' ').map(str::to_string).collect();
            for ind in indicators(&r.gold) {
                for word in ind["indikator"].as_str().unwrap_or("").split_whitespace() {
                    assert!(words.contains(word), "{stem}: word {word:?} missing");
                }
            }
        }
    }

    /// Whatever a family does to the layout, every word of every indicator, sasaran and
    /// sumber data is in the text (spreadsheet cells may be quoted, so as a substring).
    #[test]
    fn every_family_keeps_every_cell_word() {
        for (stem, doc) in fixtures() {
            for family in Family::ALL {
                let r = render(&doc, family, 1);
                let text = text_of(&r.bytes);
                for ind in indicators(&r.gold) {
                    for key in ["indikator", "sasaran", "sumber_data"] {
                        for word in ind[key].as_str().unwrap_or("").split_whitespace() {
                            assert!(text.contains(word), "{family} {stem}: {word:?} missing");
                        }
                    }
                }
            }
        }
    }

    /// Family 9 keeps no tab, and its rows do not line up: in some table the first cells' ends
    /// stand at different columns.
    #[test]
    fn spaced_rows_do_not_line_up() {
        for (stem, doc) in fixtures() {
            let r = render(&doc, Family::Spaced, 0);
            let text = String::from_utf8(r.bytes).unwrap();
            assert!(!text.contains('\t'), "{stem}");
            let gaps: BTreeSet<usize> = text
                .lines()
                .filter(|l| !l.starts_with(' '))
                .filter_map(|l| l.find("  "))
                .collect();
            assert!(gaps.len() > 1, "{stem}: {gaps:?}");
        }
    }

    /// Family 10 writes the sheet as delimited rows: every table row holds the delimiter, and
    /// when rows are padded and no cell breaks a line, every line.
    #[test]
    fn spreadsheet_rows_hold_the_delimiter() {
        for (stem, doc) in fixtures() {
            for seed in 0..4 {
                let r = render(&doc, Family::Spreadsheet, seed);
                let delimiter = if r.variant.contains("delimiter ';'") {
                    ';'
                } else if r.variant.contains("delimiter ','") {
                    ','
                } else {
                    '\t'
                };
                let text = String::from_utf8(r.bytes).unwrap();
                let with = text.lines().filter(|l| l.contains(delimiter)).count();
                assert!(with > indicators(&r.gold).len(), "{stem} seed {seed}");
                if r.variant.contains("pad=true line_breaks=false") {
                    let blank = text.lines().filter(|l| l.is_empty()).count();
                    assert_eq!(with + blank, text.lines().count(), "{stem} seed {seed}");
                }
            }
        }
    }

    #[test]
    fn forms_carry_title_letterhead_and_signatures() {
        for (stem, doc) in fixtures() {
            for family in [Family::Layout, Family::Markup, Family::Numbered] {
                let text = text_of(&render(&doc, family, 2).bytes);
                assert!(
                    text.contains("INDIKATOR KINERJA INDIVIDU"),
                    "{family} {stem}"
                );
                for record in &doc.records {
                    if let Some(org) = &record.organization {
                        assert!(text.contains(&format!("KABUPATEN LUMAJANG {org}")));
                    }
                    if let Some(year) = record.year {
                        assert!(text.contains(&format!("TAHUN {year}")), "{family} {stem}");
                    }
                }
                for sig in &doc.signatories {
                    assert!(text.contains(sig.name_line()), "{family} {stem}");
                }
            }
        }
    }

    /// The gold `value` with the indicator keys `keys` removed.
    fn without_indicator_keys(value: &Value, keys: &[&str]) -> Value {
        let mut value = value.clone();
        for record in value["records"].as_array_mut().into_iter().flatten() {
            for ind in record["indicators"].as_array_mut().into_iter().flatten() {
                if let Some(obj) = ind.as_object_mut() {
                    for key in keys {
                        obj.remove(*key);
                    }
                }
            }
        }
        value
    }

    /// A rendering's answer is its fixture's, except where the crate docs say: family 7 with
    /// math symbols rewrites `rumus` and the formula's texts, family 15 the `rumus` of the
    /// formulas it prints as fractions, family 16 renumbered rows' `no`.
    #[test]
    fn gold_changes_only_where_documented() {
        let mut changed = BTreeSet::new();
        for (stem, doc) in fixtures() {
            for family in Family::ALL {
                for seed in 0..6 {
                    let r = render(&doc, family, seed);
                    let allowed: &[&str] = if r.variant.contains("math=true") {
                        &["rumus", "formula"]
                    } else if family == Family::Fractions {
                        &["rumus"]
                    } else if r.variant.contains("renumbered") {
                        &["no"]
                    } else {
                        &[]
                    };
                    if r.gold != doc.value {
                        changed.insert(family);
                    }
                    assert_eq!(
                        without_indicator_keys(&r.gold, allowed),
                        without_indicator_keys(&doc.value, allowed),
                        "{family} {stem} seed {seed}"
                    );
                    if r.variant.contains("math=true") {
                        let texts: Vec<&str> = indicators(&r.gold)
                            .iter()
                            .filter_map(|i| i["rumus"].as_str())
                            .collect();
                        assert!(texts.iter().all(|t| !t.contains(" dibagi ")), "{stem}");
                    }
                }
            }
        }
        let expected = BTreeSet::from([Family::Encoding, Family::Fractions, Family::Structure]);
        assert_eq!(changed, expected);
    }
}

mod encoding {
    use super::*;

    fn variants(doc: &GoldDoc) -> Vec<iki_render::Rendering> {
        (0..40).map(|s| render(doc, Family::Encoding, s)).collect()
    }

    #[test]
    fn windows_1252_bom_and_crlf_bytes_are_valid() {
        let (_, doc) = fixtures().remove(0);
        let all = variants(&doc);
        let mut seen = BTreeSet::new();
        for r in &all {
            let encoding = r
                .variant
                .split(' ')
                .find(|w| w.starts_with("utf-8") || *w == "windows-1252");
            if r.variant.contains("windows-1252 crlf") {
                seen.insert("windows-1252");
                assert!(!r.bytes.starts_with(b"\xEF\xBB\xBF"));
                let (text, _, bad) = WINDOWS_1252.decode(&r.bytes);
                assert!(!bad);
                assert_eq!(WINDOWS_1252.encode(&text).0.as_ref(), r.bytes.as_slice());
                if r.bytes.iter().any(|b| *b >= 0x80) {
                    assert!(
                        std::str::from_utf8(&r.bytes).is_err(),
                        "1252 bytes read as UTF-8"
                    );
                }
            } else if r.variant.contains("utf-8-bom") {
                seen.insert("bom");
                let body = r.bytes.strip_prefix(b"\xEF\xBB\xBF").expect("BOM first");
                assert!(std::str::from_utf8(body).is_ok());
            } else {
                seen.insert("utf-8");
                assert!(std::str::from_utf8(&r.bytes).is_ok(), "{encoding:?}");
            }
            if r.variant.contains("crlf=true") {
                seen.insert("crlf");
                let lf = r.bytes.iter().filter(|b| **b == b'\n').count();
                let crlf = r.bytes.windows(2).filter(|w| w == b"\r\n").count();
                assert_eq!(lf, crlf, "every line ends in CRLF");
            } else {
                assert!(!r.bytes.contains(&b'\r'));
            }
        }
        assert_eq!(
            seen.len(),
            4,
            "40 seeds cover every encoding and CRLF: {seen:?}"
        );
    }

    #[test]
    fn marks_appear_nbsp_bullets_and_math() {
        let docs = fixtures();
        let mut seen = BTreeSet::new();
        for (_, doc) in &docs {
            for r in variants(doc) {
                let text = if r.variant.contains("windows-1252 ") {
                    WINDOWS_1252.decode(&r.bytes).0.into_owned()
                } else {
                    String::from_utf8_lossy(&r.bytes).into_owned()
                };
                for (mark, name) in [
                    ('\u{a0}', "nbsp"),
                    ('\u{F0B7}', "pua"),
                    ('÷', "div"),
                    ('×', "times"),
                ] {
                    if text.contains(mark) {
                        seen.insert(name);
                    }
                }
            }
        }
        assert_eq!(seen.len(), 4, "{seen:?}");
    }
}

mod ocr {
    use super::*;

    /// A NIP's birth date and appointment month are real dates, appointment at 18 or later.
    fn plausible(nip: &str) -> bool {
        let num = |a: usize, b: usize| nip[a..b].parse::<u32>().unwrap_or(0);
        let (year, month, day) = (num(0, 4), num(4, 6), num(6, 8));
        let (appointed, appointed_month) = (num(8, 12), num(12, 14));
        nip.len() == 18
            && (1..=12).contains(&month)
            && (1..=31).contains(&day)
            && (1..=12).contains(&appointed_month)
            && appointed >= year + 18
    }

    /// The text after a NIP label on a line, if the line has one.
    fn nip_field(line: &str) -> Option<&str> {
        let labels = ["NIP.", "NIP :", "NIP ,", "NIP", "NlP.", "N I P."];
        let at = labels
            .iter()
            .find_map(|l| line.find(l).map(|i| i + l.len()))?;
        Some(line[at..].trim())
    }

    #[test]
    fn nip_slips_repair_to_plausible_gold_nips() {
        let mut slipped = 0;
        for (stem, doc) in fixtures() {
            let gold: BTreeSet<String> = doc
                .signatories
                .iter()
                .filter_map(|s| s.nip.clone())
                .collect();
            if gold.is_empty() {
                continue;
            }
            for seed in 0..8 {
                let r = render(&doc, Family::Ocr, seed);
                let text = String::from_utf8(r.bytes).unwrap();
                let mut found = 0;
                for field in text.lines().filter_map(nip_field) {
                    let repaired = repair_nip(field);
                    assert!(
                        gold.contains(&repaired),
                        "{stem} seed {seed}: {field:?} → {repaired}"
                    );
                    assert!(plausible(&repaired), "{repaired}");
                    slipped += usize::from(!field.chars().all(|c| c.is_ascii_digit() || c == ' '));
                    found += 1;
                }
                assert_eq!(
                    found,
                    doc.signatories.iter().filter(|s| s.nip.is_some()).count()
                );
            }
        }
        assert!(slipped > 10, "only {slipped} NIPs slipped");
    }

    #[test]
    fn slips_leave_headings_and_names_alone() {
        for (stem, doc) in fixtures() {
            let r = render(&doc, Family::Ocr, 4);
            let text = String::from_utf8(r.bytes).unwrap();
            for record in &doc.records {
                if let Some(heading) = &record.heading {
                    assert!(
                        collapse(&text).contains(heading.as_str()),
                        "{stem}: {heading}"
                    );
                }
            }
            for sig in &doc.signatories {
                assert!(text.contains(sig.name_line()), "{stem}");
            }
        }
    }
}

mod scoring {
    use super::*;

    #[test]
    fn a_family_is_scored_in_process() {
        let fixtures: Vec<_> = fixtures().into_iter().take(1).collect();
        let score = iki_render::score::score_family(&fixtures, Family::Numbered, 1);
        assert_eq!(score.documents, 1);
        assert!((0.0..=1.0).contains(&score.headline_f1_soft));
        let table = iki_render::score::markdown_table(&[score]);
        assert!(table.contains("| 3-numbered | 1 |"));
    }
}
