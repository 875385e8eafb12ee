//! The confidence model stays calibrated on renderings it was not fitted on (issue #6): two
//! seeds of the held-out part of `iki-families --calibrate --seeds 20` (seeds 10..20), every
//! family the weights were fitted on (1–8) and every fixture, with the parser's fitted weights. Eighty documents are a small sample,
//! so the AUROC bound leaves a margin below the 0.9 the full held-out part must reach; gap and
//! ECE are held to the targets themselves. A failure after a parser change means: refit
//! (`cargo run --release -p iki-render --bin iki-families -- --calibrate --seeds 20 --fit`).

use std::path::Path;

use iki_eval::Calibration;
use iki_parser::confidence::WEIGHTS;
use iki_render::calibrate::{self, Sample};
use iki_render::{load_dir, Family};

fn samples() -> Vec<Sample> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/expected");
    let fixtures = load_dir(&dir).expect("gold fixtures");
    assert!(!fixtures.is_empty());
    calibrate::collect(&fixtures, Family::FITTED, 10..12)
}

fn mean_confidence(samples: &[Sample], families: &[Family]) -> f64 {
    let points: Vec<f64> = samples
        .iter()
        .filter(|s| families.contains(&s.family))
        .filter_map(|s| s.confidence)
        .collect();
    points.iter().sum::<f64>() / points.len() as f64
}

#[test]
fn held_out_renderings_stay_calibrated() {
    let samples = samples();
    assert!(calibrate::is_held_out(10, 20));
    // The fitting routine computes the confidence the parser writes.
    for s in &samples {
        if let Some(written) = s.confidence {
            assert_eq!(s.evidence.confidence(&WEIGHTS), written, "{s:?}");
        }
    }
    let points: Vec<(f64, f64)> = samples.iter().filter_map(Sample::point).collect();
    let c = Calibration::from_points(&points).expect("scored renderings");
    eprintln!("{c}");
    assert!(c.documents >= 70, "{c}");
    assert!(c.gap <= 0.05, "mean gap {:.3}\n{c}", c.gap);
    assert!(c.ece <= 0.05, "ECE {:.3}\n{c}", c.ece);
    let auroc = c.auroc.expect("clean and erroneous renderings");
    assert!(auroc >= 0.85, "AUROC {auroc:.3}\n{c}");
    // Flattened tables stay clearly below the families the parser reads without guessing.
    let flattened = mean_confidence(&samples, &[Family::Flattened]);
    let clean = mean_confidence(
        &samples,
        &[Family::Markup, Family::Synonyms, Family::Encoding],
    );
    assert!(
        flattened <= clean - 0.02,
        "flattened {flattened:.3}, clean families {clean:.3}"
    );
}
