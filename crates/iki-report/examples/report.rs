//! Builds a report without the `iki` binary: `cargo run -p iki-report --example report --
//! OUT_DIR report.html [--eval FILE] [--sources-root DIR]`.

use std::path::PathBuf;
use std::process::ExitCode;

use iki_report::{write_report, ReportOptions};

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let mut positional = Vec::new();
    let mut opts = ReportOptions::default();
    while let Some(arg) = args.next() {
        match arg.to_str() {
            Some("--eval") => opts.eval = args.next().map(PathBuf::from),
            Some("--sources-root") => opts.sources_root = args.next().map(PathBuf::from),
            _ => positional.push(PathBuf::from(arg)),
        }
    }
    let [out_dir, dest] = positional.as_slice() else {
        eprintln!("usage: report OUT_DIR report.html [--eval FILE] [--sources-root DIR]");
        return ExitCode::from(2);
    };
    match write_report(out_dir, dest, &opts) {
        Ok(stats) => {
            eprintln!("{}: {stats:?}", dest.display());
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("report: {err}");
            ExitCode::from(2)
        }
    }
}
