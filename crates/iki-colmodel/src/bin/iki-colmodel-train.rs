//! Rebuilds `data/columns.bin` from the fixtures; `--eval` measures instead.

use std::path::PathBuf;
use std::process::ExitCode;

use iki_colmodel::eval::{leave_one_out, Outcome};
use iki_colmodel::train::{fit, read_cells, repo_root, training_data, TrainConfig};
use iki_colmodel::{Column, FeatureSet};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = repo_root();
    let examples = match training_data(&root) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut config = TrainConfig::default();
    // Overrides for experiments: --bits N --epochs N --rate X --l2 X.
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
            eprintln!("error: bad value {value} for {}", pair[0]);
            return ExitCode::FAILURE;
        }
    }
    if args.iter().any(|a| a == "--dump") {
        for e in &examples {
            println!("{}\t{}\t{}", e.source, e.column, e.text);
        }
        return ExitCode::SUCCESS;
    }
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data");
    if args.iter().any(|a| a == "--eval") {
        let foreign = match read_cells(&data.join("foreign.tsv"), "foreign") {
            Ok(f) => f,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        };
        let verbose = args.iter().any(|a| a == "-v");
        let sets: Vec<FeatureSet> = if args.iter().any(|a| a == "--ablate") {
            ablations()
        } else {
            vec![config.set]
        };
        for set in sets {
            let config = TrainConfig { set, ..config };
            report(&examples, &foreign, &config, verbose);
        }
        return ExitCode::SUCCESS;
    }
    let model = fit(&examples, &config);
    let bytes = model.to_bytes();
    let path = data.join("columns.bin");
    if let Err(e) = std::fs::write(&path, &bytes) {
        eprintln!("error: {}: {e}", path.display());
        return ExitCode::FAILURE;
    }
    let mut counts = [0usize; Column::COUNT];
    for e in &examples {
        counts[e.column.index()] += 1;
    }
    println!("{} cells:", examples.len());
    for c in Column::ALL {
        println!("  {:<17}{}", c.name(), counts[c.index()]);
    }
    println!("wrote {} ({} bytes)", path.display(), bytes.len());
    ExitCode::SUCCESS
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

fn report(
    examples: &[iki_colmodel::train::Example],
    foreign: &[iki_colmodel::train::Example],
    config: &TrainConfig,
    verbose: bool,
) {
    println!("== feature set {:#04x}", config.set.0);
    let mut all = Outcome::default();
    let mut held_all = Vec::new();
    for (source, held, outcome) in leave_one_out(examples, config) {
        println!(
            "  held out {:<32} cells {:>4}  accuracy {:.3}  table {:.3}",
            source,
            held.len(),
            outcome.accuracy(),
            outcome.table_accuracy()
        );
        all.extend(outcome);
        held_all.extend(held);
    }
    println!(
        "  leave-one-out: accuracy {:.3}  macro recall {:.3}  table {:.3}  ECE {:.3}",
        all.accuracy(),
        all.macro_recall(),
        all.table_accuracy(),
        all.ece()
    );
    let model = fit(examples, config);
    let f = Outcome::score(&model, foreign);
    println!(
        "  foreign:       accuracy {:.3}  macro recall {:.3}  table {:.3}  ECE {:.3}  ({} cells)",
        f.accuracy(),
        f.macro_recall(),
        f.table_accuracy(),
        f.ece(),
        foreign.len()
    );
    if verbose {
        println!("leave-one-out confusion:\n{}", all.confusion_table());
        for line in all.errors(&held_all) {
            println!("  {line}");
        }
        println!("foreign confusion:\n{}", f.confusion_table());
        for line in f.errors(foreign) {
            println!("  {line}");
        }
    }
}
