//! The `iki` command line: `extract`, `eval`, `report` and `schema`.
//!
//! Thin on purpose: argument parsing and exit codes live here, the work in the `iki-batch`,
//! `iki-eval`, `iki-pdf`, `iki-report` and `iki-parser` libraries. PDF decoding runs in a
//! child process of this same binary (its hidden worker mode), so a crash stays there. Exit codes: 0 success, 1 some inputs failed,
//! 2 usage or fatal error; a closed stdout (`iki extract dir | head`) ends the run quietly.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use iki_batch::{
    BatchError, BatchOptions, Limits, NdjsonTarget, DEFAULT_MAX_ARCHIVE_BYTES,
    DEFAULT_MAX_ARCHIVE_RATIO, DEFAULT_MAX_FILE_BYTES, DEFAULT_PARSE_TIMEOUT,
};

/// Extract Indonesian IKI performance forms from text dumps into JSON.
#[derive(Debug, Parser)]
#[command(name = "iki", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Extract every input into one JSON document (NDJSON on stdout by default).
    Extract(ExtractArgs),
    /// Score predicted documents against gold documents, field by field.
    Eval(EvalArgs),
    /// Write a self-contained HTML review report of an `extract -o` directory.
    Report(ReportArgs),
    /// Print the JSON Schema of the output document.
    Schema,
}

#[derive(Debug, Args)]
struct ExtractArgs {
    /// Files (.txt, .md, .pdf), directories (walked recursively, symlinks not followed),
    /// archives (.zip, .tar, .tar.gz, .tgz; read entry by entry) or `-` for stdin.
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<PathBuf>,
    /// Write OUT_DIR/<stem>.json per input plus OUT_DIR/summary.json.
    #[arg(short = 'o', long = "out-dir", value_name = "OUT_DIR")]
    out_dir: Option<PathBuf>,
    /// Write one document per line to FILE (`-` = stdout).
    #[arg(long, value_name = "FILE|-")]
    ndjson: Option<PathBuf>,
    /// Worker threads (0 = one per core).
    #[arg(short = 'j', long = "jobs", value_name = "N", default_value_t = 0)]
    jobs: usize,
    /// Print nothing on stderr but errors.
    #[arg(short = 'q', long)]
    quiet: bool,
    /// Skip inputs the outputs already hold (same path and sha256), repair a torn last
    /// NDJSON line, and end with exactly the output of a clean run.
    #[arg(long)]
    resume: bool,
    /// Inputs and archive entries larger than this many bytes fail with `file_too_large`.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_FILE_BYTES)]
    max_file_bytes: u64,
    /// Stop reading an archive past this many decompressed bytes (`archive_too_large`).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_ARCHIVE_BYTES)]
    max_archive_bytes: u64,
    /// Stop reading an archive that expands more than N times its size
    /// (`archive_ratio_exceeded`); 0 = no limit.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_ARCHIVE_RATIO)]
    max_archive_ratio: u64,
    /// Give up on a file whose parse takes longer than this many seconds (`parse_timeout`);
    /// 0 = no limit.
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_PARSE_TIMEOUT.as_secs_f64())]
    parse_timeout: f64,
    /// Kill PDF decoding of one file after this many seconds (`pdf_timeout`).
    #[arg(long, value_name = "SECONDS", default_value_t = 60.0)]
    pdf_timeout: f64,
    /// Read PDFs without a text layer, and page images (.png, .jpg, .tif), by OCR
    /// (pdftoppm + tesseract, Indonesian).
    #[arg(long)]
    ocr: bool,
    /// Give up on one page of a scan whose OCR takes longer than this many seconds (the page
    /// is left out with a warning; OCR time never counts against --parse-timeout).
    #[arg(long, value_name = "SECONDS", default_value_t = iki_pdf::DEFAULT_PAGE_TIMEOUT.as_secs_f64())]
    ocr_timeout: f64,
}

#[derive(Debug, Args)]
struct ReportArgs {
    /// A directory written by `iki extract -o`.
    #[arg(value_name = "OUT_DIR")]
    out_dir: PathBuf,
    /// The HTML file to write (replaced atomically).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: PathBuf,
    /// The output of `iki eval --json` for OUT_DIR: measured accuracy and a reliability plot.
    #[arg(long, value_name = "FILE")]
    eval: Option<PathBuf>,
    /// Resolve each document's `source.path` against DIR instead of the current directory.
    #[arg(long, value_name = "DIR")]
    sources_root: Option<PathBuf>,
    /// Print nothing on stderr but errors.
    #[arg(short = 'q', long)]
    quiet: bool,
}

#[derive(Debug, Args)]
struct EvalArgs {
    /// Directory of hand-checked gold JSON documents.
    #[arg(long, value_name = "DIR")]
    gold: PathBuf,
    /// Directory of predicted JSON documents (e.g. an `iki extract -o` directory).
    #[arg(long, value_name = "DIR")]
    pred: PathBuf,
    /// Print the report as JSON instead of a table.
    #[arg(long)]
    json: bool,
}

fn main() -> ExitCode {
    if std::env::args_os()
        .nth(1)
        .is_some_and(|a| a == iki_pdf::WORKER_ARG)
    {
        return iki_pdf::worker_main();
    }
    match run() {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            let _ = writeln!(io::stderr(), "iki: {}", error_message(&err));
            ExitCode::from(2)
        }
    }
}

fn run() -> anyhow::Result<ExitCode> {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return Ok(clap_exit(&err)),
    };
    match cli.command {
        Command::Extract(args) => extract(args),
        Command::Eval(args) => eval(args),
        Command::Report(args) => report(args),
        Command::Schema => schema(),
    }
}

