//! `iki-families`: renders every gold fixture in every layout family (issue #3), runs the
//! parser on each rendering and prints how well it reads each family; `--write DIR` keeps the
//! renderings and their answers for inspection.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;
use iki_render::score::{markdown_table, score_family, FamilyScore};
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
    /// Print JSON instead of the Markdown table.
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
