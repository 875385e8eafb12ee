//! The `iki` command line: `extract`, `eval`, `report`, `schema` and `history`.
//!
//! Thin on purpose: argument parsing and exit codes live here, the work in the `iki-batch`,
//! `iki-eval`, `iki-pdf`, `iki-office`, `iki-report`, `iki-db` and `iki-parser` libraries. PDF decoding runs in a
//! child process of this same binary (its hidden worker mode), so a crash stays there.
//!
//! Exit codes (`docs/contract.md`): 0 every input extracted, 1 some inputs failed, 2 usage
//! error (including inputs `eval` and `report` cannot read), 3 the output could not be
//! written (disk full, OUT_DIR not writable, locked by another run). A closed stdout
//! (`iki extract dir | head`) ends the run quietly.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use iki_batch::{
    BatchError, BatchOptions, Limits, NdjsonTarget, DEFAULT_MAX_ARCHIVE_BYTES,
    DEFAULT_MAX_ARCHIVE_RATIO, DEFAULT_MAX_FILE_BYTES, DEFAULT_PARSE_TIMEOUT, JOBS_PER_CORE,
};

/// Exit code of a usage error.
const EXIT_USAGE: u8 = 2;
/// Exit code when the output could not be written.
const EXIT_OUTPUT: u8 = 3;

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
    /// Read a database written by `extract --db` back: a person's forms by NIP, or a
    /// position's forms by year and the indicators added, removed or changed between years.
    History(HistoryArgs),
}

#[derive(Debug, Args)]
struct ExtractArgs {
    /// Files (.txt, .md, .html, .pdf, office and image files; recognised by content too),
    /// directories (walked recursively, symlinks not followed), archives (.zip, .tar,
    /// .tar.gz, .tgz; read entry by entry) or `-` for stdin (a document or an archive).
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<PathBuf>,
    /// Write OUT_DIR/<stem>.json per input, and the run's manifest and summary in OUT_DIR/_run/.
    #[arg(short = 'o', long = "out-dir", value_name = "OUT_DIR")]
    out_dir: Option<PathBuf>,
    /// Write one document per line to FILE (`-` = stdout).
    #[arg(long, value_name = "FILE|-")]
    ndjson: Option<PathBuf>,
    /// Worker threads (0 = one per core; at most 4 per core).
    #[arg(short = 'j', long = "jobs", value_name = "N", default_value_t = 0)]
    jobs: usize,
    /// Print nothing on stderr but errors.
    #[arg(short = 'q', long)]
    quiet: bool,
    /// Skip inputs the outputs already hold (same path and sha256), repair a torn last
    /// NDJSON line, and end with exactly the output of a clean run.
    #[arg(long)]
    resume: bool,
    /// Inputs and archive entries larger than this many bytes fail with `file_too_large`;
    /// 0 = no limit.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_FILE_BYTES)]
    max_file_bytes: u64,
    /// Stop reading an archive past this many decompressed bytes (`archive_too_large`);
    /// 0 = no limit.
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
    /// Read legacy Word files (.doc) by converting them with LibreOffice headless
    /// (`soffice`, package libreoffice-writer-nogui). .docx, .odt, .xlsx, .xls and .ods
    /// are read without it.
    #[arg(long)]
    office: bool,
    /// Kill the LibreOffice conversion of one file after this many seconds (`office_timeout`).
    #[arg(long, value_name = "SECONDS", default_value_t = 120.0)]
    office_timeout: f64,
    /// Also import every document into a database: sqlite:FILE (or a path ending in .sqlite,
    /// .sqlite3, .db) or postgres://USER@HOST/DB. Idempotent: the same bytes add no rows.
    #[arg(long, value_name = "URL")]
    db: Option<String>,
}

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("what").required(true).args(["nip", "jabatan"]))]
struct HistoryArgs {
    /// The database: sqlite:FILE, a .sqlite/.sqlite3/.db path, or postgres://….
    #[arg(long, value_name = "URL")]
    db: String,
    /// Every form the civil servant with this NIP signed or approved (spaces allowed).
    #[arg(long, value_name = "NIP")]
    nip: Option<String>,
    /// Every form of this position, by year, with the indicator changes between years.
    #[arg(long, value_name = "TEXT")]
    jabatan: Option<String>,
    /// Only the position in this organisation (e.g. "Kecamatan Lumajang" or "Lumajang").
    #[arg(long, value_name = "TEXT", requires = "jabatan")]
    organization: Option<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
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
            ExitCode::from(exit_code(&err))
        }
    }
}

/// 3 when the output could not be written, 2 for everything else that stops a command.
fn exit_code(err: &anyhow::Error) -> u8 {
    let output_failed = err.chain().any(|cause| {
        cause
            .downcast_ref::<BatchError>()
            .is_some_and(|e| !e.is_usage())
            || cause
                .downcast_ref::<iki_report::ReportError>()
                .is_some_and(iki_report::ReportError::is_write)
    });
    if output_failed {
        EXIT_OUTPUT
    } else {
        EXIT_USAGE
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
        Command::History(args) => history(args),
    }
}

/// Print clap's message (help, version or usage error) and map it to its exit code: 0 for
/// help and version, 2 for usage errors.
fn clap_exit(err: &clap::Error) -> ExitCode {
    let _ = err.print();
    ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2))
}