/// Print clap's message (help, version or usage error) and map it to its exit code: 0 for
/// help and version, 2 for usage errors.
fn clap_exit(err: &clap::Error) -> ExitCode {
    let _ = err.print();
    ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2))
}

fn extract(args: ExtractArgs) -> anyhow::Result<ExitCode> {
    let ndjson = match (&args.ndjson, &args.out_dir) {
        (Some(target), _) => Some(NdjsonTarget::from_arg(target)),
        (None, Some(_)) => None,
        (None, None) => Some(NdjsonTarget::Stdout),
    };
    let Some(parse_timeout) = timeout_arg(args.parse_timeout) else {
        let _ = writeln!(
            io::stderr(),
            "iki: --parse-timeout must be a number of seconds >= 0"
        );
        return Ok(ExitCode::from(2));
    };
    if args.ocr {
        if let Err(e) = iki_pdf::ocr_available("ind") {
            let _ = writeln!(io::stderr(), "iki: --ocr: {e}");
            return Ok(ExitCode::from(2));
        }
    }
    let Some(Some(pdf_timeout)) = timeout_arg(args.pdf_timeout) else {
        let _ = writeln!(
            io::stderr(),
            "iki: --pdf-timeout must be a number of seconds > 0"
        );
        return Ok(ExitCode::from(2));
    };
    let Some(Some(ocr_timeout)) = timeout_arg(args.ocr_timeout) else {
        let _ = writeln!(
            io::stderr(),
            "iki: --ocr-timeout must be a number of seconds > 0"
        );
        return Ok(ExitCode::from(2));
    };
    let exe = std::env::current_exe().context("cannot locate the iki binary for the PDF worker")?;
    // The pages of every scan in the run share one permit per worker thread.
    let ocr = iki_pdf::OcrOptions {
        page_timeout: ocr_timeout,
        slots: iki_pdf::OcrSlots::new(match args.jobs {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        }),
        ..iki_pdf::OcrOptions::default()
    };
    let config = iki_extract::Config {
        pdf: Some(iki_pdf::PdfConfig {
            exe,
            limits: iki_pdf::Limits {
                timeout: pdf_timeout,
                ..iki_pdf::Limits::default()
            },
            ocr: args.ocr.then_some(ocr),
        }),
    };
    if args.resume && matches!(ndjson, Some(NdjsonTarget::Stdout)) {
        let _ = writeln!(io::stderr(), "iki: {}", BatchError::ResumeStdout);
        return Ok(ExitCode::from(2));
    }
    let options = BatchOptions {
        out_dir: args.out_dir,
        ndjson,
        jobs: args.jobs,
        quiet: args.quiet,
        resume: args.resume,
        limits: Limits {
            max_file_bytes: args.max_file_bytes,
            max_archive_bytes: args.max_archive_bytes,
            max_archive_ratio: args.max_archive_ratio,
            parse_timeout,
        },
    };
    let summary = iki_batch::run(&args.paths, &options, iki_extract::extractor(config))?;
    Ok(if summary.all_extracted() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Exit code 1 when some document files of OUT_DIR could not be read (they are listed in the
/// report), as `extract` does for inputs.
fn report(args: ReportArgs) -> anyhow::Result<ExitCode> {
    let options = iki_report::ReportOptions {
        eval: args.eval,
        sources_root: args.sources_root,
        ..iki_report::ReportOptions::default()
    };
    let stats = iki_report::write_report(&args.out_dir, &args.output, &options)?;
    if !args.quiet {
        eprintln!(
            "{}: {} documents ({} unreadable), {} sources shown ({} cut, {} changed), {} not available, {} evaluated",
            args.output.display(),
            stats.documents,
            stats.skipped,
            stats.sources_embedded,
            stats.sources_truncated,
            stats.sources_changed,
            stats.sources_missing,
            stats.evaluated
        );
    }
    Ok(if stats.skipped == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `--parse-timeout`: `None` when invalid, `Some(None)` for no limit.
fn timeout_arg(seconds: f64) -> Option<Option<Duration>> {
    if seconds == 0.0 {
        Some(None)
    } else {
        Duration::try_from_secs_f64(seconds).ok().map(Some)
    }
}

fn eval(args: EvalArgs) -> anyhow::Result<ExitCode> {
    let report = iki_eval::evaluate_dirs(&args.gold, &args.pred).with_context(|| {
        format!(
            "cannot evaluate {} against {}",
            args.pred.display(),
            args.gold.display()
        )
    })?;
    let text = if args.json {
        serde_json::to_string_pretty(&report)?
    } else {
        report.to_string()
    };
    print_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

fn schema() -> anyhow::Result<ExitCode> {
    let schema = schemars::schema_for!(iki_model::IkiDocument);
    print_stdout(&serde_json::to_string_pretty(&schema)?)?;
    Ok(ExitCode::SUCCESS)
}

/// `text` and a newline on stdout; unlike `println!`, a closed stdout is an error, not a panic.
fn print_stdout(text: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    let text = text.strip_suffix('\n').unwrap_or(text);
    writeln!(out, "{text}")?;
    out.flush()
}

/// The error and its causes joined by ": ", skipping a cause whose text the message already
/// holds (error types that print their source as part of their own message).
fn error_message(err: &anyhow::Error) -> String {
    let mut message = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if message.contains(&text) {
            continue;
        }
        if !message.is_empty() {
            message.push_str(": ");
        }
        message.push_str(&text);
    }
    message
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<BatchError>()
                .is_some_and(BatchError::is_broken_pipe)
    })
}
