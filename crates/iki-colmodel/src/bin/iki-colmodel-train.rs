//! Rebuilds the column model, or measures it.
//!
//! ```text
//! iki-colmodel-train              fit on the fixtures, write data/columns.bin
//! iki-colmodel-train --eval       leave-one-source-out and foreign-office figures
//!     -v                          … with confusion matrices and every wrong cell
//!     --ablate                    … for the default feature set, each group removed, and
//!                                 the topic-prone groups added or alone
//! iki-colmodel-train --dump       the training cells (source, column, text), tab-separated
//! --bits N --epochs N --rate X --l2 X   override the fit's settings (experiments only: the
//!                                 freshness test expects the defaults)
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use iki_colmodel::eval::{leave_one_out, Outcome};
use iki_colmodel::train::{fit, read_cells, repo_root, training_data, Example, TrainConfig};
use iki_colmodel::{Column, FeatureSet};

/// The hand-written foreign-office files under `data/`, never trained on. The first guided
/// development; the second was written after and scored once.
const FOREIGN: [&str; 2] = ["foreign.tsv", "foreign-holdout.tsv"];

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| args.iter().any(|a| a == name);
    let config = overrides(&args)?;
    let examples = training_data(&repo_root()).map_err(|e| e.to_string())?;
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data");
    if flag("--dump") {
        for e in &examples {
            println!("{}\t{}\t{}", e.source, e.column, e.text);
        }
    } else if flag("--eval") {
        let foreign = FOREIGN
            .iter()
            .map(|name| read_cells(&data.join(name), name).map_err(|e| e.to_string()))
            .collect::<Result<Vec<_>, _>>()?;
        let sets = if flag("--ablate") {
            ablations()
        } else {
            vec![config.set]
        };
        for set in sets {
            report(
                &examples,
                &foreign,
                &TrainConfig { set, ..config },
                flag("-v"),
            );
        }
    } else {
        build(&examples, &config, &data.join("columns.bin"))?;
    }
    Ok(())
}

/// The default settings with `--bits`, `--epochs`, `--rate`, `--l2` applied.
fn overrides(args: &[String]) -> Result<TrainConfig, String> {
    let mut config = TrainConfig::default();
    for pair in args.windows(2) {
        let value = pair[1].as_str();
        let ok = match pair[0].as_str() {
            "--bits" => value.parse().map(|v| config.bits = v).is_ok(),
            "--epochs" => value.parse().map(|v| config.epochs = v).is_ok(),
            "--rate" => value.parse().map(|v| config.rate = v).is_ok(),
            "--l2" => value.parse().map(|v| config.l2 = v).is_ok(),
            _ => true,
        };
        if !ok {
            return Err(format!("bad value {value} for {}", pair[0]));
        }
    }
    Ok(config)
}

fn build(examples: &[Example], config: &TrainConfig, path: &Path) -> Result<(), String> {
    let bytes = fit(examples, config).to_bytes();
    std::fs::write(path, &bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut counts = [0usize; Column::COUNT];
    let mut derived = [0usize; Column::COUNT];
    for e in examples {
        counts[e.column.index()] += 1;
        derived[e.column.index()] += e.derived as usize;
    }
    println!("{} cells (derived by a rule in brackets):", examples.len());
    for c in Column::ALL {
        println!(
            "  {:<17}{:>5} ({})",
            c.name(),
            counts[c.index()],
            derived[c.index()]
        );
    }
    println!("wrote {} ({} bytes)", path.display(), bytes.len());
    Ok(())
}

fn ablations() -> Vec<FeatureSet> {
    use FeatureSet as F;
    let base = F::DEFAULT.0;
    vec![
        F(base),
        F(base & !F::SHAPE),
        F(base & !F::MATH),
        F(base & !F::LEXICON),
        F(base & !F::AFFIX),
        F(base & !F::SKELETON),
        F(base | F::WORDS),
        F(base | F::CHARS),
        F(base | F::WORDS | F::CHARS),
        F(F::WORDS),
        F(F::CHARS),
        F(F::WORDS | F::CHARS),
    ]
}

fn summary(name: &str, outcome: &Outcome, cells: usize) {
    println!(
        "  {:<15} accuracy {:.3}  macro recall {:.3}  table {:.3}  ECE {:.3}  ({cells} cells)",
        format!("{name}:"),
        outcome.accuracy(),
        outcome.macro_recall(),
        outcome.table_accuracy(),
        outcome.ece(),
    );
}

fn details(name: &str, outcome: &Outcome, cells: &[Example]) {
    println!("{name} confusion:\n{}", outcome.confusion_table());
    for line in outcome.errors(cells) {
        println!("  {line}");
    }
}

fn report(examples: &[Example], foreign: &[Vec<Example>], config: &TrainConfig, verbose: bool) {
    println!("== feature set {:#04x}", config.set.0);
    let mut all = Outcome::default();
    let mut held_all = Vec::new();
    for (source, held, outcome) in leave_one_out(examples, config) {
        println!(
            "  held out {:<30} accuracy {:.3}  table {:.3}  ({} cells)",
            source,
            outcome.accuracy(),
            outcome.table_accuracy(),
            held.len(),
        );
        all.extend(outcome);
        held_all.extend(held);
    }
    summary("leave-one-out", &all, held_all.len());
    let model = fit(examples, config);
    let outcomes: Vec<Outcome> = foreign
        .iter()
        .map(|cells| Outcome::score(&model, cells))
        .collect();
    for ((name, cells), outcome) in FOREIGN.iter().zip(foreign).zip(&outcomes) {
        summary(name.trim_end_matches(".tsv"), outcome, cells.len());
    }
    if verbose {
        details("leave-one-out", &all, &held_all);
        for ((name, cells), outcome) in FOREIGN.iter().zip(foreign).zip(&outcomes) {
            details(name, outcome, cells);
        }
    }
}
