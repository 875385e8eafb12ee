//! `iki-families`: renders every gold fixture in every layout family (issue #3), runs the
//! parser on each rendering and prints how well it reads each family; `--write DIR` keeps the
//! renderings and their answers for inspection. `--calibrate` measures how well document
//! confidence estimates measured accuracy (issue #6) on a tuning and a held-out part of the
//! renderings, and `--fit` refits the confidence model's weights on the tuning part.
//! `--crafted DIR` scores hand-made fixtures instead (`DIR/name.txt` against `name.json`), one
//! row each: the report of `fixtures/crafted/real-layouts/`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;
use iki_eval::Calibration;
use iki_parser::confidence::{self, Weights};
use iki_render::calibrate::{self, Sample};
use iki_render::score::{
    fixtures_table, markdown_table, score_family, score_fixtures, FamilyScore,
};
use iki_render::{load_dir, render, Family, GoldDoc};

#[derive(Parser, Debug)]
#[command(
    name = "iki-families",
    about = "Score the parser on gold fixtures rendered in many layouts"
)]
struct Args {
    /// Seeds per fixture and family (0..N).
    #[arg(long, default_value_t = 3)]
    seeds: u64,
    /// Directory of gold JSON files.
    #[arg(long, default_value = "fixtures/expected")]
    fixtures: PathBuf,
    /// Print JSON instead of the Markdown table (with --calibrate: every rendering's accuracy,
    /// confidence and evidence).
    #[arg(long)]
    json: bool,
    /// Only these families (number, name or slug; repeatable).
    #[arg(long = "family")]
    families: Vec<Family>,
    /// Also list the N most frequent differences of each family.
    #[arg(long, default_value_t = 0)]
    diffs: usize,
    /// Also list every rendering's headline F1 and variant.
    #[arg(long)]
    files: bool,
    /// Write DIR/<family>/<fixture>-<seed>.txt with the gold .json beside, then score.
    #[arg(long)]
    write: Option<PathBuf>,
    /// Measure confidence calibration instead: seeds 0..N/2 tune, N/2..N are held out.
    #[arg(long)]
    calibrate: bool,
    /// With --calibrate: refit the confidence weights on the tuning part, print them as Rust
    /// and measure both parts with them.
    #[arg(long, requires = "calibrate")]
    fit: bool,
    /// With --calibrate: write the held-out reliability plot here.
    #[arg(long, requires = "calibrate", default_value = "docs/reliability.svg")]
    svg: PathBuf,
    /// With --calibrate: do not write the reliability plot.
    #[arg(long, requires = "calibrate")]
    no_svg: bool,
    /// Score the crafted fixtures of DIR (name.txt against name.json) instead of renderings:
    /// per fixture the kind, status, headline F1, accuracy and confidence.
    #[arg(long, conflicts_with = "calibrate")]
    crafted: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("iki-families: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &Args) -> Result<()> {
    if let Some(dir) = &args.crafted {
        return run_crafted(args, dir);
    }
    let fixtures = load_dir(&args.fixtures)
        .with_context(|| format!("reading fixtures from {}", args.fixtures.display()))?;
    anyhow::ensure!(
        !fixtures.is_empty(),
        "no *.json gold files in {}",
        args.fixtures.display()
    );
    let families = if args.families.is_empty() {
        Family::ALL.to_vec()
    } else {
        args.families.clone()
    };
    if args.calibrate {
        return run_calibration(args, &fixtures, &families);
    }
    if let Some(dir) = &args.write {
        write_renderings(dir, &fixtures, &families, args.seeds)?;
    }
    let scores: Vec<FamilyScore> = families
        .iter()
        .map(|f| score_family(&fixtures, *f, args.seeds))
        .collect();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&scores)?);
        return Ok(());
    }
    print!("{}", markdown_table(&scores));
    if args.diffs > 0 {
        print_diffs(&scores, args.diffs);
    }
    if args.files {
        print_files(&scores);
    }
    Ok(())
}

/// `--crafted DIR`: one row per crafted fixture, and with `--diffs N` its worst differences.
fn run_crafted(args: &Args, dir: &Path) -> Result<()> {
    let scores =
        score_fixtures(dir).with_context(|| format!("scoring fixtures in {}", dir.display()))?;
    anyhow::ensure!(!scores.is_empty(), "no *.txt fixtures in {}", dir.display());
    if args.json {
        println!("{}", serde_json::to_string_pretty(&scores)?);
        return Ok(());
    }
    print!("{}", fixtures_table(&scores));
    if args.diffs > 0 {
        for s in &scores {
            println!("\n{}: worst differences", s.fixture);
            for d in s.report.worst_diffs(args.diffs) {
                println!(
                    "- {} {:?}: expected {} got {}",
                    d.path, d.kind, d.expected, d.actual
                );
            }
        }
    }
    Ok(())
}