fn extract(args: ExtractArgs) -> anyhow::Result<ExitCode> {
    let ndjson = match (&args.ndjson, &args.out_dir, &args.db) {
        (Some(target), _, _) => Some(NdjsonTarget::from_arg(target)),
        (None, None, None) => Some(NdjsonTarget::Stdout),
        _ => None,
    };
    let db_url = match args.db.as_deref().map(iki_db::DbUrl::parse).transpose() {
        Ok(url) => url,
        Err(e) => {
            let _ = writeln!(io::stderr(), "iki: --db: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let Some(parse_timeout) = timeout_arg(args.parse_timeout) else {
        let _ = writeln!(
            io::stderr(),
            "iki: --parse-timeout must be a number of seconds >= 0"
        );
        return Ok(ExitCode::from(EXIT_USAGE));
    };
    if args.ocr {
        if let Err(e) = iki_pdf::ocr_available("ind") {
            let _ = writeln!(io::stderr(), "iki: --ocr: {e}");
            return Ok(ExitCode::from(EXIT_USAGE));
        }
    }
    let Some(Some(pdf_timeout)) = timeout_arg(args.pdf_timeout) else {
        let _ = writeln!(
            io::stderr(),
            "iki: --pdf-timeout must be a number of seconds > 0"
        );
        return Ok(ExitCode::from(EXIT_USAGE));
    };
    let Some(Some(office_timeout)) = timeout_arg(args.office_timeout) else {
        let _ = writeln!(
            io::stderr(),
            "iki: --office-timeout must be a number of seconds > 0"
        );
        return Ok(ExitCode::from(2));
    };
    let libreoffice = iki_office::LibreOffice {
        timeout: office_timeout,
        ..iki_office::LibreOffice::default()
    };
    if args.office {
        if let Err(e) = libreoffice.check() {
            let _ = writeln!(io::stderr(), "iki: --office: {e}");
            return Ok(ExitCode::from(2));
        }
    }
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
            worker: iki_pdf::WorkerCommand::exe(exe),
            limits: iki_pdf::Limits {
                timeout: pdf_timeout,
                ..iki_pdf::Limits::default()
            },
            ocr: args.ocr.then_some(ocr),
        }),
        office: iki_office::OfficeConfig {
            libreoffice: args.office.then_some(libreoffice),
        },
    };
    if args.resume && matches!(ndjson, Some(NdjsonTarget::Stdout)) {
        let _ = writeln!(io::stderr(), "iki: {}", BatchError::ResumeStdout);
        return Ok(ExitCode::from(EXIT_USAGE));
    }
    let document_sink = match db_url.as_ref().map(open_db_writer).transpose() {
        Ok(writer) => writer,
        Err(e) => {
            let _ = writeln!(io::stderr(), "iki: {}", error_message(&e));
            return Ok(ExitCode::from(EXIT_OUTPUT_FAILED));
        }
    };
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
        document_sink,
    };
    let jobs = options.effective_jobs();
    if args.jobs > jobs && !args.quiet {
        let _ = writeln!(
            io::stderr(),
            "iki: -j {} capped at {jobs} worker threads ({JOBS_PER_CORE} per core)",
            args.jobs
        );
    }
    let summary = match iki_batch::run(&args.paths, &options, iki_extract::extractor(config)) {
        Err(err @ BatchError::Sink(_)) => {
            let _ = writeln!(io::stderr(), "iki: {err}");
            return Ok(ExitCode::from(EXIT_OUTPUT_FAILED));
        }
        other => other?,
    };
    Ok(if summary.all_extracted() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Exit code of a run whose output (here: the database) could not be written.
const EXIT_OUTPUT_FAILED: u8 = 3;

fn open_db_writer(url: &iki_db::DbUrl) -> anyhow::Result<Arc<dyn iki_batch::DocumentSink>> {
    let db = iki_db::Database::open(url).with_context(|| format!("cannot open database {url}"))?;
    Ok(Arc::new(db.writer().with_context(|| {
        format!("cannot start an import into {url}")
    })?))
}

/// Exit code 0 when something was found, 1 when nothing was.
fn history(args: HistoryArgs) -> anyhow::Result<ExitCode> {
    let url = match iki_db::DbUrl::parse(&args.db) {
        Ok(url) => url,
        Err(e) => {
            let _ = writeln!(io::stderr(), "iki: --db: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let mut db = iki_db::Database::open_existing(&url)
        .with_context(|| format!("cannot open database {url}"))?;
    let (text, json, found) = if let Some(nip) = &args.nip {
        let person = iki_db::history::person(&mut db, nip)?;
        let Some(person) = person else {
            let _ = writeln!(io::stderr(), "iki: no signature with NIP {nip} in {url}");
            return Ok(ExitCode::from(1));
        };
        (
            person.to_string(),
            serde_json::to_string_pretty(&person)?,
            true,
        )
    } else {
        let jabatan = args.jabatan.as_deref().unwrap_or_default();
        let position = iki_db::history::position(&mut db, jabatan, args.organization.as_deref())?;
        let found = !position.positions.is_empty();
        (
            position.to_string(),
            serde_json::to_string_pretty(&position)?,
            found,
        )
    };
    print_stdout(if args.json { &json } else { &text })?;
    Ok(if found {
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
            "{}: {} documents ({} unreadable, {} stale from an earlier run not shown), {} sources shown ({} cut, {} changed), {} not available, {} evaluated",
            args.output.display(),
            stats.documents,
            stats.skipped,
            stats.stale,
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
