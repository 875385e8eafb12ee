//! `iki-synth`: write a seeded synthetic corpus of IKI documents (a directory, `.tar.gz` or
//! `.zip`) of a given size, for scale tests and benchmarks of `iki extract`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// Write random but plausible IKI documents until they add up to SIZE.
#[derive(Debug, Parser)]
#[command(name = "iki-synth", version, about)]
struct Args {
    /// Output: a directory, or a file ending in .tar.gz / .tgz / .zip.
    #[arg(short = 'o', long = "out", value_name = "PATH")]
    out: PathBuf,
    /// Total text size, e.g. 100M, 1G, 50000 (K, M, G are powers of 1000).
    #[arg(short = 's', long, value_name = "SIZE", value_parser = parse_size)]
    size: u64,
    /// Seed of the generator: the same seed gives the same bytes.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Stop after this many documents even if SIZE is not reached.
    #[arg(long, value_name = "N")]
    max_files: Option<u64>,
}

fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let (digits, scale) = match text.char_indices().last() {
        Some((i, 'K' | 'k')) => (&text[..i], 1_000),
        Some((i, 'M' | 'm')) => (&text[..i], 1_000_000),
        Some((i, 'G' | 'g')) => (&text[..i], 1_000_000_000),
        _ => (text, 1),
    };
    digits
        .parse::<u64>()
        .map(|n| n * scale)
        .map_err(|e| format!("{text:?} is not a size: {e}"))
}

fn main() -> ExitCode {
    let args = Args::parse();
    match iki_synth::write_corpus(&args.out, args.seed, args.size, args.max_files) {
        Ok(stats) => {
            eprintln!(
                "iki-synth: {} files, {} bytes of text -> {}",
                stats.files,
                stats.bytes,
                args.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("iki-synth: cannot write {}: {err}", args.out.display());
            ExitCode::from(2)
        }
    }
}