/// `--calibrate`: how well confidence tracks accuracy on renderings of every family. With
/// `--fit`, leave one family out: the weights are fitted on all families but one and
/// measured on the one left out, for every family; then fitted on all of them and written to
/// the weights file the parser embeds.
fn run_calibration(args: &Args, fixtures: &[(String, GoldDoc)], families: &[Family]) -> Result<()> {
    anyhow::ensure!(args.seeds >= 1, "--calibrate needs --seeds 1 or more");
    let samples = calibrate::collect(fixtures, families, 0..args.seeds);
    if args.json {
        let rows: Vec<serde_json::Value> = samples.iter().map(sample_json).collect();
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(());
    }
    println!(
        "Confidence calibration: {} fixtures × {} families × seeds 0..{}.\n",
        fixtures.len(),
        families.len(),
        args.seeds
    );
    let weights: Weights = *confidence::WEIGHTS;
    let (points, label) = if args.fit {
        let lofo = calibrate::leave_one_family_out(&samples, families, &weights);
        println!("## Leave one family out (fitted on the others, measured on it)\n");
        println!("{}", calibrate::lofo_table(&lofo));
        let fitted = calibrate::fit(&samples, &weights);
        let path = repo_root().join(confidence::WEIGHTS_FILE);
        let header = format!(
            "Expected wrong fields per field (base) and per piece of each kind of evidence.\n\
             Written by `iki-families --calibrate --fit --seeds {}`: fitted on {} renderings of\n\
             {} families; do not edit by hand, refit.",
            args.seeds,
            samples.len(),
            families.len()
        );
        write(&path, fitted.to_file(&header).as_bytes())?;
        println!(
            "Weights fitted on every family written to {}\n",
            path.display()
        );
        let held: Vec<(f64, f64)> = lofo.iter().flat_map(|f| f.points.clone()).collect();
        (held, "left-out families")
    } else {
        println!("## Per family (the parser's weights)\n");
        println!("{}", calibrate::family_table(&samples));
        let all: Vec<(f64, f64)> = samples.iter().filter_map(Sample::point).collect();
        (all, "all renderings")
    };
    match Calibration::from_points(&points) {
        Some(c) => println!("## Overall ({label})\n\n{c}"),
        None => println!("no scored documents\n"),
    }
    if args.files {
        let all: Vec<&Sample> = samples.iter().collect();
        print_samples(&all, &weights);
    }
    if !args.no_svg {
        let title = match Calibration::from_points(&points) {
            Some(c) => format!(
                "{label} ({} documents): confidence against accuracy\nmean gap {:.3} · ECE {:.3} · AUROC {}",
                c.documents,
                c.gap,
                c.ece,
                c.auroc.map_or("–".to_string(), |a| format!("{a:.3}"))
            ),
            None => format!("{label}: no documents"),
        };
        if let Some(dir) = args.svg.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        write(
            &args.svg,
            calibrate::reliability_svg(&points, &title).as_bytes(),
        )?;
        println!("Reliability plot: {}", args.svg.display());
    }
    Ok(())
}

/// The repository root (the workspace this binary was built in).
fn repo_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `--calibrate --json`: one rendering with its part, accuracy, confidence and evidence.
fn sample_json(s: &Sample) -> serde_json::Value {
    let evidence: serde_json::Map<String, serde_json::Value> = confidence::Evidence::ALL
        .iter()
        .filter(|e| s.evidence.counts[e.index()] > 0.0)
        .map(|e| (e.name().to_string(), s.evidence.counts[e.index()].into()))
        .collect();
    serde_json::json!({
        "family": s.family.slug(),
        "fixture": s.fixture,
        "seed": s.seed,
        "accuracy": s.accuracy,
        "confidence": s.confidence,
        "fields": s.evidence.fields,
        "evidence": evidence,
    })
}

/// `--calibrate --files`: every held-out rendering, lowest confidence first, with its evidence.
fn print_samples(samples: &[&Sample], weights: &Weights) {
    let mut rows: Vec<(f64, f64, &Sample)> = samples
        .iter()
        .filter_map(|s| s.point_with(weights).map(|(c, a)| (c, a, *s)))
        .collect();
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    println!("Held-out renderings (confidence, accuracy, evidence):\n");
    for (c, a, s) in rows {
        let evidence: Vec<String> = confidence::Evidence::ALL
            .iter()
            .filter(|e| s.evidence.counts[e.index()] > 0.0)
            .map(|e| format!("{}×{}", e.name(), s.evidence.counts[e.index()]))
            .collect();
        println!(
            "- {:.3} {:.3} {}/{}-{} {}",
            c,
            a,
            s.family.slug(),
            s.fixture,
            s.seed,
            evidence.join(" ")
        );
    }
    println!();
}

fn print_diffs(scores: &[FamilyScore], n: usize) {
    for score in scores {
        println!("\n{}: most frequent differences", score.family);
        for diff in score.top_diffs.iter().take(n) {
            println!("- {} × {} (e.g. {})", diff.count, diff.what, diff.example);
        }
    }
}

fn print_files(scores: &[FamilyScore]) {
    for score in scores {
        println!(
            "\n{}: per rendering (headline micro-F1 soft, variant)",
            score.family
        );
        for file in &score.files {
            let failed = if file.failed { " FAILED" } else { "" };
            println!(
                "- {} {:.3}{failed} ({})",
                file.file, file.headline_f1_soft, file.variant
            );
        }
    }
}

/// DIR/<family>/<fixture>-<seed>.txt, its gold .json, and DIR/<family>/variants.tsv.
fn write_renderings(
    dir: &Path,
    fixtures: &[(String, GoldDoc)],
    families: &[Family],
    seeds: u64,
) -> Result<()> {
    for family in families {
        let family_dir = dir.join(family.slug());
        std::fs::create_dir_all(&family_dir)
            .with_context(|| format!("creating {}", family_dir.display()))?;
        let mut variants = String::from("file\tvariant\n");
        for (stem, doc) in fixtures {
            for seed in 0..seeds {
                let r = render(doc, *family, seed);
                let base = family_dir.join(format!("{stem}-{seed}"));
                write(&base.with_extension("txt"), &r.bytes)?;
                let gold = serde_json::to_string_pretty(&r.gold)? + "\n";
                write(&base.with_extension("json"), gold.as_bytes())?;
                variants.push_str(&format!("{stem}-{seed}.txt\t{}\n", r.variant));
            }
        }
        write(&family_dir.join("variants.tsv"), variants.as_bytes())?;
    }
    Ok(())
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))
}
